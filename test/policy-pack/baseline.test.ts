import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { StackBuilder, expectCompliant, expectViolation } from "./helpers";

const ROLE_ARN = "arn:aws:iam::206217865489:role/prod-worker";
const KEY_ARN = "arn:aws:kms:us-east-1:206217865489:key/k";

describe("policy-pack baseline classes", () => {
    it("iam-no-managed-admin: flags AdministratorAccess on a workload role, allows the deployment role", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.iam.RolePolicyAttachment, "prod-worker-admin", { role: "prod-worker", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
        b.resource(aws.iam.RolePolicyAttachment, "prod-deploy-admin", { role: "payments-deployment", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
        b.resource(aws.iam.RolePolicyAttachment, "prod-worker-xray", { role: "prod-worker", policyArn: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" });
        expectViolation("iam-no-managed-admin", b, ["prod-worker-admin"], /gives role prod-worker the AWS managed .*policy\/AdministratorAccess/);
    });
    it('iam-no-service-wildcard: flags "dynamodb:*" on "*", passes scoped actions', () => {
        const b = new StackBuilder("prod");
        const policy = (Action: string, Resource: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource }] });
        b.resource(aws.iam.RolePolicy, "prod-wide", { role: "prod-worker", policy: policy("dynamodb:*", "*") });
        b.resource(aws.iam.RolePolicy, "prod-narrow", { role: "prod-worker", policy: policy("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:206217865489:table/prod-payments") });
        expectViolation("iam-no-service-wildcard", b, ["prod-wide"], /dynamodb:\* on "\*"/);
    });
    it("logs-retention and logs-kms: 365 days and a key at prod levels (mgmt too), advisory in test", () => {
        for (const env of ["prod", "mgmt"]) {
            const b = new StackBuilder(env);
            b.resource(aws.cloudwatch.LogGroup, `${env}-audit`, { retentionInDays: 90 });
            b.resource(aws.cloudwatch.LogGroup, `${env}-ok`, { retentionInDays: 365, kmsKeyId: KEY_ARN });
            const [retention] = expectViolation("logs-retention", b, [`${env}-audit`], /90 days; at least 365/);
            const [kms] = expectViolation("logs-kms", b, [`${env}-audit`], /not encrypted/);
            expect([retention.enforcementLevel, kms.enforcementLevel]).to.deep.equal(["mandatory", "mandatory"]);
        }
        const test = new StackBuilder("test");
        test.resource(aws.cloudwatch.LogGroup, "test-app", { retentionInDays: 30 });
        const [advisory] = expectViolation("logs-retention", test, ["test-app"], /at least 90/);
        expect(advisory.enforcementLevel).to.equal("advisory");
    });
    it("sg-no-unrestricted-egress: flags all-traffic egress to the internet, passes 443 out", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.ec2.SecurityGroup, "prod-open", { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
        b.resource(aws.vpc.SecurityGroupEgressRule, "prod-open-rule", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" });
        b.resource(aws.vpc.SecurityGroupEgressRule, "prod-https", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        expectViolation("sg-no-unrestricted-egress", b, ["prod-open", "prod-open-rule"], /all traffic out/);
    });
    it("eks-node-group-no-remote-access", () => {
        const b = new StackBuilder("prod");
        const base = { clusterName: "prod-eks", nodeRoleArn: ROLE_ARN, subnetIds: ["subnet-1"], scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 } };
        b.resource(aws.eks.NodeGroup, "prod-ssh", { ...base, remoteAccess: { ec2SshKey: "ops" } });
        b.resource(aws.eks.NodeGroup, "prod-ok", base);
        expectViolation("eks-node-group-no-remote-access", b, ["prod-ssh"], /SSH/);
    });
    it("rds-force-ssl: follows parameterGroupName to the group", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.rds.ParameterGroup, "prod-tls", { name: "prod-tls", family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }] });
        b.resource(aws.rds.ParameterGroup, "prod-lax", { name: "prod-lax", family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] });
        b.resource(aws.rds.Instance, "prod-db", { instanceClass: "db.r6g.large", engine: "postgres", parameterGroupName: "prod-tls" });
        b.resource(aws.rds.Instance, "prod-lax-db", { instanceClass: "db.r6g.large", engine: "postgres", parameterGroupName: "prod-lax" });
        expectViolation("rds-force-ssl", b, ["prod-lax-db"], /rds.force_ssl/);
    });
    it("cloudfront-origin-https", () => {
        const b = new StackBuilder("prod");
        const origin = (originProtocolPolicy: string) => ({
            defaultCacheBehavior: { allowedMethods: ["GET"], cachedMethods: ["GET"], targetOriginId: "alb", viewerProtocolPolicy: "https-only" },
            enabled: true,
            origins: [{ originId: "alb", domainName: "origin.example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy, originSslProtocols: ["TLSv1.2"] } }],
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        });
        b.resource(aws.cloudfront.Distribution, "prod-cdn", origin("match-viewer"));
        b.resource(aws.cloudfront.Distribution, "prod-ok", origin("https-only"));
        expectViolation("cloudfront-origin-https", b, ["prod-cdn"], /origin alb with match-viewer/);
    });
    it("cloudtrail-baseline", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.cloudtrail.Trail, "org-trail", { s3BucketName: "logs", isMultiRegionTrail: false, enableLogFileValidation: true });
        b.resource(aws.cloudtrail.Trail, "org-ok", { s3BucketName: "logs", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY_ARN });
        expectViolation("cloudtrail-baseline", b, ["org-trail"], /multi-region, KMS encryption/);
    });
    it("guardduty-protection-plans: every plan enabled for the organization, or a violation naming the missing ones", () => {
        const b = new StackBuilder("org", "foundation");
        const detector = b.resource(aws.guardduty.Detector, "org-guardduty", { enable: true });
        for (const name of ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS"]) {
            b.resource(aws.guardduty.OrganizationConfigurationFeature, `org-${name}`, { detectorId: "d-1", name, autoEnable: "ALL" }, { dependsOn: [detector] });
        }
        expectViolation("guardduty-protection-plans", b, ["org-guardduty"], /does not enable LAMBDA_NETWORK_LOGS$|does not enable LAMBDA_NETWORK_LOGS\./);
        b.resource(aws.guardduty.OrganizationConfigurationFeature, "org-lambda", { detectorId: "d-1", name: "LAMBDA_NETWORK_LOGS", autoEnable: "ALL" }, { dependsOn: [detector] });
        expectCompliant("guardduty-protection-plans", b);
    });
    it("ecr-scan-and-encrypt", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.ecr.Repository, "org-lax", { name: "lax" });
        b.resource(aws.ecr.Repository, "org-ok", { name: "ok", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS" }] });
        expectViolation("ecr-scan-and-encrypt", b, ["org-lax"], /scan on push, immutable tags, KMS encryption/);
    });
    it("kms-encrypted-topics-secrets-volumes", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.sns.Topic, "prod-events", {});
        b.resource(aws.secretsmanager.Secret, "prod-token", {});
        b.resource(aws.ec2.LaunchTemplate, "prod-nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }] });
        b.resource(aws.sns.Topic, "prod-ok-topic", { kmsMasterKeyId: KEY_ARN });
        b.resource(aws.secretsmanager.Secret, "prod-ok-secret", { kmsKeyId: KEY_ARN });
        b.resource(aws.ec2.LaunchTemplate, "prod-ok-nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }] });
        expectViolation("kms-encrypted-topics-secrets-volumes", b, ["prod-events", "prod-token", "prod-nodes"], /KMS|unencrypted/);
    });
    it("service-log-exports", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.rds.Instance, "prod-db", { instanceClass: "db.r6g.large", engine: "postgres", enabledCloudwatchLogsExports: ["upgrade"] });
        b.resource(aws.opensearch.Domain, "prod-search", { logPublishingOptions: [{ logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: "arn:lg" }] });
        b.resource(aws.rds.Instance, "prod-ok-db", { instanceClass: "db.r6g.large", engine: "postgres", enabledCloudwatchLogsExports: ["postgresql", "upgrade"] });
        b.resource(aws.opensearch.Domain, "prod-ok-search", { logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: "arn:lg", enabled: true }] });
        expectViolation("service-log-exports", b, ["prod-db", "prod-search"], /postgresql log|audit logs/);
    });
    it("waf-logging", () => {
        const b = new StackBuilder("prod");
        const visibilityConfig = { cloudwatchMetricsEnabled: true, metricName: "m", sampledRequestsEnabled: true };
        b.resource(aws.wafv2.WebAcl, "prod-waf", { name: "prod-waf", scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig });
        const logged = b.resource(aws.wafv2.WebAcl, "prod-logged", { name: "prod-logged", scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig });
        b.resource(aws.wafv2.WebAclLoggingConfiguration, "prod-logged-logs", { resourceArn: "arn:aws:wafv2:us-east-1:206217865489:regional/webacl/prod-logged/abc", logDestinationConfigs: ["arn:lg"] }, { dependsOn: [logged] });
        expectViolation("waf-logging", b, ["prod-waf"], /no logging configuration/);
    });
    it("versions-current", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.lambda.Function, "prod-old", { role: ROLE_ARN, runtime: "nodejs16.x" });
        b.resource(aws.lambda.Function, "prod-ok", { role: ROLE_ARN, runtime: "nodejs22.x" });
        b.resource(aws.rds.Instance, "prod-frozen", { instanceClass: "db.r6g.large", autoMinorVersionUpgrade: false });
        b.resource(aws.lb.LoadBalancer, "prod-alb", { desyncMitigationMode: "monitor" });
        expectViolation("versions-current", b, ["prod-old", "prod-frozen", "prod-alb"], /deprecated runtime|minor version|desync/);
    });
});

import * as aws from "@pulumi/aws";
import { StackBuilder, expectCompliant, expectViolation } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:206217865489:key/k";

describe("policy-pack audit", () => {
    it("cloudtrail-baseline", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.cloudtrail.Trail, "org-trail", { s3BucketName: "logs", isMultiRegionTrail: false, enableLogFileValidation: true });
        b.resource(aws.cloudtrail.Trail, "org-ok", {
            s3BucketName: "logs",
            isMultiRegionTrail: true,
            enableLogFileValidation: true,
            kmsKeyId: KEY_ARN,
        });
        expectViolation("cloudtrail-baseline", b, ["org-trail"], /multi-region, KMS encryption/);
    });
    it("cloudtrail-cloudwatch-logs", () => {
        const b = new StackBuilder("org", "foundation");
        const base = { s3BucketName: "logs", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY_ARN };
        b.resource(aws.cloudtrail.Trail, "org-s3-only", base);
        b.resource(aws.cloudtrail.Trail, "org-no-role", {
            ...base,
            cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/t:*",
        });
        b.resource(aws.cloudtrail.Trail, "org-ok", {
            ...base,
            cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/t:*",
            cloudWatchLogsRoleArn: "arn:aws:iam::1:role/t-logs",
        });
        expectViolation("cloudtrail-cloudwatch-logs", b, ["org-s3-only", "org-no-role"], /does not deliver to CloudWatch Logs/);
    });
    it("guardduty-protection-plans: every plan enabled for the organization, or a violation naming the missing ones", () => {
        const b = new StackBuilder("org", "foundation");
        const detector = b.resource(aws.guardduty.Detector, "org-guardduty", { enable: true });
        for (const name of ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS"]) {
            b.resource(
                aws.guardduty.OrganizationConfigurationFeature,
                `org-${name}`,
                { detectorId: "d-1", name, autoEnable: "ALL" },
                { dependsOn: [detector] },
            );
        }
        expectViolation(
            "guardduty-protection-plans",
            b,
            ["org-guardduty"],
            /does not enable LAMBDA_NETWORK_LOGS$|does not enable LAMBDA_NETWORK_LOGS\./,
        );
        b.resource(
            aws.guardduty.OrganizationConfigurationFeature,
            "org-lambda",
            { detectorId: "d-1", name: "LAMBDA_NETWORK_LOGS", autoEnable: "ALL" },
            { dependsOn: [detector] },
        );
        expectCompliant("guardduty-protection-plans", b);
    });
    it("inspector-enabled: the organization's stack delegates Inspector, scans EC2, ECR and Lambda and auto-enables new accounts", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.organizations.Organization, "org-organization", { featureSet: "ALL" });
        b.resource(aws.inspector2.Enabler, "org-inspector", { accountIds: ["111111111111"], resourceTypes: ["EC2", "ECR"] });
        b.resource(aws.inspector2.OrganizationConfiguration, "org-inspector-org", { autoEnable: { ec2: true, ecr: true } });
        expectViolation(
            "inspector-enabled",
            b,
            ["org-organization"],
            /no delegated administrator.*new accounts do not get LAMBDA, LAMBDA_CODE scanning.*no aws.inspector2.Enabler scans LAMBDA, LAMBDA_CODE/,
        );
        const ok = new StackBuilder("org", "foundation");
        ok.resource(aws.organizations.Organization, "org-organization", { featureSet: "ALL" });
        ok.resource(aws.inspector2.DelegatedAdminAccount, "org-inspector-admin", { accountId: "222222222222" });
        ok.resource(aws.inspector2.Enabler, "org-inspector", {
            accountIds: ["222222222222"],
            resourceTypes: ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"],
        });
        ok.resource(aws.inspector2.OrganizationConfiguration, "org-inspector-org", {
            autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: true },
        });
        expectCompliant("inspector-enabled", ok);
        // Stacks without the organization (platform, workloads) are not where Inspector is enabled.
        expectCompliant("inspector-enabled", new StackBuilder("prod", "platform"));
    });
    it("securityhub-enabled: Security Hub with the default standards auto-enabled for every member", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.organizations.Organization, "org-organization", { featureSet: "ALL" });
        b.resource(aws.securityhub.Account, "org-securityhub", { enableDefaultStandards: true });
        b.resource(aws.securityhub.OrganizationConfiguration, "org-securityhub-org", { autoEnable: false, autoEnableStandards: "NONE" });
        expectViolation("securityhub-enabled", b, ["org-organization"], /not auto-enabled/);
        const ok = new StackBuilder("org", "foundation");
        ok.resource(aws.organizations.Organization, "org-organization", { featureSet: "ALL" });
        ok.resource(aws.securityhub.Account, "org-securityhub", { enableDefaultStandards: true });
        ok.resource(aws.securityhub.OrganizationConfiguration, "org-securityhub-org", { autoEnable: true, autoEnableStandards: "DEFAULT" });
        expectCompliant("securityhub-enabled", ok);
    });
});

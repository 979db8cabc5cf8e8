import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, jsonDocument, list, ofTypes, OPEN_CIDRS, statements } from "../lib/values";

/* eslint-disable @typescript-eslint/no-explicit-any */

/*
 * The classes the first pack had no policy for: IAM beyond "*" on "*", log retention and
 * encryption, egress and node remote access, TLS to databases and origins, the audit baseline,
 * GuardDuty protection plans, registry scanning, encryption of topics, secrets, volumes and
 * images, service log exports, and version currency.
 */

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_DOCUMENTS: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
};
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const DB_INSTANCE = "aws:rds/instance:Instance";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const TRAIL = "aws:cloudtrail/trail:Trail";
const DETECTOR = "aws:guardduty/detector:Detector";
const ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature";
const DETECTOR_FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";
const REPOSITORY = "aws:ecr/repository:Repository";
const TOPIC = "aws:sns/topic:Topic";
const SECRET = "aws:secretsmanager/secret:Secret";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const DOMAIN = "aws:opensearch/domain:Domain";
const FUNCTION = "aws:lambda/function:Function";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

/** AWS managed policies that amount to administrator rights. */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/** The GuardDuty protection plans the estate's resource types need (S3, EKS, EC2 volumes, RDS, Lambda). */
export const GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"];

/** Lambda runtimes past their AWS deprecation date (Lambda runtimes page, "Deprecated runtimes"). */
const DEPRECATED_RUNTIMES = ["nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "python2.7", "python3.6", "python3.7", "python3.8", "ruby2.5", "ruby2.7", "java8", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "go1.x", "provided"];

export const BASELINE_POLICIES: PolicyDefinition[] = [
    resourcePolicy<{ adminRoles: string[] }>({
        name: "iam-no-managed-admin",
        domain: "iam",
        description: "No role gets an AWS managed administrator policy (AdministratorAccess, PowerUserAccess, IAMFullAccess) except the deployment and break-glass roles, which the SCPs and their trust conditions guard.",
        prevents: "A workload or CI role that can do everything because a managed admin policy was the quick fix.",
        severity: "critical",
        remediation: "Attach a customer policy listing the actions and resource ARNs the role needs; only roles named in the policy's adminRoles config may hold administrator rights.",
        level: "mandatory",
        checkov: "CKV_AWS_274",
        securityHub: ["IAM.1"],
        pci: ["7.2.1", "7.2.2"],
        types: [ATTACHMENT, ROLE],
        reads: { [ATTACHMENT]: ["role", "policyArn"], [ROLE]: ["name", "managedPolicyArns"] },
        schema: { adminRoles: { type: "array", items: { type: "string" } } },
        defaults: () => ({ adminRoles: ["payments-deployment", "payments-break-glass"] }),
        check: (r, ctx) => {
            const roleName = String(r.type === ROLE ? r.props.name : r.props.role);
            const arns = r.type === ROLE ? list<string>(r.props.managedPolicyArns) : [r.props.policyArn];
            const admin = arns.map(String).filter((arn) => ADMIN_MANAGED_POLICIES.some((p) => arn.endsWith(`:policy/${p}`)));
            if (admin.length > 0 && !ctx.config.adminRoles.includes(roleName)) {
                ctx.report(`${r.name} gives role ${roleName} the AWS managed ${admin.join(", ")}.`);
            }
        },
    }),
    resourcePolicy({
        name: "iam-no-service-wildcard",
        domain: "iam",
        description: 'No IAM policy allows every action of a service ("<service>:*") on Resource "*".',
        prevents: "A role that can, e.g., delete every table or read every secret of the account because one action was needed.",
        severity: "high",
        remediation: "List the actions the principal needs and scope Resource to the ARNs it touches.",
        level: "mandatory",
        securityHub: ["IAM.21"],
        pci: ["7.2.1", "7.2.2"],
        types: [ROLE, ...Object.keys(POLICY_DOCUMENTS)],
        reads: { [ROLE]: ["inlinePolicies"], ...Object.fromEntries(Object.entries(POLICY_DOCUMENTS).map(([t, k]) => [t, [k]])) },
        check: (r, ctx) => {
            const documents = r.type === ROLE ? list(r.props.inlinePolicies).map((p: any) => p.policy) : [r.props[POLICY_DOCUMENTS[r.type]]];
            for (const document of documents) {
                for (const s of statements(jsonDocument(document, `${r.name}'s policy`))) {
                    const wild = s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
                    if (s.effect === "Allow" && wild.length > 0 && s.resources.includes("*")) {
                        ctx.report(`${r.name} allows ${wild.join(", ")} on "*".`);
                    }
                }
            }
        },
    }),
    resourcePolicy<{ minRetentionDays: number }>({
        name: "logs-retention",
        domain: "logging",
        description: "CloudWatch log groups keep events at least 365 days at prod levels (90 elsewhere); 0 (never expire) also complies.",
        prevents: "Audit evidence expiring before an investigation or an assessor asks for it (PCI DSS 10.5.1: 12 months).",
        severity: "medium",
        remediation: "Set retentionInDays to 365 or more (prod, mgmt, org) or 90 or more elsewhere.",
        level: "advisory",
        prodLevel: "mandatory",
        checkov: "CKV_AWS_338",
        pci: ["10.5.1"],
        types: [LOG_GROUP],
        reads: { [LOG_GROUP]: ["retentionInDays"] },
        schema: { minRetentionDays: { type: "integer", minimum: 1 } },
        defaults: (env) => ({ minRetentionDays: ["prod", "mgmt", "org"].includes(env) ? 365 : 90 }),
        check: (group, ctx) => {
            const days = Number(group.props.retentionInDays ?? 0);
            if (days !== 0 && days < ctx.config.minRetentionDays) {
                ctx.report(`Log group ${group.name} keeps events ${days} days; at least ${ctx.config.minRetentionDays} are required in ${ctx.env}.`);
            }
        },
    }),
    resourcePolicy({
        name: "logs-kms",
        domain: "logging",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        prevents: "Logs holding request details readable by anyone with logs:GetLogEvents, with no key policy or key audit trail in between.",
        severity: "medium",
        remediation: "Set kmsKeyId to a key whose policy lets logs.<region>.amazonaws.com use it for this account's log groups (platform/aws.ts createLogsKey).",
        level: "advisory",
        prodLevel: "mandatory",
        checkov: "CKV_AWS_158",
        trivy: "AVD-AWS-0017",
        pci: ["3.5.1", "10.3.2"],
        types: [LOG_GROUP],
        reads: { [LOG_GROUP]: ["kmsKeyId"] },
        check: (group, ctx) => {
            if (!has(group.props, "kmsKeyId")) {
                ctx.report(`Log group ${group.name} is not encrypted with a KMS key.`);
            }
        },
    }),
    resourcePolicy({
        name: "sg-no-unrestricted-egress",
        domain: "network",
        description: "No security group allows all protocols and ports out to 0.0.0.0/0 or ::/0; egress to the internet names its ports.",
        prevents: "A compromised workload exfiltrating data on any port, unseen by the rules a reviewer reads.",
        severity: "medium",
        remediation: "Replace the all-traffic egress rule with rules for the ports needed (e.g. 443) or for the VPC CIDR.",
        level: "mandatory",
        trivy: "AVD-AWS-0104",
        pci: ["1.3.2", "1.4.2"],
        types: [SECURITY_GROUP, EGRESS_RULE],
        reads: { [SECURITY_GROUP]: ["egress.protocol", "egress.cidrBlocks", "egress.ipv6CidrBlocks"], [EGRESS_RULE]: ["ipProtocol", "cidrIpv4", "cidrIpv6"] },
        check: (r, ctx) => {
            const rules =
                r.type === EGRESS_RULE
                    ? [{ protocol: r.props.ipProtocol, cidrs: [r.props.cidrIpv4, r.props.cidrIpv6] }]
                    : list(r.props.egress).map((e: any) => ({ protocol: e.protocol, cidrs: [...list(e.cidrBlocks), ...list(e.ipv6CidrBlocks)] }));
            if (rules.some((rule) => ["-1", "all"].includes(String(rule.protocol)) && rule.cidrs.some((c) => OPEN_CIDRS.includes(String(c))))) {
                ctx.report(`${r.name} allows all traffic out to the internet.`);
            }
        },
    }),
    resourcePolicy({
        name: "eks-node-group-no-remote-access",
        domain: "eks",
        description: "EKS managed node groups have no SSH remote access (nodes are reached through SSM, never an EC2 key pair).",
        prevents: "SSH into nodes from anywhere (remoteAccess without source security groups opens port 22 to 0.0.0.0/0).",
        severity: "high",
        remediation: "Remove remoteAccess from the aws.eks.NodeGroup; use SSM Session Manager for node access.",
        level: "mandatory",
        checkov: "CKV_AWS_100",
        pci: ["1.3.1", "2.2.4"],
        types: [NODE_GROUP],
        reads: { [NODE_GROUP]: ["remoteAccess"] },
        check: (group, ctx) => {
            if (has(group.props, "remoteAccess")) {
                ctx.report(`Node group ${group.name} enables SSH remote access.`);
            }
        },
    }),
    stackPolicy({
        name: "rds-force-ssl",
        domain: "rds",
        description: "PostgreSQL instances use a parameter group with rds.force_ssl = 1.",
        prevents: "Clients connecting without TLS, sending card data and credentials in clear inside the VPC.",
        severity: "high",
        remediation: 'Give the instance an aws.rds.ParameterGroup with parameters [{ name: "rds.force_ssl", value: "1" }] (the postgres15+ default, but explicit survives family changes).',
        level: "mandatory",
        checkov: "CKV2_AWS_69",
        pci: ["4.2.1"],
        reads: { [DB_INSTANCE]: ["engine", "parameterGroupName", "replicateSourceDb"], [PARAMETER_GROUP]: ["name", "parameters.name", "parameters.value"] },
        check: (ctx) => {
            const groups = ofTypes(ctx.resources, [PARAMETER_GROUP]);
            ctx.each(ofTypes(ctx.resources, [DB_INSTANCE]), (db) => {
                if (!String(db.props.engine ?? "postgres").startsWith("postgres") && !has(db.props, "replicateSourceDb")) {
                    return;
                }
                const linked = referencedBy(db, "parameterGroupName", groups, { nameKeys: ["name"] });
                const forced = linked.some((g) => list(g.props.parameters).some((p: any) => p.name === "rds.force_ssl" && String(p.value) === "1"));
                if (!forced) {
                    ctx.report(`Database ${db.name} has no parameter group setting rds.force_ssl = 1.`, db.urn);
                }
            });
        },
    }),
    resourcePolicy({
        name: "cloudfront-origin-https",
        domain: "cloudfront-waf",
        description: "CloudFront reaches custom origins over HTTPS only (originProtocolPolicy https-only, TLS 1.2).",
        prevents: "Requests (cookies, card data) travelling from the edge to the origin in clear.",
        severity: "high",
        remediation: 'Set customOriginConfig.originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"].',
        level: "mandatory",
        securityHub: ["CloudFront.9", "CloudFront.10"],
        pci: ["4.2.1"],
        types: [DISTRIBUTION],
        reads: { [DISTRIBUTION]: ["origins.customOriginConfig.originProtocolPolicy", "origins.customOriginConfig.originSslProtocols", "origins.originId"] },
        check: (d, ctx) => {
            for (const origin of list(d.props.origins)) {
                const custom = origin.customOriginConfig;
                if (custom && (custom.originProtocolPolicy !== "https-only" || list(custom.originSslProtocols).some((p) => p !== "TLSv1.2"))) {
                    ctx.report(`Distribution ${d.name} reaches origin ${origin.originId} with ${custom.originProtocolPolicy} / ${list(custom.originSslProtocols).join(", ")}.`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "cloudtrail-baseline",
        domain: "audit",
        description: "CloudTrail trails are multi-region, validate log files and encrypt with a KMS key.",
        prevents: "Activity in another region going unrecorded, and logs that can be edited or read without anyone noticing.",
        severity: "high",
        remediation: "Set isMultiRegionTrail, enableLogFileValidation and kmsKeyId on the aws.cloudtrail.Trail.",
        level: "mandatory",
        checkov: "CKV_AWS_67",
        trivy: "AVD-AWS-0014",
        securityHub: ["CloudTrail.1", "CloudTrail.2", "CloudTrail.4"],
        pci: ["10.2.1", "10.3.2", "10.3.4"],
        types: [TRAIL],
        reads: { [TRAIL]: ["isMultiRegionTrail", "enableLogFileValidation", "kmsKeyId"] },
        check: (trail, ctx) => {
            const missing = [
                trail.props.isMultiRegionTrail === true ? undefined : "multi-region",
                trail.props.enableLogFileValidation === true ? undefined : "log file validation",
                has(trail.props, "kmsKeyId") ? undefined : "KMS encryption",
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                ctx.report(`Trail ${trail.name} lacks ${missing.join(", ")}.`);
            }
        },
    }),
    stackPolicy({
        name: "guardduty-protection-plans",
        domain: "audit",
        description: `A GuardDuty detector enables the protection plans for what the estate runs (${GUARDDUTY_FEATURES.join(", ")}), for itself or the whole organization.`,
        prevents: "Threats in S3 data access, EKS, node runtimes, volumes, database logins and Lambda traffic going undetected while GuardDuty looks enabled.",
        severity: "high",
        remediation: "Add an aws.guardduty.OrganizationConfigurationFeature (autoEnable ALL) or aws.guardduty.DetectorFeature (status ENABLED) per plan.",
        level: "mandatory",
        securityHub: ["GuardDuty.1", "GuardDuty.5", "GuardDuty.6", "GuardDuty.7", "GuardDuty.8", "GuardDuty.9", "GuardDuty.10"],
        pci: ["11.5.1"],
        reads: { [DETECTOR]: ["enable"], [ORG_FEATURE]: ["name", "autoEnable", "detectorId"], [DETECTOR_FEATURE]: ["name", "status", "detectorId"] },
        check: (ctx) => {
            const features = ofTypes(ctx.resources, [ORG_FEATURE, DETECTOR_FEATURE]);
            ctx.each(ofTypes(ctx.resources, [DETECTOR]), (detector) => {
                const enabled = features
                    .filter((f) => referencedBy(f, "detectorId", [detector]).includes(detector))
                    .filter((f) => (f.type === ORG_FEATURE ? ["ALL", "NEW"].includes(String(f.props.autoEnable)) : f.props.status === "ENABLED"))
                    .map((f) => String(f.props.name));
                const missing = GUARDDUTY_FEATURES.filter((f) => !enabled.includes(f));
                if (missing.length > 0) {
                    ctx.report(`GuardDuty detector ${detector.name} does not enable ${missing.join(", ")}.`, detector.urn);
                }
            });
        },
    }),
    resourcePolicy({
        name: "ecr-scan-and-encrypt",
        domain: "ecr",
        description: "ECR repositories scan images on push, keep tags immutable and encrypt with KMS.",
        prevents: "Images with known vulnerabilities deployed unnoticed, and a tag silently repointed to a different image.",
        severity: "high",
        remediation: 'Set imageScanningConfiguration.scanOnPush true, imageTagMutability "IMMUTABLE" and encryptionConfigurations [{ encryptionType: "KMS" }].',
        level: "mandatory",
        checkov: "CKV_AWS_163",
        trivy: "AVD-AWS-0030",
        securityHub: ["ECR.1", "ECR.2"],
        pci: ["6.3.3", "11.3.1", "3.5.1"],
        types: [REPOSITORY],
        reads: { [REPOSITORY]: ["imageScanningConfiguration.scanOnPush", "imageTagMutability", "encryptionConfigurations.encryptionType"] },
        check: (repo, ctx) => {
            const missing = [
                repo.props.imageScanningConfiguration?.scanOnPush === true ? undefined : "scan on push",
                String(repo.props.imageTagMutability ?? "MUTABLE").startsWith("IMMUTABLE") ? undefined : "immutable tags",
                list(repo.props.encryptionConfigurations).some((c: any) => c.encryptionType === "KMS") ? undefined : "KMS encryption",
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                ctx.report(`Repository ${repo.name} lacks ${missing.join(", ")}.`);
            }
        },
    }),
    resourcePolicy({
        name: "kms-encrypted-topics-secrets-volumes",
        domain: "kms",
        description: "SNS topics and Secrets Manager secrets name a KMS key; launch template volumes are encrypted.",
        prevents: "Notifications, secrets and node volumes protected only by AWS-owned keys nobody can audit or revoke (or not at all).",
        severity: "medium",
        remediation: "Set kmsMasterKeyId on aws.sns.Topic, kmsKeyId on aws.secretsmanager.Secret, and ebs.encrypted true on every launch template block device.",
        level: "mandatory",
        checkov: "CKV_AWS_26",
        trivy: "AVD-AWS-0095",
        securityHub: ["SNS.1"],
        pci: ["3.5.1"],
        types: [TOPIC, SECRET, LAUNCH_TEMPLATE],
        reads: { [TOPIC]: ["kmsMasterKeyId"], [SECRET]: ["kmsKeyId"], [LAUNCH_TEMPLATE]: ["blockDeviceMappings.deviceName", "blockDeviceMappings.ebs.encrypted"] },
        check: (r, ctx) => {
            if (r.type === TOPIC && !has(r.props, "kmsMasterKeyId")) {
                ctx.report(`Topic ${r.name} is not encrypted with a KMS key.`);
            } else if (r.type === SECRET && !has(r.props, "kmsKeyId")) {
                ctx.report(`Secret ${r.name} uses the AWS managed key, not a customer-managed KMS key.`);
            } else if (r.type === LAUNCH_TEMPLATE) {
                const plain = list(r.props.blockDeviceMappings).filter((m: any) => m.ebs && String(m.ebs.encrypted) !== "true");
                if (plain.length > 0) {
                    ctx.report(`Launch template ${r.name} has unencrypted volumes: ${plain.map((m: any) => m.deviceName).join(", ")}.`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "service-log-exports",
        domain: "logging",
        description: "Databases export their engine logs and OpenSearch domains publish audit logs to CloudWatch.",
        prevents: "Logins, failed authentication and data access on the data stores leaving no trace (PCI DSS 10.2).",
        severity: "medium",
        remediation: 'Set enabledCloudwatchLogsExports ["postgresql", "upgrade"] on aws.rds.Instance and a logPublishingOptions entry { logType: "AUDIT_LOGS", enabled: true } on aws.opensearch.Domain (with advanced security on).',
        level: "advisory",
        prodLevel: "mandatory",
        checkov: "CKV_AWS_129",
        trivy: "AVD-AWS-0042",
        securityHub: ["RDS.9", "Opensearch.4", "Opensearch.5"],
        pci: ["10.2.1", "10.2.2"],
        types: [DB_INSTANCE, DOMAIN],
        reads: { [DB_INSTANCE]: ["engine", "enabledCloudwatchLogsExports"], [DOMAIN]: ["logPublishingOptions.logType", "logPublishingOptions.enabled"] },
        check: (r, ctx) => {
            if (r.type === DB_INSTANCE && String(r.props.engine ?? "postgres").startsWith("postgres") && !list(r.props.enabledCloudwatchLogsExports).includes("postgresql")) {
                ctx.report(`Database ${r.name} does not export its postgresql log.`);
            }
            if (r.type === DOMAIN && !list(r.props.logPublishingOptions).some((o: any) => o.logType === "AUDIT_LOGS" && o.enabled !== false)) {
                ctx.report(`Domain ${r.name} does not publish audit logs.`);
            }
        },
    }),
    stackPolicy({
        name: "waf-logging",
        domain: "cloudfront-waf",
        description: "Every WAF web ACL has a logging configuration.",
        prevents: "Blocked attacks and rate-limit hits leaving no record to investigate.",
        severity: "medium",
        remediation: "Add aws.wafv2.WebAclLoggingConfiguration to a log group named aws-waf-logs-<acl> (encrypted, 365 days).",
        level: "advisory",
        prodLevel: "mandatory",
        checkov: "CKV2_AWS_31",
        securityHub: ["WAF.11"],
        pci: ["10.2.1"],
        reads: { [WEB_ACL]: ["name"], [WAF_LOGGING]: ["resourceArn"] },
        check: (ctx) => {
            const logging = ofTypes(ctx.resources, [WAF_LOGGING]);
            ctx.each(ofTypes(ctx.resources, [WEB_ACL]), (acl) => {
                if (!logging.some((l) => referencedBy(l, "resourceArn", [acl], { nameKeys: ["name"], matches: (v, n) => v.includes(`/webacl/${n}/`) }).includes(acl))) {
                    ctx.report(`Web ACL ${acl.name} has no logging configuration.`, acl.urn);
                }
            });
        },
    }),
    resourcePolicy({
        name: "versions-current",
        domain: "versions",
        description: "Lambda runtimes are supported, RDS applies minor upgrades automatically, load balancers mitigate HTTP desync.",
        prevents: "Running on a runtime or engine without security fixes, and request smuggling through a lenient load balancer.",
        severity: "medium",
        remediation: 'Use a supported Lambda runtime (nodejs22.x), set autoMinorVersionUpgrade true on aws.rds.Instance, and desyncMitigationMode "defensive" or "strictest" on load balancers.',
        level: "mandatory",
        checkov: "CKV_AWS_363",
        securityHub: ["Lambda.2", "RDS.13", "ELB.12"],
        pci: ["6.3.3"],
        types: [FUNCTION, DB_INSTANCE, ...LOAD_BALANCERS],
        reads: { [FUNCTION]: ["runtime"], [DB_INSTANCE]: ["autoMinorVersionUpgrade"], ...Object.fromEntries(LOAD_BALANCERS.map((t) => [t, ["desyncMitigationMode", "loadBalancerType"]])) },
        check: (r, ctx) => {
            if (r.type === FUNCTION && DEPRECATED_RUNTIMES.includes(String(r.props.runtime ?? ""))) {
                ctx.report(`Function ${r.name} runs on deprecated runtime ${r.props.runtime}.`);
            } else if (r.type === DB_INSTANCE && r.props.autoMinorVersionUpgrade === false) {
                ctx.report(`Database ${r.name} does not apply minor version upgrades automatically.`);
            } else if (LOAD_BALANCERS.includes(r.type) && (r.props.loadBalancerType ?? "application") === "application" && r.props.desyncMitigationMode === "monitor") {
                ctx.report(`Load balancer ${r.name} only monitors HTTP desync (desyncMitigationMode monitor).`);
            }
        },
    }),
];

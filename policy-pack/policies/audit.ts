import { GUARDDUTY_FEATURES, INSPECTOR_RESOURCE_TYPES } from "../../lib/threat-detection";
import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, list, ofTypes } from "../lib/values";

const TRAIL = "aws:cloudtrail/trail:Trail";
const DETECTOR = "aws:guardduty/detector:Detector";
const ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature";
const DETECTOR_FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

const ORGANIZATION = "aws:organizations/organization:Organization";
const INSPECTOR_ADMIN = "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount";
const INSPECTOR_ENABLER = "aws:inspector2/enabler:Enabler";
const INSPECTOR_ORG = "aws:inspector2/organizationConfiguration:OrganizationConfiguration";
const SECURITY_HUB = "aws:securityhub/account:Account";
const SECURITY_HUB_ORG = "aws:securityhub/organizationConfiguration:OrganizationConfiguration";

const AUTO_ENABLE_KEYS: Record<string, string> = { EC2: "ec2", ECR: "ecr", LAMBDA: "lambda", LAMBDA_CODE: "lambdaCode" };

/** The organization's audit baseline: CloudTrail, GuardDuty, Inspector and Security Hub. */
export const AUDIT_POLICIES: PolicyDefinition[] = [
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
    resourcePolicy({
        name: "cloudtrail-cloudwatch-logs",
        domain: "audit",
        description: "CloudTrail trails also deliver to a CloudWatch Logs log group (with the role CloudTrail writes through).",
        prevents: "API activity visible only in S3 hours later: no metric filters or alarms on root use, policy changes or console logins.",
        severity: "medium",
        remediation:
            "Set cloudWatchLogsGroupArn (`${logGroup.arn}:*`) and cloudWatchLogsRoleArn (a role trusted by cloudtrail.amazonaws.com allowed logs:CreateLogStream and logs:PutLogEvents on the group).",
        level: "mandatory",
        checkov: "CKV2_AWS_10",
        trivy: "AVD-AWS-0162",
        securityHub: ["CloudTrail.5"],
        pci: ["10.4.1"],
        types: [TRAIL],
        reads: { [TRAIL]: ["cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"] },
        check: (trail, ctx) => {
            if (!has(trail.props, "cloudWatchLogsGroupArn") || !has(trail.props, "cloudWatchLogsRoleArn")) {
                ctx.report(`Trail ${trail.name} does not deliver to CloudWatch Logs.`);
            }
        },
    }),
    stackPolicy({
        name: "guardduty-protection-plans",
        domain: "audit",
        description: `A GuardDuty detector enables the protection plans for what the estate runs (${GUARDDUTY_FEATURES.join(", ")}), for itself or the whole organization.`,
        prevents:
            "Threats in S3 data access, EKS, node runtimes, volumes, database logins and Lambda traffic going undetected while GuardDuty looks enabled.",
        severity: "high",
        remediation:
            "Add an aws.guardduty.OrganizationConfigurationFeature (autoEnable ALL) or aws.guardduty.DetectorFeature (status ENABLED) per plan.",
        level: "mandatory",
        securityHub: ["GuardDuty.1", "GuardDuty.5", "GuardDuty.6", "GuardDuty.7", "GuardDuty.8", "GuardDuty.9", "GuardDuty.10"],
        pci: ["11.5.1"],
        reads: {
            [DETECTOR]: ["enable"],
            [ORG_FEATURE]: ["name", "autoEnable", "detectorId"],
            [DETECTOR_FEATURE]: ["name", "status", "detectorId"],
        },
        check: (ctx) => {
            const features = ofTypes(ctx.resources, [ORG_FEATURE, DETECTOR_FEATURE]);
            ctx.each(ofTypes(ctx.resources, [DETECTOR]), (detector) => {
                const enabled = features
                    .filter((f) => referencedBy(f, "detectorId", [detector]).includes(detector))
                    .filter((f) =>
                        f.type === ORG_FEATURE ? ["ALL", "NEW"].includes(String(f.props.autoEnable)) : f.props.status === "ENABLED",
                    )
                    .map((f) => String(f.props.name));
                const missing = GUARDDUTY_FEATURES.filter((f) => !enabled.includes(f));
                if (missing.length > 0) {
                    ctx.report(`GuardDuty detector ${detector.name} does not enable ${missing.join(", ")}.`, detector.urn);
                }
            });
        },
    }),
    stackPolicy({
        name: "inspector-enabled",
        domain: "audit",
        description: `The stack that holds the organization delegates Amazon Inspector and has it scan ${INSPECTOR_RESOURCE_TYPES.join(", ")} in the admin account, the existing members and (auto-enable) every new account.`,
        prevents: "Known CVEs in node AMIs, container images and Lambda dependencies going unnoticed (PCI DSS 11.3.1, 6.3.3).",
        severity: "high",
        remediation:
            "In the foundation: aws.inspector2.DelegatedAdminAccount (management account), aws.inspector2.Enabler with resourceTypes EC2, ECR, LAMBDA, LAMBDA_CODE for the admin and member accounts, aws.inspector2.OrganizationConfiguration autoEnable { ec2, ecr, lambda, lambdaCode: true }.",
        level: "mandatory",
        securityHub: ["Inspector.1", "Inspector.2", "Inspector.3", "Inspector.4"],
        pci: ["11.3.1", "6.3.3"],
        reads: { [INSPECTOR_ENABLER]: ["resourceTypes"], [INSPECTOR_ORG]: ["autoEnable"] },
        check: (ctx) => {
            const organization = ofTypes(ctx.resources, [ORGANIZATION])[0];
            if (organization === undefined) {
                return;
            }
            const problems: string[] = [];
            if (ofTypes(ctx.resources, [INSPECTOR_ADMIN]).length === 0) {
                problems.push("no delegated administrator (aws.inspector2.DelegatedAdminAccount)");
            }
            ctx.each(ofTypes(ctx.resources, [INSPECTOR_ORG]), (org) => {
                const autoEnable = (org.props.autoEnable ?? {}) as Record<string, unknown>;
                const off = INSPECTOR_RESOURCE_TYPES.filter((scan) => autoEnable[AUTO_ENABLE_KEYS[scan]] !== true);
                if (off.length > 0) {
                    problems.push(`new accounts do not get ${off.join(", ")} scanning (autoEnable)`);
                }
            });
            if (ofTypes(ctx.resources, [INSPECTOR_ORG]).length === 0) {
                problems.push("no organization configuration (new accounts are not scanned)");
            }
            const enablers = ofTypes(ctx.resources, [INSPECTOR_ENABLER]);
            const scanned = new Set<string>();
            ctx.each(enablers, (enabler) => list<string>(enabler.props.resourceTypes).forEach((t) => scanned.add(String(t))));
            const missing = INSPECTOR_RESOURCE_TYPES.filter((scan) => !scanned.has(scan));
            if (missing.length > 0) {
                problems.push(`no aws.inspector2.Enabler scans ${missing.join(", ")}`);
            }
            if (problems.length > 0) {
                ctx.report(`Inspector is not enabled for the organization ${organization.name}: ${problems.join("; ")}.`, organization.urn);
            }
        },
    }),
    stackPolicy({
        name: "securityhub-enabled",
        domain: "audit",
        description:
            "The stack that holds the organization enables Security Hub and auto-enables it (with the default standards) in every member account.",
        prevents: "Findings from GuardDuty, Inspector and Config nobody aggregates, and accounts whose controls nobody evaluates.",
        severity: "high",
        remediation:
            'aws.securityhub.Account in the delegated administrator, aws.securityhub.OrganizationConfiguration { autoEnable: true, autoEnableStandards: "DEFAULT" }.',
        level: "mandatory",
        securityHub: ["SecurityHub.1"],
        pci: ["10.4.1"],
        reads: { [SECURITY_HUB_ORG]: ["autoEnable", "autoEnableStandards"] },
        check: (ctx) => {
            const organization = ofTypes(ctx.resources, [ORGANIZATION])[0];
            if (organization === undefined) {
                return;
            }
            const orgConfigs = ofTypes(ctx.resources, [SECURITY_HUB_ORG]);
            const problems = [
                ofTypes(ctx.resources, [SECURITY_HUB]).length === 0 ? "no aws.securityhub.Account" : undefined,
                orgConfigs.length === 0 ? "no organization configuration" : undefined,
            ].filter((p): p is string => p !== undefined);
            ctx.each(orgConfigs, (config) => {
                if (config.props.autoEnable !== true || config.props.autoEnableStandards === "NONE") {
                    problems.push("member accounts are not auto-enabled with the default standards");
                }
            });
            if (problems.length > 0) {
                ctx.report(
                    `Security Hub is not enabled for the organization ${organization.name}: ${problems.join("; ")}.`,
                    organization.urn,
                );
            }
        },
    }),
];

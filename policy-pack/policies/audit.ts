import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, ofTypes } from "../lib/values";

const TRAIL = "aws:cloudtrail/trail:Trail";
const DETECTOR = "aws:guardduty/detector:Detector";
const ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature";
const DETECTOR_FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

/** The GuardDuty protection plans the estate's resource types need (S3, EKS, EC2 volumes, RDS, Lambda). */
export const GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"];

/** The organization's audit baseline: CloudTrail and GuardDuty. */
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
];

/**
 * What the organization's threat detection must cover, for the estate's resource types. foundation
 * turns it on for every account; the audit policies (guardduty-protection-plans, inspector-enabled)
 * require it of any program that holds the organization or a detector.
 */

/**
 * The GuardDuty protection plans for S3, EKS, EC2 volumes, RDS and Lambda: detection alone sees
 * only CloudTrail, VPC flow and DNS logs.
 */
export const GUARDDUTY_FEATURES = [
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "RUNTIME_MONITORING",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
] as const;

/** What Amazon Inspector scans: node instances, container images, Lambda packages and Lambda code. */
export const INSPECTOR_RESOURCE_TYPES = ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"] as const;

import { confusedDeputyPolicy } from "./rcp/confused-deputy";
import { githubOidcSubjectsPolicy } from "./rcp/github-oidc-subjects";
import { orgOnlyPrincipalsPolicy } from "./rcp/org-only-principals";
import { tlsOnlyPolicy } from "./rcp/tls-only";
import { denyDefaultVpcPolicy } from "./scp/deny-default-vpc";
import { denyDisableEbsEncryptionPolicy } from "./scp/deny-disable-ebs-encryption";
import { denyExternalRamSharingPolicy } from "./scp/deny-external-ram-sharing";
import { denyIamUsersPolicy } from "./scp/deny-iam-users";
import { denyLeaveOrganizationPolicy } from "./scp/deny-leave-organization";
import { denyRootUserPolicy } from "./scp/deny-root-user";
import { kmsDeletionWindowPolicy } from "./scp/kms-deletion-window";
import { prodDataProtectionPolicy } from "./scp/prod-data-protection";
import { protectS3PublicAccessBlockPolicy } from "./scp/protect-s3-public-access-block";
import { protectSecurityServicesPolicy } from "./scp/protect-security-services";
import { regionRestrictionPolicy } from "./scp/region-restriction";
import { requireImdsV2Policy } from "./scp/require-imdsv2";
import { mergeDocuments, StaticPolicyDocument } from "./document";
import { GuardrailParameters } from "./parameters";

export { GuardrailParameters } from "./parameters";
export { minified, StaticPolicyDocument } from "./document";

export type OrganizationPolicyType = "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";

/** Where a policy is attached: the organization root or one of the OUs (shared/CONVENTIONS.md). */
export const POLICY_TARGETS = ["root", "security", "workloads", "nonProd", "prod"] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

/** The AWS-managed allow-all policy that stays attached to every target of each type. */
export const AWS_MANAGED_FULL_ACCESS: Record<OrganizationPolicyType, string> = {
    SERVICE_CONTROL_POLICY: "FullAWSAccess",
    RESOURCE_CONTROL_POLICY: "RCPFullAWSAccess",
};

/** Organizations quotas the attachment plan stays within (the pre-2026 SCP size keeps policies portable). */
export const POLICY_QUOTAS = { maxMinifiedCharacters: 5120, maxDirectlyAttachedPerTarget: 5 } as const;

/** One SCP or RCP as deployed: several guardrails merged into one document, attached to targets. */
export interface OrganizationPolicySpec {
    /** Short name: the component of the physical policy name. */
    key: string;
    type: OrganizationPolicyType;
    description: string;
    targets: PolicyTarget[];
    build(params: GuardrailParameters): StaticPolicyDocument;
}

export interface OrganizationPolicy extends Omit<OrganizationPolicySpec, "build"> {
    document: StaticPolicyDocument;
}

/**
 * The whole attachment plan. Organization-wide guardrails sit on the root (they reach every member
 * account, never the management account); the prod-only ones on the Prod OU.
 */
export const ORGANIZATION_POLICY_SPECS: OrganizationPolicySpec[] = [
    {
        key: "scp-baseline",
        type: "SERVICE_CONTROL_POLICY",
        description:
            "Org membership, root user, IAM users, EBS encryption, KMS deletion window, default VPC, IMDSv2, RAM sharing, S3 public-access blocks",
        targets: ["root"],
        build: (params) =>
            mergeDocuments(
                denyLeaveOrganizationPolicy(),
                denyRootUserPolicy(),
                denyIamUsersPolicy(),
                denyDisableEbsEncryptionPolicy(),
                kmsDeletionWindowPolicy(),
                denyDefaultVpcPolicy(),
                requireImdsV2Policy(),
                denyExternalRamSharingPolicy(),
                protectS3PublicAccessBlockPolicy(params),
            ),
    },
    {
        key: "scp-regions",
        type: "SERVICE_CONTROL_POLICY",
        description: "Deny regions outside the allowed list (global services and break-glass exempt)",
        targets: ["root"],
        build: (params) => regionRestrictionPolicy(params),
    },
    {
        key: "scp-security-services",
        type: "SERVICE_CONTROL_POLICY",
        description: "Protect CloudTrail, GuardDuty, Security Hub, Config and Access Analyzer",
        targets: ["root"],
        build: (params) => protectSecurityServicesPolicy(params),
    },
    {
        key: "scp-prod-data",
        type: "SERVICE_CONTROL_POLICY",
        description: "Deleting prod RDS, DynamoDB and S3 data stores or prod VPC flow logs takes break-glass",
        targets: ["prod"],
        build: (params) => prodDataProtectionPolicy(params),
    },
    {
        key: "rcp-data-perimeter",
        type: "RESOURCE_CONTROL_POLICY",
        description: "Only organization principals and AWS services acting for the organization reach our resources",
        targets: ["root"],
        build: (params) => mergeDocuments(orgOnlyPrincipalsPolicy(params), confusedDeputyPolicy(params)),
    },
    {
        key: "rcp-secure-transport",
        type: "RESOURCE_CONTROL_POLICY",
        description: "TLS only for s3, sqs, kms, secretsmanager, dynamodb, ecr, sts and logs",
        targets: ["root"],
        build: () => tlsOnlyPolicy(),
    },
    {
        key: "rcp-github-federation",
        type: "RESOURCE_CONTROL_POLICY",
        description: "GitHub OIDC federation only for this repository's workflows",
        targets: ["root"],
        build: (params) => githubOidcSubjectsPolicy(params),
    },
];

export function organizationPolicies(params: GuardrailParameters): OrganizationPolicy[] {
    return ORGANIZATION_POLICY_SPECS.map(({ build, ...spec }) => ({ ...spec, document: build(params) }));
}

/** Policies of one type directly attached to each target, the AWS-managed full-access one included. */
export function directlyAttached(
    policies: Pick<OrganizationPolicySpec, "key" | "type" | "targets">[],
    type: OrganizationPolicyType,
): Record<PolicyTarget, string[]> {
    const attached = Object.fromEntries(POLICY_TARGETS.map((t) => [t, [AWS_MANAGED_FULL_ACCESS[type]]])) as Record<PolicyTarget, string[]>;
    for (const policy of policies.filter((p) => p.type === type)) {
        for (const target of policy.targets) {
            attached[target].push(policy.key);
        }
    }
    return attached;
}

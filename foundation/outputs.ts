import type { AccountName, MemberAccount } from "../lib/environments";

/**
 * What the foundation/org stack exports for the layers above it. Consumers read it only
 * through lib/stack-reference.ts with FOUNDATION_OUTPUT_KEYS.
 */
export interface FoundationOutputs {
    organizationId: string;
    rootId: string;
    ouIds: { security: string; workloads: string; nonProd: string; prod: string };
    accountIds: Record<AccountName, string>;
    /** The role every stack assumes to deploy into an account, management included. */
    deploymentRoleArns: Record<AccountName, string>;
    /** Read-only (no data reads) roles for `pulumi preview`, by account. */
    previewRoleArns: Record<AccountName, string>;
    /** The test account's role for pr-<n> stacks: pr-* resources only. */
    pullRequestDeploymentRoleArn: string;
    /** The boundary every role a pr-<n> stack creates must carry. */
    pullRequestBoundaryArn: string;
    breakGlassRoleArns: Record<MemberAccount, string>;
    allowedRegions: string[];
    ecrRegistry: string;
    /** Image and Helm chart (OCI) repository URLs, by repository name. */
    ecrRepositoryUrls: Record<string, string>;
    logArchiveBucket: string;
    identityCenterInstanceArn: string;
}

export const FOUNDATION_OUTPUT_KEYS = [
    "organizationId",
    "rootId",
    "ouIds",
    "accountIds",
    "deploymentRoleArns",
    "previewRoleArns",
    "pullRequestDeploymentRoleArn",
    "pullRequestBoundaryArn",
    "breakGlassRoleArns",
    "allowedRegions",
    "ecrRegistry",
    "ecrRepositoryUrls",
    "logArchiveBucket",
    "identityCenterInstanceArn",
] as const satisfies readonly (keyof FoundationOutputs)[];

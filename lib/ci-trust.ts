import { AccountName } from "./environments";
import { physicalName } from "./naming";

/**
 * The CI trust model (docs/ci-trust.md): who in GitHub Actions may become which role, in which
 * account, over which stacks. One home for the names, so bootstrap (CI roles, keys), foundation
 * (account roles), platform (access entries) and the workflows' tests agree on them.
 */

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** What a deploy or preview job targets; each is also the name of a GitHub environment. */
export const CI_TARGETS = ["org", "mgmt", "test", "preprod", "prod"] as const;
export type CiTarget = (typeof CI_TARGETS)[number];

/** The trust levels: a pull request's code, a read-only preview, a deployment from main. */
export type TrustLevel = "pr" | "preview" | "deploy";

export const TARGET_ACCOUNT: Record<CiTarget, AccountName> = {
    org: "management",
    mgmt: "management",
    test: "test",
    preprod: "preprod",
    prod: "prod",
};

/** The environment whose secrets key encrypts a target's stacks; pr-<n> stacks are the test environment's. */
export type SecretsEnvironment = CiTarget;

/** Roles of the same name in the accounts (the guardrails and trust policies match them by name). */
export const PREVIEW_ROLE_NAME = "payments-preview";
export const PR_DEPLOYMENT_ROLE_NAME = "payments-pr-deployment";
export const PR_BOUNDARY_POLICY_NAME = "payments-pr-boundary";
/** Every resource a pull request may create or change is named like this... */
export const PR_NAME_PATTERN = "pr-*";
/** ...and carries this tag (provider defaultTags of every pr-<n> stack). */
export const PR_TAG = "PullRequest";

export function prBoundaryArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:policy/${PR_BOUNDARY_POLICY_NAME}`;
}

/** The Kubernetes identity of the PR trust level (EKS access entries; RBAC binds the groups). */
export const PR_KUBERNETES_USER = "payments:ci-pr";
export const PR_DEPLOYERS_GROUP = "payments:pr-deployers";
export const PR_ARGOCD_WRITERS_GROUP = "payments:pr-argocd-writers";
/** The hub namespace holding PR Applications; only the PR AppProject admits it (sourceNamespaces). */
export const PR_APPLICATIONS_NAMESPACE = "argocd-pr";
export const PR_APP_PROJECT = "pr";

/** CI roles live in the management account, next to the OIDC provider and the state bucket. */
export function ciRoleName(level: "pr"): string;
export function ciRoleName(level: "preview" | "deploy", target: CiTarget): string;
export function ciRoleName(level: TrustLevel, target?: CiTarget): string {
    return physicalName("mgmt", level === "pr" ? "ci-pr" : `ci-${level}-${target}`, { kind: "iamRole" });
}

/** Identity Center puts permission-set roles under this path, optionally with a region segment. */
export function permissionSetRolePattern(accountId: string, permissionSet: string): string {
    return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSet}_*`;
}

/** Every CI role the bootstrap stack creates (bootstrap/ci-identity.ts CI_ROLES, in the same order). */
export function ciRoleNames(): string[] {
    return [
        ciRoleName("pr"),
        ...CI_TARGETS.map((target) => ciRoleName("preview", target)),
        ...CI_TARGETS.map((target) => ciRoleName("deploy", target)),
    ];
}

export function roleArn(accountId: string, roleName: string): string {
    return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The GitHub environment a job runs in for each trust level (the `sub` claim then names it). */
export function githubEnvironment(level: "preview" | "deploy", target: CiTarget): string {
    return level === "deploy" ? target : `preview-${target}`;
}

/** The stacks (`project/stack`, `*` allowed) each target owns in the state bucket. */
export const TARGET_STACKS: Record<CiTarget | "pr", string[]> = {
    org: ["foundation/org"],
    mgmt: ["platform/mgmt"],
    test: ["platform/test", "workloads/test"],
    preprod: ["platform/preprod", "workloads/preprod"],
    prod: ["platform/prod", "workloads/prod"],
    pr: [`workloads/${PR_NAME_PATTERN}`],
};

/** The stacks whose outputs a target reads through stack references (read-only). */
export const TARGET_READS: Record<CiTarget | "pr", string[]> = {
    org: [],
    mgmt: ["foundation/org"],
    test: ["foundation/org", "platform/mgmt"],
    preprod: ["foundation/org", "platform/mgmt"],
    prod: ["foundation/org", "platform/mgmt"],
    pr: ["platform/test"],
};

/** Whose secrets key a stack uses: its target's, and the test key for pr-<n>. */
export function secretsEnvironmentOf(target: CiTarget | "pr"): SecretsEnvironment {
    return target === "pr" ? "test" : target;
}

/** The environments whose keys a target must decrypt with: its own, and those of the stacks it reads. */
export function decryptEnvironments(target: CiTarget | "pr"): SecretsEnvironment[] {
    const read = TARGET_READS[target].map((stack) => secretsEnvironmentOf(stack.split("/")[1] as CiTarget));
    return [...new Set([secretsEnvironmentOf(target), ...read])];
}

export function secretsKeyAlias(env: SecretsEnvironment): string {
    return `alias/${physicalName("mgmt", "pulumi-secrets", { suffix: env })}`;
}

/** Where the S3 ("diy") backend keeps one stack's checkpoint, history, backups and locks. */
export function stateObjectPatterns(stack: string): string[] {
    const [project, name] = stack.split("/");
    return [
        `.pulumi/stacks/${project}/${name}.json*`,
        ...["locks", "history", "backups"].map((area) => `.pulumi/${area}/${project}/${name}/*`),
    ];
}

export function lockObjectPattern(stack: string): string {
    const [project, name] = stack.split("/");
    return `.pulumi/locks/${project}/${name}/*`;
}

export function checkpointPattern(stack: string): string {
    const [project, name] = stack.split("/");
    return `.pulumi/stacks/${project}/${name}.json*`;
}

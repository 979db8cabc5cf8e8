import { UsageError } from "./errors";

/**
 * The fixed facts of the estate from shared/CONVENTIONS.md: which environments exist, which
 * account hosts each, and the VPC CIDRs that meet at the Transit Gateway.
 */
export const FULL_ENVIRONMENTS = ["mgmt", "test", "preprod", "prod"] as const;
export type FullEnvironment = (typeof FULL_ENVIRONMENTS)[number];
/** The environments that run the payments workloads (and promote in this order); mgmt is the hub. */
export const WORKLOAD_ENVIRONMENTS = ["test", "preprod", "prod"] as const satisfies readonly FullEnvironment[];
export type WorkloadEnvironment = (typeof WORKLOAD_ENVIRONMENTS)[number];
export type PullRequestEnvironment = `pr-${number}`;
export type Environment = FullEnvironment | PullRequestEnvironment;

export const MEMBER_ACCOUNTS = ["security", "test", "preprod", "prod"] as const;
export type MemberAccount = (typeof MEMBER_ACCOUNTS)[number];
export type AccountName = "management" | MemberAccount;

export const ACCOUNT_OF_ENVIRONMENT = {
    mgmt: "management",
    test: "test",
    preprod: "preprod",
    prod: "prod",
} as const satisfies Record<FullEnvironment, AccountName>;

export const VPC_CIDRS: Record<FullEnvironment, string> = {
    mgmt: "10.0.0.0/16",
    test: "10.10.0.0/16",
    preprod: "10.20.0.0/16",
    prod: "10.30.0.0/16",
};

export const DEFAULT_REGION = "us-east-1";

const PR_STACK = /^pr-([1-9][0-9]{0,6})$/;

/** The PR number of a `pr-<n>` stack name, or undefined for any other name. */
export function pullRequestNumber(stack: string): number | undefined {
    const match = PR_STACK.exec(stack);
    return match ? Number(match[1]) : undefined;
}

/** The public host of a PR environment (its stack exports it as `publicHostname`). */
export function pullRequestHostname(env: PullRequestEnvironment, domainName: string): string {
    return `${env}.${domainName}`;
}

export function isPullRequestEnvironment(env: string): env is PullRequestEnvironment {
    return pullRequestNumber(env) !== undefined;
}

export function isFullEnvironment(env: string): env is FullEnvironment {
    return (FULL_ENVIRONMENTS as readonly string[]).includes(env);
}

export function isWorkloadEnvironment(env: string): env is WorkloadEnvironment {
    return (WORKLOAD_ENVIRONMENTS as readonly string[]).includes(env);
}

/** The estate's Pulumi projects, in the order they deploy: each reads stacks of the ones before it. */
export const LAYERS = ["foundation", "platform", "workloads"] as const;
export type Layer = (typeof LAYERS)[number];

/** A stack of one of the layers. */
export interface StackTarget {
    project: Layer | "bootstrap";
    stack: string;
    /** The program's folder under the repository root, when it is not the project's name (bootstrap: the root). */
    directory?: string;
    /** The stack file to read, when it is not `Pulumi.<stack>.yaml` (every pr-<n> uses the template). */
    stackFile?: string;
}

/** The template every `pr-<n>` stack's config is made from (shared/CONVENTIONS.md). */
export const PR_STACK_TEMPLATE = "Pulumi.pr.yaml";

/**
 * Every stack an environment needs, in the order they deploy (and synthesize), so each stack's
 * references are answered by a stack before it.
 */
export function environmentChain(env: string): StackTarget[] {
    const upstream: StackTarget[] = [
        { project: "foundation", stack: "org" },
        { project: "platform", stack: "mgmt" },
    ];
    if (env === "mgmt") {
        // The CI roles (management account) that foundation's account roles trust: their chain is proven in mgmt's plan.
        return [{ project: "bootstrap", stack: "mgmt", directory: "." }, ...upstream];
    }
    if (isPullRequestEnvironment(env)) {
        return [
            ...upstream,
            { project: "platform", stack: PULL_REQUEST_PLATFORM },
            { project: "workloads", stack: env, stackFile: PR_STACK_TEMPLATE },
        ];
    }
    if (isFullEnvironment(env)) {
        return [...upstream, { project: "platform", stack: env }, { project: "workloads", stack: env }];
    }
    throw new UsageError(`Unknown environment "${env}". Use one of ${FULL_ENVIRONMENTS.join(", ")}, or pr-<n> (e.g. pr-42).`);
}

/** The platform every `pr-<n>` runs on. */
export const PULL_REQUEST_PLATFORM = "test" satisfies WorkloadEnvironment;

/** Name prefixes (before the first `-`) of the environments a platform env hosts: test also hosts every `pr-<n>`. */
export function hostedEnvironmentPrefixes(env: FullEnvironment): string[] {
    return env === "test" ? ["test", "pr"] : [env];
}

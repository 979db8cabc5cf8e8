/**
 * The fixed facts of the estate from shared/CONVENTIONS.md: which environments exist, which
 * account hosts each, and the VPC CIDRs that meet at the Transit Gateway.
 */
export const FULL_ENVIRONMENTS = ["mgmt", "test", "preprod", "prod"] as const;
export type FullEnvironment = (typeof FULL_ENVIRONMENTS)[number];
export type WorkloadEnvironment = Exclude<FullEnvironment, "mgmt">;
export type PullRequestEnvironment = `pr-${number}`;
export type Environment = FullEnvironment | PullRequestEnvironment;

export const MEMBER_ACCOUNTS = ["security", "test", "preprod", "prod"] as const;
export type MemberAccount = (typeof MEMBER_ACCOUNTS)[number];
export type AccountName = "management" | MemberAccount;

export const ACCOUNT_OF_ENVIRONMENT: Record<FullEnvironment, AccountName> = {
    mgmt: "management",
    test: "test",
    preprod: "preprod",
    prod: "prod",
};

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

export function isPullRequestEnvironment(env: string): env is PullRequestEnvironment {
    return pullRequestNumber(env) !== undefined;
}

export function isFullEnvironment(env: string): env is FullEnvironment {
    return (FULL_ENVIRONMENTS as readonly string[]).includes(env);
}

/** The platform every `pr-<n>` runs on. */
export const PULL_REQUEST_PLATFORM = "test" satisfies WorkloadEnvironment;

/** The account and platform an environment runs on: every `pr-<n>` shares `test`. */
export function platformEnvironmentOf(env: Environment): FullEnvironment {
    return isPullRequestEnvironment(env) ? PULL_REQUEST_PLATFORM : env;
}

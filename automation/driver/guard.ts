import { pullRequestNumber } from "../../lib/environments";
import { UserError } from "../../lib/errors";
import { ACCOUNT_ID_PATTERN, accountFromArn } from "../../lib/arn";
import { stackLabel, type StackRef } from "./engine";

/** The PR driver was asked to touch something that is not a PR environment in the test account. */
export class TargetRefusedError extends UserError {
    constructor(
        readonly ref: StackRef,
        readonly reasons: string[],
    ) {
        super(`refusing to touch ${stackLabel(ref)}: ${reasons.join("; ")}`);
    }
}

export interface TargetFacts {
    ref: StackRef;
    /** AWS accounts the stack's recorded providers deploy into (empty for a stack without state). */
    accounts: readonly string[];
}

export interface TargetRules {
    /** The test account id: the only account a PR environment may live in. */
    testAccountId: string;
    /** When the caller acts for one PR, the stack must be exactly that PR's. */
    pr?: number;
}

/**
 * The single gate in front of every mutating PR operation (up, destroy, remove, gc): the stack
 * must be `workloads/pr-<n>` (the requested n, when given) and everything it deploys must be in the
 * test account. Returns the PR number.
 */
export function assertPullRequestTarget(facts: TargetFacts, rules: TargetRules): number {
    const reasons: string[] = [];
    const pr = pullRequestNumber(facts.ref.stack);
    if (facts.ref.project !== "workloads") {
        reasons.push(`project is "${facts.ref.project}", PR environments live only in "workloads"`);
    }
    if (pr === undefined) {
        reasons.push(`stack "${facts.ref.stack}" is not named pr-<n>`);
    } else if (rules.pr !== undefined && pr !== rules.pr) {
        reasons.push(`stack "${facts.ref.stack}" is not the stack of PR ${rules.pr} (pr-${rules.pr})`);
    }
    if (!ACCOUNT_ID_PATTERN.test(rules.testAccountId)) {
        reasons.push(`the test account id "${rules.testAccountId}" is not a 12-digit AWS account id`);
    }
    const foreign = [...new Set(facts.accounts)].filter((account) => account !== rules.testAccountId);
    if (foreign.length > 0) {
        reasons.push(`it deploys into account(s) ${foreign.join(", ")}, not the test account ${rules.testAccountId}`);
    }
    if (reasons.length > 0 || pr === undefined) {
        throw new TargetRefusedError(facts.ref, reasons);
    }
    return pr;
}

/**
 * The accounts a stack's AWS providers deploy into, from their recorded inputs (`allowedAccountIds`
 * and the assumed roles' ARNs). Works on plan resources and on `pulumi stack export` resources alike.
 */
export function providerAccounts(resources: readonly { type: string; inputs?: Record<string, unknown> }[]): string[] {
    const accounts = new Set<string>();
    for (const resource of resources.filter((r) => r.type === "pulumi:providers:aws")) {
        const inputs = Object.fromEntries(Object.entries(resource.inputs ?? {}).map(([k, v]) => [k, decodeProviderInput(v)]));
        const allowed = Array.isArray(inputs.allowedAccountIds) ? inputs.allowedAccountIds : [];
        allowed.filter((a): a is string => typeof a === "string" && ACCOUNT_ID_PATTERN.test(a)).forEach((a) => accounts.add(a));
        for (const role of [inputs.assumeRoles, inputs.assumeRole].flat()) {
            const arn = (role as { roleArn?: unknown } | undefined)?.roleArn;
            const account = typeof arn === "string" ? accountFromArn(arn) : undefined;
            if (account !== undefined) {
                accounts.add(account);
            }
        }
    }
    return [...accounts].sort();
}

/** A real stack's state keeps a provider's structured inputs JSON-encoded (`"assumeRoles": "[{...}]"`). */
function decodeProviderInput(value: unknown): unknown {
    if (typeof value === "string" && /^[[{]/.test(value)) {
        try {
            return JSON.parse(value) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

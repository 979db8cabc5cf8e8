import { PULL_REQUEST_PLATFORM } from "./environments";
import { physicalName } from "./naming";

/**
 * The provisioning functions' names. platform/test's PR provisioner is the one function that holds
 * the shared database's master secret for pull requests: a pull request's code must never read that
 * secret, so it hands the function its PR number and nothing else, and the function derives every
 * name it creates or drops from that number (docs/worker.md). What it accepts is
 * lib/provisioning-contract.ts, kept apart so that planning a stack does not load zod.
 */

/** Set by platform/test on its function, so that the same bundle refuses every other request kind there. */
export const PULL_REQUEST_SCOPE = "pull-requests";

/**
 * `test-pr-provisioner`, the PR provisioner's function and role: outside `pr-*`, so the PR
 * deployment role may invoke it and change nothing of it.
 */
export function pullRequestProvisionerName(): string {
    return physicalName(PULL_REQUEST_PLATFORM, "pr-provisioner", { kind: "lambdaFunction" });
}

/**
 * The function and role of an environment's own provisioning function (`<env>-payments-provisioner`,
 * workloads): with the PR provisioner's, what a search domain's master role trusts.
 */
export function provisionerRoleName(env: string): string {
    return physicalName(env, "payments-provisioner", { kind: "iamRole" });
}

import { z } from "zod";
import { isPullRequestEnvironment, PULL_REQUEST_PLATFORM } from "./environments";
import { physicalName } from "./naming";

/**
 * The provisioning functions' names, and the contract between platform/test's PR provisioner (the one function that holds the shared
 * database's master secret for pull requests) and the pr-<n> stacks that invoke it. A pull
 * request's code must never read that secret, so it hands the function its PR number and nothing
 * else; the function derives every name it creates or drops from that number (docs/worker.md).
 */

/** What `aws.lambda.Invocation` with `lifecycleScope: "CRUD"` adds to the input under `tf`. */
export const InvocationLifecycle = z.object({ action: z.enum(["create", "update", "delete"]) }).loose();

/** The only input the PR provisioner accepts: unknown keys (a database name, a role) are refused. */
export const PullRequestProvisioningRequest = z.strictObject({
    kind: z.literal("pull-request"),
    pullRequest: z
        .number()
        .int()
        .refine((n) => isPullRequestEnvironment(`pr-${n}`), { message: "not a pull request number (1 to 9999999)" }),
    tf: InvocationLifecycle,
});
export type PullRequestProvisioningRequest = z.infer<typeof PullRequestProvisioningRequest>;

/** Set by platform/test on its function, so that the same bundle refuses every other request kind there. */
export const PULL_REQUEST_SCOPE = "pull-requests";

/** The function's settings (environment variables), set by the platform and never by the invoker. */
export const PullRequestProvisionerSettings = z.object({
    PROVISIONER_SCOPE: z.literal(PULL_REQUEST_SCOPE),
    DB_HOST: z.string().min(1),
    DB_PORT: z.coerce.number().int().positive(),
    MASTER_SECRET_ARN: z.string().startsWith("arn:"),
    /** https://<VPC endpoint> of the shared domain. */
    SEARCH_ENDPOINT: z.url(),
    SEARCH_MASTER_ROLE_ARN: z.string().startsWith("arn:"),
});
export type PullRequestProvisionerSettings = z.infer<typeof PullRequestProvisionerSettings>;

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

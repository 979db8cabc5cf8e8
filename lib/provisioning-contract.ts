import { z } from "zod";
import { isPullRequestEnvironment } from "./environments";
import { PULL_REQUEST_SCOPE } from "./provisioning";

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

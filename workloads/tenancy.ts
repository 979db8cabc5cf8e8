import { Environment } from "../lib/environments";

/**
 * How environments share the test PostgreSQL instance and OpenSearch domain: each pr-<n> gets its
 * own database and index prefix, so PRs never see each other's (or test's) data.
 */

/** The PostgreSQL role a full environment's worker logs in as with IAM authentication (granted `rds_iam`). */
export const WORKER_DB_USER = "payments_worker";

/**
 * The PostgreSQL role an environment's worker logs in as. Each PR has its own (`payments_pr_<n>`),
 * owning only its database: `rds-db:connect` names the user, so one PR's worker role cannot log in
 * as another's, and a shared user would reach every PR database on the shared instance.
 */
export function workerDatabaseUserFor(env: Environment): string {
    return env.startsWith("pr-") ? databaseNameFor(env) : WORKER_DB_USER;
}

/** `payments` for a full environment, `payments_pr_<n>` for a PR (PostgreSQL identifiers take no "-"). */
export function databaseNameFor(env: Environment): string {
    return env.startsWith("pr-") ? `payments_${env.replace(/-/g, "_")}` : "payments";
}

/** `payments-<env>`: the worker writes `<prefix>-transactions`. */
export function indexPrefixFor(env: Environment): string {
    return `payments-${env}`;
}

/**
 * The Kubernetes namespace: `payments` in an env's own cluster, `pr-<n>` beside it in the test
 * cluster (the platform's CI access entries name exactly these: platform:cluster.workloadNamespaces).
 */
export function namespaceFor(env: Environment): string {
    return env.startsWith("pr-") ? env : "payments";
}

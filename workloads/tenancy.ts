import { Environment } from "../lib/environments";

/**
 * How environments share the test PostgreSQL instance and OpenSearch domain: each pr-<n> gets its
 * own database and index prefix, so PRs never see each other's (or test's) data.
 */

/** The PostgreSQL role the worker logs in as with IAM authentication (granted `rds_iam`). */
export const WORKER_DB_USER = "payments_worker";

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

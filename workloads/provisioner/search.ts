import { LifecycleAction } from "./database";

/**
 * Fine-grained access control for one environment's worker: an OpenSearch security role that may
 * write and read only `<prefix>-transactions`, mapped to the worker's IAM role ARN as a backend role.
 * Applied by the provisioning function signed as the domain's master role; the worker's own role
 * can change nothing in the security plugin.
 */
export interface SearchAccessSpec {
    /** The security role, e.g. `payments-pr-7-worker`. */
    roleName: string;
    /** `<prefix>-transactions`: the only index the role touches. */
    index: string;
    /** IAM role ARNs that sign the worker's requests. */
    backendRoles: string[];
    /** Delete the index with the role when the environment goes (PRs). */
    dropIndexOnDelete: boolean;
}

/** One call to the domain's REST API; a 404 resolves (with its status), every other failure rejects. */
export type SearchRequest = (method: "GET" | "PUT" | "DELETE", path: string, body?: unknown) => Promise<{ statusCode: number }>;

const SECURITY_API = "/_plugins/_security/api";

/** The index-level actions the worker's calls need (index by id, create the index on first write, read back). */
export const WORKER_INDEX_ACTIONS = [
    "indices:data/write/index",
    "indices:data/write/bulk*",
    "indices:data/read/get",
    "indices:admin/create",
    "indices:admin/mapping/put",
];

export async function provisionSearchAccess(
    request: SearchRequest,
    spec: SearchAccessSpec,
    action: LifecycleAction,
): Promise<{ role: string; removed: boolean }> {
    const role = encodeURIComponent(spec.roleName);
    if (action === "delete") {
        await request("DELETE", `${SECURITY_API}/rolesmapping/${role}`);
        await request("DELETE", `${SECURITY_API}/roles/${role}`);
        if (spec.dropIndexOnDelete) await request("DELETE", `/${encodeURIComponent(spec.index)}`);
        return { role: spec.roleName, removed: true };
    }
    await request("PUT", `${SECURITY_API}/roles/${role}`, {
        cluster_permissions: ["indices:data/write/bulk"],
        index_permissions: [{ index_patterns: [spec.index], allowed_actions: WORKER_INDEX_ACTIONS }],
    });
    await request("PUT", `${SECURITY_API}/rolesmapping/${role}`, { backend_roles: spec.backendRoles });
    return { role: spec.roleName, removed: false };
}

/**
 * The Kubernetes groups EKS access entries map identities to, and the ClusterRoles the platform
 * creates for them (platform/cluster/access.ts holds the rules). One home for the names: the
 * platform binds them cluster-wide, the workloads layer binds them inside its namespace.
 */

/** The CI deploy identity in env clusters (test, preprod, prod). */
export const NAMESPACE_MANAGERS_GROUP = "payments:namespace-managers";
/** The CI deploy identity in the mgmt hub: writes Argo CD Applications. */
export const ARGOCD_WRITERS_GROUP = "payments:argocd-writers";
/** Argo CD's deployer role in env clusters: what the charts render beyond the admin access policy. */
export const WORKLOAD_DEPLOYERS_GROUP = "payments:workload-deployers";

/** Quotas, limits and the CRDs the charts render, bound per workload namespace. */
export const WORKLOAD_DEPLOYER_ROLE = "payments:workload-deployer";
/** Deleting and changing one namespace, bound inside that namespace. */
export const NAMESPACE_OWNER_ROLE = "payments:namespace-owner";
/** Creating namespaces and binding the two roles above, cluster-wide. */
export const NAMESPACE_MANAGER_ROLE = "payments:namespace-manager";

/**
 * Kubernetes' default user-facing ClusterRoles, written down once. Source: Kubernetes v1.31,
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoles `view`, `edit`,
 * `admin`, `cluster-admin` and their `system:aggregate-to-*` parts). EKS access policies are
 * these roles evaluated by the EKS authorizer, NOT the in-cluster ClusterRoles: rules that CRDs
 * aggregate into `edit`/`admin` in the cluster do not reach access policies
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html, EKS access
 * policy permissions as of platform version eks.20).
 */
export interface PolicyRule {
    apiGroups?: string[];
    resources?: string[];
    verbs: string[];
    resourceNames?: string[];
    nonResourceURLs?: string[];
}

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];

const VIEW: PolicyRule[] = [
    {
        apiGroups: [""],
        resources: [
            "pods",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "serviceaccounts",
            "services",
            "services/status",
            "endpoints",
            "persistentvolumeclaims",
            "persistentvolumeclaims/status",
            "configmaps",
            "bindings",
            "events",
            "limitranges",
            "namespaces/status",
            "pods/log",
            "pods/status",
            "replicationcontrollers/status",
            "resourcequotas",
            "resourcequotas/status",
            "namespaces",
        ],
        verbs: READ,
    },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    {
        apiGroups: ["apps"],
        resources: [
            "controllerrevisions",
            "daemonsets",
            "daemonsets/status",
            "deployments",
            "deployments/scale",
            "deployments/status",
            "replicasets",
            "replicasets/scale",
            "replicasets/status",
            "statefulsets",
            "statefulsets/scale",
            "statefulsets/status",
        ],
        verbs: READ,
    },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], verbs: READ },
    { apiGroups: ["batch"], resources: ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], verbs: READ },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets", "poddisruptionbudgets/status"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingresses/status", "networkpolicies"], verbs: READ },
];

const EDIT: PolicyRule[] = [
    ...VIEW,
    {
        apiGroups: [""],
        resources: ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"],
        verbs: READ,
    },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
    { apiGroups: [""], resources: ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], verbs: WRITE },
    { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
    {
        apiGroups: [""],
        resources: [
            "configmaps",
            "events",
            "persistentvolumeclaims",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "secrets",
            "serviceaccounts",
            "services",
            "services/proxy",
        ],
        verbs: WRITE,
    },
    { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
    {
        apiGroups: ["apps"],
        resources: [
            "daemonsets",
            "deployments",
            "deployments/rollback",
            "deployments/scale",
            "replicasets",
            "replicasets/scale",
            "statefulsets",
            "statefulsets/scale",
        ],
        verbs: WRITE,
    },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: WRITE },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: WRITE },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: [...READ, ...WRITE] },
];

const ADMIN: PolicyRule[] = [
    ...EDIT,
    { apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"] },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: [...READ, ...WRITE] },
];

const CLUSTER_ADMIN: PolicyRule[] = [
    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
    { nonResourceURLs: ["*"], verbs: ["*"] },
];

export const DEFAULT_CLUSTER_ROLES: Record<string, PolicyRule[]> = { view: VIEW, edit: EDIT, admin: ADMIN, "cluster-admin": CLUSTER_ADMIN };

/** EKS access policies and the default ClusterRole each mirrors. */
export const ACCESS_POLICY_ROLES: Record<string, string> = {
    AmazonEKSViewPolicy: "view",
    AmazonEKSEditPolicy: "edit",
    AmazonEKSAdminPolicy: "admin",
    AmazonEKSClusterAdminPolicy: "cluster-admin",
};

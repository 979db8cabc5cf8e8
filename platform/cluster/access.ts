import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_OWNER_ROLE, WORKLOAD_DEPLOYER_ROLE } from "../../lib/cluster-rbac";

/** EKS access policies this estate grants (arn:aws:eks::aws:cluster-access-policy/<name>). */
export type AccessPolicyName = "AmazonEKSClusterAdminPolicy" | "AmazonEKSAdminPolicy" | "AmazonEKSEditPolicy" | "AmazonEKSViewPolicy";

export interface AccessPolicyGrant {
    policy: AccessPolicyName;
    /** Omitted: cluster-wide. Set: only these namespaces (a trailing `*` matches a prefix). */
    namespaces?: string[];
}

export interface AccessGrant {
    principalArn: pulumi.Input<string>;
    policies: AccessPolicyGrant[];
    /** Groups bound by our own RBAC (for rights no access policy expresses, e.g. creating namespaces). */
    kubernetesGroups?: string[];
    /** The Kubernetes user name our RBAC binds (defaults to the assumed-role session). */
    userName?: string;
}

/**
 * What a workload namespace needs that no EKS access policy grants (access policies cover
 * neither ResourceQuota/LimitRange writes nor any CRD): bound in each workload namespace, by the
 * workloads stack, to the CI identity and Argo CD's deployer.
 */
const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];
export const WORKLOAD_DEPLOYER_RULES = [
    { apiGroups: [""], resources: ["resourcequotas", "limitranges"], verbs: ALL_VERBS },
    { apiGroups: ["argoproj.io"], resources: ["rollouts", "rollouts/scale", "analysistemplates", "experiments"], verbs: ALL_VERBS },
    { apiGroups: ["argoproj.io"], resources: ["analysisruns"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["elbv2.k8s.aws"], resources: ["targetgroupbindings"], verbs: ALL_VERBS },
    // A PR's route on the shared PR gateway (platform/outputs.ts PR_GATEWAY); the admission policy limits its hosts.
    { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: ALL_VERBS },
];

/**
 * Deleting and changing one namespace (`pr down`, `pr gc`): bound by a RoleBinding inside that
 * namespace, which Kubernetes matches against requests on the namespace object itself, so CI can
 * delete the namespaces it made and no other (kube-system included).
 */
export const NAMESPACE_OWNER_RULES = [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "update", "patch", "delete"] }];

/**
 * The cluster-scoped rights of the CI identity in env clusters: creating namespaces (`pr up`) and
 * binding the owner and workload-deployer roles (only those: RBAC's escalation check sees to it)
 * inside a namespace.
 */
export const NAMESPACE_MANAGER_RULES = [
    { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch", "create"] },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ALL_VERBS },
    {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles"],
        verbs: ["bind"],
        resourceNames: [WORKLOAD_DEPLOYER_ROLE, NAMESPACE_OWNER_ROLE],
    },
];

export function accessPolicyArn(policy: AccessPolicyName): string {
    return `arn:aws:eks::aws:cluster-access-policy/${policy}`;
}

/** The policies a grant actually associates, with their scope. */
function associations(
    grant: AccessGrant,
): { policy: AccessPolicyName; policyArn: string; accessScope: aws.types.input.eks.AccessPolicyAssociationAccessScope }[] {
    return grant.policies
        .filter(({ namespaces }) => namespaces === undefined || namespaces.length > 0)
        .map(({ policy, namespaces }) => ({
            policy,
            policyArn: accessPolicyArn(policy),
            accessScope: namespaces === undefined ? { type: "cluster" } : { type: "namespace", namespaces },
        }));
}

/**
 * The eks.Cluster `accessEntries` input for a set of named grants. Grants without a policy
 * (RBAC groups only) get no association; namespace grants without namespaces are dropped,
 * because EKS rejects a namespace scope with an empty list.
 */
export function toAccessEntries(grants: Record<string, AccessGrant>): Record<string, eks.types.input.AccessEntryArgs> {
    const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
    for (const [key, grant] of Object.entries(grants)) {
        const accessPolicies: Record<string, eks.types.input.AccessPolicyAssociationArgs> = {};
        for (const { policy, policyArn, accessScope } of associations(grant)) {
            accessPolicies[policy] = { policyArn, accessScope };
        }
        entries[key] = {
            principalArn: grant.principalArn,
            type: "STANDARD",
            kubernetesGroups: grant.kubernetesGroups,
            username: grant.userName,
            accessPolicies,
        };
    }
    return entries;
}

/**
 * The same grant as standalone resources, for principals that only exist once the cluster does
 * (the metrics collector, Argo CD's deployer role registered by its env stack).
 */
export function grantAccess(
    parent: pulumi.Resource,
    name: string,
    clusterName: pulumi.Input<string>,
    grant: AccessGrant,
): pulumi.Resource[] {
    const entry = new aws.eks.AccessEntry(
        name,
        {
            clusterName,
            principalArn: grant.principalArn,
            type: "STANDARD",
            kubernetesGroups: grant.kubernetesGroups,
            userName: grant.userName,
        },
        { parent },
    );
    const policies = associations(grant).map(
        ({ policy, policyArn, accessScope }) =>
            new aws.eks.AccessPolicyAssociation(
                `${name}-${policy}`,
                { clusterName, principalArn: entry.principalArn, policyArn, accessScope },
                { parent },
            ),
    );
    return [entry, ...policies];
}

import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";

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
}

/** Kubernetes groups this layer binds with its own RBAC objects. */
export const NAMESPACE_MANAGERS_GROUP = "payments:namespace-managers";
export const ARGOCD_WRITERS_GROUP = "payments:argocd-writers";

export function accessPolicyArn(policy: AccessPolicyName): string {
    return `arn:aws:eks::aws:cluster-access-policy/${policy}`;
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
        for (const { policy, namespaces } of grant.policies) {
            if (namespaces !== undefined && namespaces.length === 0) {
                continue;
            }
            accessPolicies[policy] = {
                policyArn: accessPolicyArn(policy),
                accessScope: namespaces === undefined ? { type: "cluster" } : { type: "namespace", namespaces },
            };
        }
        entries[key] = {
            principalArn: grant.principalArn,
            type: "STANDARD",
            kubernetesGroups: grant.kubernetesGroups,
            accessPolicies,
        };
    }
    return entries;
}

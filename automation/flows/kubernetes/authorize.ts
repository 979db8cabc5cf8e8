import { Estate, EstateResource } from "../estate";
import { Decision } from "../flow";
import { ACCESS_POLICY_ROLES, DEFAULT_CLUSTER_ROLES, PolicyRule } from "./default-roles";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

export interface AccessPolicyGrant {
    policy: string;
    /** undefined: cluster-wide. */
    namespaces?: string[];
}

export interface AccessEntry {
    cluster: string;
    /** Key in the cluster component's accessEntries, or the resource name. */
    key: string;
    principalArn: string;
    userName?: string;
    groups: string[];
    policies: AccessPolicyGrant[];
    stack: string;
}

export interface KubernetesRequest {
    verb: string;
    /** "" for the core group. */
    apiGroup: string;
    resource: string;
    /** undefined: a cluster-scoped object. */
    namespace?: string;
    name?: string;
}

interface Binding {
    kind: "ClusterRoleBinding" | "RoleBinding";
    name: string;
    namespace?: string;
    roleKind: string;
    roleName: string;
    subjects: { kind: string; name: string; namespace?: string }[];
}

interface ClusterRbac {
    clusterRoles: Map<string, PolicyRule[]>;
    roles: Map<string, PolicyRule[]>;
    bindings: Binding[];
}

type Scope = NonNullable<AccessPolicyGrant["namespaces"]>;

function scopeFrom(accessScope: { type?: string; namespaces?: string[] } | undefined): Scope | undefined {
    return accessScope?.type === "namespace" ? (accessScope.namespaces ?? []) : undefined;
}

/** Every EKS cluster of the plan by name, with its platform stack. */
export function clusters(estate: Estate): Map<string, { stack: string; resource: EstateResource }> {
    return estate.memo(
        "k8s:clusters",
        () => new Map(estate.ofType("eks:index:Cluster").map((c) => [String(c.inputs.name), { stack: c.stack, resource: c }])),
    );
}

/** Access entries from the cluster components' `accessEntries` and standalone AccessEntry resources. */
export function accessEntries(estate: Estate): AccessEntry[] {
    return estate.memo("k8s:entries", () => {
        const entries: AccessEntry[] = [];
        for (const [cluster, { stack, resource }] of clusters(estate)) {
            for (const [key, raw] of Object.entries((resource.inputs.accessEntries ?? {}) as Record<string, any>)) {
                entries.push({
                    cluster,
                    key,
                    principalArn: String(raw.principalArn),
                    userName: raw.username,
                    groups: raw.kubernetesGroups ?? [],
                    policies: Object.entries((raw.accessPolicies ?? {}) as Record<string, any>).map(([policy, a]) => ({
                        policy,
                        namespaces: scopeFrom(a.accessScope),
                    })),
                    stack,
                });
            }
        }
        const associations = estate.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        for (const entry of estate.ofType("aws:eks/accessEntry:AccessEntry")) {
            const cluster = String(entry.inputs.clusterName);
            const principalArn = String(entry.inputs.principalArn);
            entries.push({
                cluster,
                key: entry.name,
                principalArn,
                userName: entry.inputs.userName as string | undefined,
                groups: (entry.inputs.kubernetesGroups as string[] | undefined) ?? [],
                policies: associations
                    .filter((a) => a.inputs.clusterName === cluster && a.inputs.principalArn === principalArn)
                    .map((a) => ({
                        policy: String(a.inputs.policyArn).split("/").pop()!,
                        namespaces: scopeFrom(a.inputs.accessScope as any),
                    })),
                stack: entry.stack,
            });
        }
        return entries;
    });
}

/**
 * The cluster a Kubernetes object is applied to: objects through a hub provider go to the mgmt
 * cluster; others to the cluster of their stack's environment (pr-<n> shares test's).
 */
export function clusterOf(estate: Estate, resource: EstateResource): string | undefined {
    const provider = resource.provider?.split("::").pop() ?? "";
    const [project, stack] = resource.stack.split("/");
    const env = provider.includes("argocd-hub") ? "mgmt" : project === "workloads" && stack.startsWith("pr-") ? "test" : stack;
    return [...clusters(estate).keys()].find((name) => name === `${env}-eks`);
}

/**
 * Who applies a stack's Kubernetes objects: platform stacks in their own cluster as their deployment
 * role; everything else as the CI role of the stack's trust level (docs/ci-trust.md): a pr-<n> stack
 * as the PR CI role, an env's stacks as that env's deploy CI role (one entry per env in the hub).
 */
export function applierOf(estate: Estate, resource: EstateResource): AccessEntry | undefined {
    const cluster = clusterOf(estate, resource);
    const [project, stack] = resource.stack.split("/");
    const throughHub = (resource.provider ?? "").includes("argocd-hub");
    const platformOwn = project === "platform" && !throughHub;
    const key = platformOwn
        ? "platform-deploy"
        : stack.startsWith("pr-")
          ? "ci-pr"
          : cluster === "mgmt-eks"
            ? `ci-deploy-${stack}`
            : "ci-deploy";
    return accessEntries(estate).find((e) => e.cluster === cluster && e.key === key);
}

function rbac(estate: Estate, cluster: string): ClusterRbac {
    return estate.memo(`k8s:rbac:${cluster}`, () => {
        const result: ClusterRbac = { clusterRoles: new Map(Object.entries(DEFAULT_CLUSTER_ROLES)), roles: new Map(), bindings: [] };
        const ofKind = (kind: string) =>
            estate.ofType(`kubernetes:rbac.authorization.k8s.io/v1:${kind}`).filter((r) => clusterOf(estate, r) === cluster);
        for (const role of ofKind("ClusterRole")) {
            result.clusterRoles.set(String((role.inputs.metadata as any)?.name), (role.inputs.rules as PolicyRule[]) ?? []);
        }
        for (const role of ofKind("Role")) {
            const meta = role.inputs.metadata as any;
            result.roles.set(`${meta?.namespace}/${meta?.name}`, (role.inputs.rules as PolicyRule[]) ?? []);
        }
        for (const kind of ["ClusterRoleBinding", "RoleBinding"] as const) {
            for (const binding of ofKind(kind)) {
                const meta = binding.inputs.metadata as any;
                const ref = binding.inputs.roleRef as any;
                result.bindings.push({
                    kind,
                    name: meta?.name,
                    namespace: meta?.namespace,
                    roleKind: ref?.kind,
                    roleName: ref?.name,
                    subjects: (binding.inputs.subjects as any[]) ?? [],
                });
            }
        }
        return result;
    });
}

function ruleAllows(rule: PolicyRule, request: KubernetesRequest): boolean {
    const has = (values: string[] | undefined, value: string) => (values ?? []).includes("*") || (values ?? []).includes(value);
    if (rule.nonResourceURLs) {
        return false;
    }
    if (!has(rule.apiGroups, request.apiGroup) || !has(rule.resources, request.resource) || !has(rule.verbs, request.verb)) {
        return false;
    }
    return (
        rule.resourceNames === undefined ||
        rule.resourceNames.length === 0 ||
        (request.name !== undefined && rule.resourceNames.includes(request.name))
    );
}

function inScope(namespaces: Scope | undefined, namespace: string | undefined): boolean {
    if (namespaces === undefined) {
        return true;
    }
    return namespace !== undefined && namespaces.some((n) => (n.endsWith("*") ? namespace.startsWith(n.slice(0, -1)) : n === namespace));
}

export function describe(request: KubernetesRequest): string {
    const kind = request.apiGroup === "" ? request.resource : `${request.resource}.${request.apiGroup}`;
    return `${request.verb} ${kind}${request.namespace ? ` in ${request.namespace}` : " (cluster-scoped)"}`;
}

/** EKS's authorizer (access policies) then RBAC: either may allow; neither denies. */
export function authorizeKubernetes(estate: Estate, entry: AccessEntry, request: KubernetesRequest): Decision {
    for (const grant of entry.policies) {
        const role = ACCESS_POLICY_ROLES[grant.policy];
        if (role === undefined) {
            return { allowed: undefined, because: `access policy ${grant.policy} is not modelled` };
        }
        // A namespace-scoped policy covers namespaced objects in its namespaces only (a namespace object counts as its own).
        const namespace = request.resource === "namespaces" ? request.name : request.namespace;
        if (grant.namespaces !== undefined && (namespace === undefined || !inScope(grant.namespaces, namespace))) {
            continue;
        }
        if (DEFAULT_CLUSTER_ROLES[role].some((rule) => ruleAllows(rule, request))) {
            return {
                allowed: true,
                because: `access policy ${grant.policy}${grant.namespaces ? ` on ${grant.namespaces.join(",")}` : " (cluster)"}`,
            };
        }
    }
    const model = rbac(estate, entry.cluster);
    const user = entry.userName;
    // Kubernetes gives a request on a namespace object that namespace: its RoleBindings apply.
    const namespace = request.resource === "namespaces" && request.name ? request.name : request.namespace;
    for (const binding of model.bindings) {
        if (binding.kind === "RoleBinding" && binding.namespace !== namespace) {
            continue;
        }
        const subject = binding.subjects.find(
            (s) => (s.kind === "Group" && entry.groups.includes(s.name)) || (s.kind === "User" && user !== undefined && s.name === user),
        );
        if (!subject) {
            continue;
        }
        const rules =
            binding.roleKind === "ClusterRole"
                ? model.clusterRoles.get(binding.roleName)
                : model.roles.get(`${binding.namespace}/${binding.roleName}`);
        if (rules?.some((rule) => ruleAllows(rule, request))) {
            return {
                allowed: true,
                because: `${binding.kind} ${binding.name} (${subject.kind} ${subject.name}) -> ${binding.roleKind} ${binding.roleName}`,
            };
        }
    }
    const grants =
        entry.policies.map((p) => `${p.policy}${p.namespaces ? ` on ${p.namespaces.join(",")}` : ""}`).join("; ") || "no access policy";
    return {
        allowed: false,
        because: `neither ${grants} nor any RBAC binding for ${[user, ...entry.groups].filter(Boolean).join(", ") || "its user"} allows it`,
    };
}

import { Estate } from "./estate";
import { judge } from "./flow";
import { AccessEntry, accessEntries, applierOf, authorizeKubernetes, describe, KubernetesRequest } from "./kubernetes/authorize";
import { Flow } from "../../plan-model/flows";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

/** Kinds without a namespace (the rest are namespaced). */
const CLUSTER_SCOPED = new Set([
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
]);

/** `kubernetes:argoproj.io/v1alpha1:AnalysisTemplate` -> group `argoproj.io`, resource `analysistemplates`. */
export function kindOf(type: string): { apiGroup: string; resource: string; kind: string } | undefined {
    const match = /^kubernetes:(?:(.+)\/)?([^/:]+):([A-Za-z]+)$/.exec(type);
    if (!match || match[1] === "helm.sh" || type.startsWith("kubernetes:yaml")) {
        return undefined;
    }
    const [, group, , kind] = match;
    return { apiGroup: group === "core" || group === undefined ? "" : group, resource: plural(kind), kind };
}

export function plural(kind: string): string {
    const lower = kind.toLowerCase();
    if (lower.endsWith("y")) {
        return `${lower.slice(0, -1)}ies`;
    }
    return lower.endsWith("s") ? `${lower}es` : `${lower}s`;
}

function request(verb: string, apiGroup: string, resource: string, namespace?: string, name?: string): KubernetesRequest {
    return { verb, apiGroup, resource, namespace, name };
}

function subjectOf(entry: AccessEntry): string {
    return `${entry.principalArn.split("/").pop()} (${entry.cluster})`;
}

/** Every object a stack applies: whoever applies it may create it (and, for workloads, delete it on teardown). */
function appliedObjectFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const resource of estate.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"))) {
        const kind = kindOf(resource.type);
        const entry = applierOf(estate, resource);
        if (!kind || !entry) {
            continue;
        }
        const meta = (resource.inputs.metadata ?? {}) as { name?: string; namespace?: string };
        const namespace = CLUSTER_SCOPED.has(kind.kind) ? undefined : (meta.namespace ?? "default");
        const verbs = resource.stack.startsWith("workloads/") ? ["create", "delete"] : ["create"];
        for (const verb of verbs) {
            const req = request(verb, kind.apiGroup, kind.resource, namespace, meta.name);
            flows.push(
                judge(
                    {
                        kind: "kubernetes",
                        subject: subjectOf(entry),
                        action: describe(req),
                        target: `${kind.kind} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name ?? resource.name}`,
                        expect: "allowed",
                        stack: resource.stack,
                    },
                    authorizeKubernetes(estate, entry, req),
                ),
            );
        }
    }
    return flows;
}

/** What the charts of each Argo CD Application render, applied by the destination's deployer role. */
function renderedKinds(values: any): { apiGroup: string; resource: string; kind: string }[] {
    const kinds = [{ apiGroup: "", resource: "services", kind: "Service" }];
    kinds.push(
        values?.rollout?.enabled
            ? { apiGroup: "argoproj.io", resource: "rollouts", kind: "Rollout" }
            : { apiGroup: "apps", resource: "deployments", kind: "Deployment" },
    );
    if (values?.targetGroupBinding?.enabled) {
        kinds.push({ apiGroup: "elbv2.k8s.aws", resource: "targetgroupbindings", kind: "TargetGroupBinding" });
    }
    if (values?.serviceAccount?.create) {
        kinds.push({ apiGroup: "", resource: "serviceaccounts", kind: "ServiceAccount" });
    }
    return kinds;
}

function deployerOf(estate: Estate, env: string): AccessEntry | undefined {
    return accessEntries(estate).find((e) => e.cluster === `${env}-eks` && e.principalArn.endsWith(`:role/${env}-argocd-deployer`));
}

function applicationFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const app of estate.ofType("kubernetes:argoproj.io/v1alpha1:Application")) {
        const spec = app.inputs.spec as any;
        const env = String(spec?.destination?.name);
        const namespace = String(spec?.destination?.namespace);
        const deployer = deployerOf(estate, env);
        if (!deployer) {
            continue;
        }
        for (const kind of renderedKinds(spec?.source?.helm?.valuesObject)) {
            const req = request("create", kind.apiGroup, kind.resource, namespace);
            flows.push(
                judge(
                    {
                        kind: "kubernetes",
                        subject: subjectOf(deployer),
                        action: describe(req),
                        target: `${kind.kind} rendered by ${(app.inputs.metadata as any)?.name}`,
                        expect: "allowed",
                        stack: app.stack,
                    },
                    authorizeKubernetes(estate, deployer, req),
                ),
            );
        }
    }
    return flows;
}

/** What each kind of identity must never do, per cluster. */
function denialFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const deny = (entry: AccessEntry, req: KubernetesRequest, stack: string) =>
        flows.push(
            judge(
                { kind: "kubernetes", subject: subjectOf(entry), action: describe(req), target: entry.cluster, expect: "denied", stack },
                authorizeKubernetes(estate, entry, req),
            ),
        );
    for (const entry of accessEntries(estate)) {
        const role = entry.principalArn.split("/").pop() ?? "";
        if (entry.key === "ci-deploy") {
            deny(entry, request("create", "rbac.authorization.k8s.io", "clusterrolebindings"), entry.stack);
            deny(entry, request("create", "apps", "deployments", "kube-system"), entry.stack);
            deny(entry, request("get", "", "secrets", "kube-system"), entry.stack);
            deny(entry, request("delete", "", "namespaces", undefined, "kube-system"), entry.stack);
        } else if (/argocd-deployer$/.test(role)) {
            deny(entry, request("create", "apps", "deployments", "kube-system"), entry.stack);
            deny(entry, request("delete", "", "namespaces", undefined, "payments"), entry.stack);
            deny(entry, request("create", "rbac.authorization.k8s.io", "clusterroles"), entry.stack);
        } else if (entry.key.startsWith("developer")) {
            deny(entry, request("create", "", "pods", "payments"), entry.stack);
            deny(entry, request("get", "", "secrets", "payments"), entry.stack);
        }
    }
    return flows;
}

export function kubernetesFlows(estate: Estate): Flow[] {
    return [...appliedObjectFlows(estate), ...applicationFlows(estate), ...denialFlows(estate)];
}

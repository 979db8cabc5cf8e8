import { CelInput, run } from "@bufbuild/cel";
import { expect } from "chai";
import { Inventory } from "../../harness";
import { synthesizeCluster } from "./fixture";

const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const PR_USER = "payments:ci-pr";

/** CEL maps are Maps: Kubernetes' admission request and object, as the API server binds them. */
function toCel(value: unknown): CelInput {
    if (Array.isArray(value)) {
        return value.map(toCel);
    }
    if (value !== null && typeof value === "object") {
        return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
    }
    return value as CelInput;
}

interface AdmissionRequest {
    user: string;
    operation: "CREATE" | "UPDATE" | "DELETE";
    group: string;
    resource: string;
    namespace: string;
    name: string;
    object?: Record<string, unknown>;
}

/**
 * Whether the synthesized ValidatingAdmissionPolicy admits a request: its match conditions select
 * the request, then every validation must hold (the Deny binding), with a CEL evaluator.
 */
function admits(inventory: Inventory, request: AdmissionRequest): boolean {
    const policy = inventory.one(VAP);
    const bindings = {
        request: toCel({
            operation: request.operation,
            namespace: request.namespace,
            name: request.name,
            resource: { group: request.group, resource: request.resource },
            userInfo: { username: request.user, groups: ["system:authenticated"] },
        }),
        object: toCel(request.operation === "DELETE" ? null : (request.object ?? {})),
    };
    const conditions = inventory.input<{ expression: string }[]>(policy, "spec.matchConditions");
    if (!conditions.every((c) => run(c.expression, bindings) === true)) {
        return true;
    }
    return inventory.input<{ expression: string }[]>(policy, "spec.validations").every((v) => run(v.expression, bindings) === true);
}

const application = (namespace: string, project: string): AdmissionRequest => ({
    user: PR_USER,
    operation: "CREATE",
    group: "argoproj.io",
    resource: "applications",
    namespace,
    name: "pr-42-payments-api",
    object: { spec: { project, destination: { name: "test", namespace: "pr-42" } } },
});

describe("platform/cluster PR identity guard (admission policies, evaluated with CEL)", function () {
    this.timeout(120_000);
    let hub: Inventory;
    let test: Inventory;

    before(async () => {
        [hub, test] = await Promise.all([synthesizeCluster("mgmt"), synthesizeCluster("test")]);
    });

    describe("in the Argo CD hub", () => {
        it("admits the PR identity's Applications of the PR project in the PR namespace only", () => {
            expect(admits(hub, application("argocd-pr", "pr"))).to.equal(true);
            expect(admits(hub, application("argocd-pr", "prod"))).to.equal(false);
            expect(admits(hub, application("argocd-pr", "test"))).to.equal(false);
            expect(admits(hub, application("argocd", "pr"))).to.equal(false);
            expect(admits(hub, application("argocd", "prod"))).to.equal(false);
            expect(admits(hub, { ...application("argocd-pr", "pr"), operation: "DELETE" })).to.equal(true);
        });

        it("refuses the PR identity any other object, cluster Secrets and projects included", () => {
            const write = (group: string, resource: string, namespace: string): AdmissionRequest => ({
                user: PR_USER,
                operation: "CREATE",
                group,
                resource,
                namespace,
                name: "x",
                object: {},
            });
            expect(admits(hub, write("", "secrets", "argocd"))).to.equal(false);
            expect(admits(hub, write("argoproj.io", "appprojects", "argocd"))).to.equal(false);
            expect(admits(hub, write("", "namespaces", ""))).to.equal(false);
            expect(admits(hub, write("rbac.authorization.k8s.io", "rolebindings", "argocd-pr"))).to.equal(false);
        });

        it("leaves other identities to RBAC", () => {
            expect(
                admits(hub, {
                    ...application("argocd", "prod"),
                    user: "arn:aws:sts::111111111111:assumed-role/mgmt-ci-deploy-prod/deploy-prod",
                }),
            ).to.equal(true);
        });

        it("admits Applications in the PR namespace only to the PR project, which deploys only to pr-* of the test cluster", () => {
            const projects = hub.ofType("kubernetes:argoproj.io/v1alpha1:AppProject");
            const admitting = projects.filter((p) =>
                (hub.input<string[] | undefined>(p, "spec.sourceNamespaces") ?? []).includes("argocd-pr"),
            );
            expect(admitting.map((p) => hub.input(p, "metadata.name"))).to.deep.equal(["pr"]);
            expect(hub.input(admitting[0], "spec.destinations")).to.deep.equal([{ name: "test", namespace: "pr-*" }]);
            expect(hub.input(admitting[0], "spec.clusterResourceWhitelist")).to.deep.equal([]);
            const release = hub.ofType("kubernetes:helm.sh/v3:Release").find((r) => hub.input(r, "name") === "argocd")!;
            expect(hub.input(release, "values.configs.params")).to.deep.equal({ "application.namespaces": "argocd-pr" });
        });

        it("binds the PR Argo CD writers only to Applications in the PR namespace", () => {
            const bindings = [
                ...hub.ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"),
                ...hub.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"),
            ].filter((b) =>
                (hub.input<{ name: string }[]>(b, "subjects") ?? []).some(
                    (s) => s.name === "payments:pr-argocd-writers" || s.name === PR_USER,
                ),
            );
            expect(bindings.map((b) => [b.type.split(":").pop(), hub.input(b, "metadata.namespace")])).to.deep.equal([
                ["RoleBinding", "argocd-pr"],
            ]);
            const role = hub
                .ofType("kubernetes:rbac.authorization.k8s.io/v1:Role")
                .find((r) => hub.input(r, "metadata.name") === hub.input(bindings[0], "roleRef.name"))!;
            expect(hub.input(role, "rules")).to.deep.equal([
                {
                    apiGroups: ["argoproj.io"],
                    resources: ["applications"],
                    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
                },
            ]);
        });
    });

    describe("in the test cluster", () => {
        const write = (
            resource: string,
            namespace: string,
            name = "x",
            operation: AdmissionRequest["operation"] = "CREATE",
        ): AdmissionRequest => ({
            user: PR_USER,
            operation,
            group: resource === "namespaces" || resource === "resourcequotas" ? "" : "apps",
            resource,
            namespace,
            name,
            object: {},
        });

        it("admits the PR identity's writes in pr-* namespaces and of pr-* namespaces", () => {
            expect(admits(test, write("deployments", "pr-42"))).to.equal(true);
            expect(admits(test, write("resourcequotas", "pr-42"))).to.equal(true);
            expect(admits(test, write("namespaces", "", "pr-43"))).to.equal(true);
            expect(admits(test, write("namespaces", "", "pr-43", "DELETE"))).to.equal(true);
        });

        it("refuses it anything outside pr-*: the test environment's namespace, other namespaces, cluster-scoped objects", () => {
            expect(admits(test, write("deployments", "payments"))).to.equal(false);
            expect(admits(test, write("deployments", "kube-system"))).to.equal(false);
            expect(admits(test, write("namespaces", "", "payments", "DELETE"))).to.equal(false);
            expect(admits(test, write("namespaces", "", "prod"))).to.equal(false);
            expect(admits(test, { ...write("clusterrolebindings", ""), group: "rbac.authorization.k8s.io" })).to.equal(false);
        });

        it("exists only where the PR identity has an entry: the test cluster and the hub", async () => {
            const prod = await synthesizeCluster("prod");
            expect(prod.ofType(VAP)).to.deep.equal([]);
        });
    });
});

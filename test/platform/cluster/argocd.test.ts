import { expect } from "chai";
import { argocdHubPolicy, argocdValues } from "../../../platform/cluster/argocd";
import { argocdClusterConfig } from "../../../platform/cluster/argocd-destination";
import { Inventory } from "../../harness";
import { HUB_ROLE_ARN, clusterConfigFor, synthesizeCluster } from "./fixture";

describe("platform/cluster Argo CD", () => {
    let mgmt: Inventory;
    let prod: Inventory;

    before(async () => {
        [mgmt, prod] = [await synthesizeCluster("mgmt"), await synthesizeCluster("prod")];
    });

    describe("hub (mgmt)", () => {
        it("runs Argo CD highly available, with SSO and no local admin", () => {
            const release = mgmt.one("kubernetes:helm.sh/v3:Release", "mgmt-argocd");
            expect(mgmt.input(release, "values.redis-ha.enabled")).to.equal(true);
            expect(mgmt.input(release, "values.server.autoscaling.minReplicas")).to.be.at.least(2);
            expect(mgmt.input(release, "values.repoServer.autoscaling.minReplicas")).to.be.at.least(2);
            const cm = mgmt.input<Record<string, unknown>>(release, "values.configs.cm");
            expect(cm["admin.enabled"]).to.equal(false);
            expect(cm["oidc.config"]).to.include("issuer: https://example.okta.com").and.include("clientSecret: $argocd-oidc:clientSecret");
            expect(mgmt.input<Record<string, string>>(release, "values.configs.rbac")["policy.csv"]).to.equal(
                "g, platform-admins, role:admin",
            );
        });

        it("puts argocd-server's pods (its TLS port) in the internal ALB's target group, reachable from that ALB only, once the controller runs", () => {
            const binding = mgmt.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "mgmt-argocd-server-binding");
            expect(mgmt.input(binding, "metadata")).to.deep.equal({ name: "argocd-server", namespace: "argocd" });
            expect(mgmt.input(binding, "spec.serviceRef")).to.deep.equal({ name: "argocd-server", port: 443 });
            expect(mgmt.input(binding, "spec.targetGroupARN")).to.match(/:targetgroup\/mgmt-argocd-server\//);
            expect(mgmt.input(binding, "spec.networking.ingress")).to.deep.equal([
                { from: [{ securityGroup: { groupID: "sg-0internalalb" } }], ports: [{ protocol: "TCP", port: 8080 }] },
            ]);
            expect(mgmt.dependenciesOf(binding).map((d) => d.name)).to.include.members([
                "mgmt-argocd",
                "mgmt-aws-load-balancer-controller",
            ]);
        });

        it("creates one AppProject per env, each allowed only its own cluster and no cluster-scoped resources", () => {
            // The PR project (pr-identity-guard.test.ts) is the one more: pr-* of the test cluster only.
            const projects = mgmt
                .ofType("kubernetes:argoproj.io/v1alpha1:AppProject")
                .filter((p) => mgmt.input(p, "metadata.name") !== "pr");
            expect(projects.map((p) => mgmt.input(p, "metadata.name"))).to.have.members(["test", "preprod", "prod"]);
            for (const project of projects) {
                const env = mgmt.input<string>(project, "metadata.name");
                expect(mgmt.input(project, "spec.destinations")).to.deep.equal([{ name: env, namespace: "*" }]);
                expect(mgmt.input(project, "spec.clusterResourceWhitelist")).to.deep.equal([]);
                // Applications pull versioned charts from the central ECR (OCI), with the hub's refreshed credential.
                expect(mgmt.input(project, "spec.sourceRepos")).to.deep.equal([
                    "https://github.com/example/payments-deploy.git",
                    "111111111111.dkr.ecr.us-east-1.amazonaws.com/charts",
                ]);
            }
        });

        it("binds the hub role to the Argo CD components that reach clusters, allowed only to assume env deployer roles", () => {
            const associations = mgmt
                .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
                .filter((a) => a.inputs.namespace === "argocd");
            // The chart-credential refresher has its own role (pull-only), not the hub's.
            expect(associations.map((a) => a.inputs.serviceAccount)).to.have.members([
                "argocd-application-controller",
                "argocd-server",
                "ecr-credential-refresher",
            ]);
            const policy = JSON.parse(mgmt.one("aws:iam/rolePolicy:RolePolicy", "mgmt-argocd-hub").inputs.policy as string);
            expect(policy).to.deep.equal(
                argocdHubPolicy("arn:aws:eks:us-east-1:111111111111:cluster/mgmt-eks", ["test", "preprod", "prod"]),
            );
            expect(policy.Statement[0].Resource).to.deep.equal([
                "arn:aws:iam::*:role/test-argocd-deployer",
                "arn:aws:iam::*:role/preprod-argocd-deployer",
                "arn:aws:iam::*:role/prod-argocd-deployer",
            ]);
        });

        it("lets CI write Applications and only the env cluster Secrets in the argocd namespace", () => {
            const role = mgmt.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "mgmt-argocd-writer");
            const rules = mgmt.input<{ resources: string[]; verbs: string[]; resourceNames?: string[] }[]>(role, "rules");
            const secretUpdates = rules.find((r) => r.resources.includes("secrets") && r.verbs.includes("update"))!;
            expect(secretUpdates.resourceNames).to.deep.equal(["cluster-test", "cluster-preprod", "cluster-prod"]);
            const ci = Object.values(
                mgmt.input<Record<string, { principalArn: string; kubernetesGroups?: string[] }>>(
                    mgmt.one("eks:index:Cluster"),
                    "accessEntries",
                ),
            ).find((e) => e.principalArn.endsWith(":role/mgmt-ci-deploy-test"))!;
            expect(ci.kubernetesGroups).to.deep.equal(["payments:argocd-writers"]);
            expect(mgmt.outputs.argocdHubKubeconfig).to.equal("[secret]");
            expect(mgmt.outputs.argocdNamespace).to.equal("argocd");
        });
    });

    describe("env registration (from the env's own platform stack)", () => {
        it("creates a deployer role that trusts only the hub role", () => {
            const role = prod.one("aws:iam/role:Role", "prod-argocd-destination-deployer");
            expect(role.inputs.name).to.equal("prod-argocd-deployer");
            const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
            expect(trust.Statement).to.deep.equal([
                { Effect: "Allow", Principal: { AWS: HUB_ROLE_ARN }, Action: ["sts:AssumeRole", "sts:TagSession"] },
            ]);
        });

        it("gives the deployer role an access entry: read cluster-wide, admin only in workload namespaces", () => {
            const entry = prod.one("aws:eks/accessEntry:AccessEntry", "prod-argocd-destination-deployer");
            expect(entry.inputs.clusterName).to.equal("prod-eks");
            const scopes = prod
                .ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
                .filter((a) => a.name.startsWith("prod-argocd-destination-deployer-"))
                .map((a) => [String(a.inputs.policyArn).split("/").pop(), a.inputs.accessScope]);
            expect(scopes).to.have.deep.members([
                ["AmazonEKSViewPolicy", { type: "cluster" }],
                ["AmazonEKSAdminPolicy", { type: "namespace", namespaces: clusterConfigFor("prod").workloadNamespaces }],
            ]);
        });

        it("registers the cluster in the hub through the hub's provider, once the access entry exists", () => {
            const secret = prod.one("kubernetes:core/v1:Secret");
            expect(prod.input(secret, "metadata")).to.deep.include({ name: "cluster-prod", namespace: "argocd" });
            expect(prod.input(secret, "metadata.labels")).to.deep.include({ "argocd.argoproj.io/secret-type": "cluster" });
            expect(secret.provider).to.equal(prod.one("pulumi:providers:kubernetes", "prod-argocd-hub-k8s").urn);
            const entries = prod
                .ofType("aws:eks/accessEntry:AccessEntry")
                .concat(prod.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation"));
            const deployerAccess = entries.filter((e) => e.name.startsWith("prod-argocd-destination-deployer")).map((e) => e.urn);
            expect(secret.dependencies).to.include.members(deployerAccess);
            expect(prod.outputs.argocdHubRoleArn).to.equal(HUB_ROLE_ARN);
        });

        it("authenticates Argo CD through the deployer role with the cluster CA verified", () => {
            const config = JSON.parse(argocdClusterConfig("prod-eks", "arn:aws:iam::444444444444:role/prod-argocd-deployer", "Q0E="));
            expect(config).to.deep.equal({
                awsAuthConfig: { clusterName: "prod-eks", roleARN: "arn:aws:iam::444444444444:role/prod-argocd-deployer" },
                tlsClientConfig: { insecure: false, caData: "Q0E=" },
            });
        });

        it("watches only what the deployer role may see", () => {
            const values = argocdValues(clusterConfigFor("mgmt").argocd!) as { configs: { cm: Record<string, unknown> } };
            expect(values.configs.cm["resource.respectRBAC"]).to.equal("normal");
        });
    });
});

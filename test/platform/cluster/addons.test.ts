import { expect } from "chai";
import { POD_IDENTITY_TRUST } from "../../../lib/pod-identity";
import { CHARTS, EXACT_CHART_VERSION } from "../../../platform/cluster/versions";
import { Inventory } from "../../harness";
import { synthesizeCluster } from "./fixture";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";

interface Statement {
    Sid?: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
}

describe("platform/cluster add-ons", () => {
    let prod: Inventory;
    let mgmt: Inventory;

    before(async () => {
        [prod, mgmt] = [await synthesizeCluster("prod"), await synthesizeCluster("mgmt")];
    });

    const policyOf = (inventory: Inventory, roleName: string): Statement[] =>
        JSON.parse(inventory.one("aws:iam/rolePolicy:RolePolicy", roleName).inputs.policy as string).Statement;

    it("installs the controllers every env needs, and Argo CD only in mgmt", () => {
        const charts = (inventory: Inventory) => inventory.ofType(RELEASE).map((r) => r.inputs.chart);
        expect(charts(prod)).to.have.members([
            "aws-load-balancer-controller",
            "metrics-server",
            "argo-rollouts",
            "external-dns",
            "cluster-autoscaler",
        ]);
        expect(charts(mgmt)).to.include("argo-cd").and.not.include("argo-rollouts");
    });

    it("pins every Helm release to an exact chart version from its upstream repository", () => {
        // OCI charts (the runner controller's) are addressed by a full oci:// reference instead of a repository.
        const reference = (c: { chart: string; repository: string }) =>
            c.repository.startsWith("oci://") ? `${c.repository}/${c.chart}` : c.chart;
        const pinned = new Map<string, { version: string; repository: string }>(Object.values(CHARTS).map((c) => [reference(c), c]));
        for (const release of [...prod.ofType(RELEASE), ...mgmt.ofType(RELEASE)]) {
            const version = release.inputs.version as string;
            const chart = pinned.get(release.inputs.chart as string)!;
            expect(version, `${release.name} version`).to.match(EXACT_CHART_VERSION);
            expect(version).to.equal(chart.version);
            if (chart.repository.startsWith("oci://")) {
                expect(release.inputs.repositoryOpts, release.name).to.equal(undefined);
            } else {
                expect(prod.input(release, "repositoryOpts.repo"))
                    .to.equal(chart.repository)
                    .and.match(/^https:\/\//);
            }
        }
        expect(EXACT_CHART_VERSION.test("^1.2.0")).to.equal(false);
        expect(EXACT_CHART_VERSION.test("1.x")).to.equal(false);
    });

    it("deploys every release through the cluster's own provider", () => {
        const provider = prod.one("pulumi:providers:kubernetes", "prod-eks-k8s");
        expect(provider.inputs.kubeconfig).to.equal("[secret]");
        for (const release of prod.ofType(RELEASE)) {
            expect(release.provider, release.name).to.equal(provider.urn);
        }
    });

    it("gives each controller that calls AWS its own Pod Identity role, bound to its service account", () => {
        const associations = prod.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation");
        const bound = associations.map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`);
        expect(bound).to.have.members([
            "kube-system/aws-load-balancer-controller",
            "external-dns/external-dns",
            "kube-system/cluster-autoscaler",
            "argo-rollouts/argo-rollouts",
        ]);
        const roleArns = new Set(associations.map((a) => a.inputs.roleArn));
        expect(roleArns.size).to.equal(associations.length);
        for (const association of associations) {
            const role = prod.ofType(ROLE).find((r) => String(association.inputs.roleArn).endsWith(`:role/${r.inputs.name}`))!;
            expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal(POD_IDENTITY_TRUST);
        }
        expect((POD_IDENTITY_TRUST.Statement as unknown[])[0]).to.deep.include({
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        });
    });

    it("lets external-dns change records only in the private zone", () => {
        const statements = policyOf(prod, "prod-external-dns");
        const writes = statements.filter((s) => ([] as string[]).concat(s.Action).includes("route53:ChangeResourceRecordSets"));
        expect(writes.map((s) => s.Resource)).to.deep.equal(["arn:aws:route53:::hostedzone/Z0PRIVATEZONE"]);
        const release = prod.one(RELEASE, "prod-external-dns");
        expect(release.inputs.values).to.deep.include({ policy: "upsert-only" });
        expect(prod.input<string[]>(release, "values.extraArgs")).to.include.members([
            "--zone-id-filter=Z0PRIVATEZONE",
            "--aws-zone-type=private",
        ]);
    });

    it("lets the Cluster Autoscaler scale only this cluster's node groups", () => {
        const scale = policyOf(prod, "prod-cluster-autoscaler").find((s) =>
            ([] as string[]).concat(s.Action).includes("autoscaling:SetDesiredCapacity"),
        )!;
        expect(scale.Condition).to.deep.equal({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/prod-eks": "owned" } });
        const release = prod.one(RELEASE, "prod-cluster-autoscaler");
        expect(prod.input(release, "values.autoDiscovery.clusterName")).to.equal("prod-eks");
        expect(prod.input(release, "values.image.tag")).to.match(/^v1\.33\./);
    });

    it("lets the Load Balancer Controller bind targets, never create load balancers", () => {
        const statements = policyOf(prod, "prod-aws-load-balancer-controller");
        const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action));
        expect(actions.filter((a) => /Create|Delete|Modify/.test(a))).to.deep.equal([]);
        const bind = statements.find((s) => s.Sid === "BindTargets")!;
        expect(bind.Resource).to.deep.equal(["arn:aws:elasticloadbalancing:us-east-1:444444444444:targetgroup/prod-*/*"]);
        const rules = statements.find((s) => s.Sid === "NodeSecurityGroupRulesInThisVpc")!;
        expect(rules.Condition).to.deep.equal({ ArnEquals: { "ec2:Vpc": "arn:aws:ec2:us-east-1:444444444444:vpc/vpc-0123456789abcdef0" } });
    });

    it("lets Argo Rollouts only query this env's Prometheus workspace", () => {
        const [statement, ...rest] = policyOf(prod, "prod-argo-rollouts");
        expect(rest).to.deep.equal([]);
        expect(([] as string[]).concat(statement.Action).every((a) => /^aps:(Query|Get)/.test(a))).to.equal(true);
        expect(statement.Resource).to.match(/^arn:aws:aps:us-east-1:444444444444:workspace\/ws-/);
    });

    it("places controllers on the system nodes, tolerating their taint", () => {
        for (const name of ["prod-aws-load-balancer-controller", "prod-external-dns", "prod-cluster-autoscaler", "prod-metrics-server"]) {
            const values = prod.one(RELEASE, name).inputs.values as Record<string, unknown>;
            expect(values.nodeSelector, name).to.deep.equal({ "node.payments.io/role": "system" });
            expect(values.tolerations, name).to.deep.include({
                key: "CriticalAddonsOnly",
                operator: "Equal",
                value: "true",
                effect: "NoSchedule",
            });
        }
    });

    it("collects metrics with a managed scraper into Amazon Managed Prometheus and exports the query endpoint", () => {
        const workspace = prod.one("aws:amp/workspace:Workspace");
        const scraper = prod.one("aws:amp/scraper:Scraper");
        expect(prod.input(scraper, "source.eks.subnetIds")).to.deep.equal(["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]);
        expect(prod.input(scraper, "source.eks.securityGroupIds")).to.deep.equal([prod.outputs.clusterSecurityGroupId]);
        expect(scraper.dependencies).to.include(workspace.urn);
        expect(prod.outputs.metricsQueryEndpoint).to.match(/^https:\/\/aps-workspaces\.us-east-1\.amazonaws\.com\/workspaces\/ws-.+\/$/);
        // AMP creates the collector's access entry for its service-linked role; EKS refuses ours.
        expect(prod.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.name)).to.not.include("prod-metrics-collector");
        expect(
            prod.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "prod-metrics-collector").inputs.subjects,
        ).to.deep.include({
            kind: "User",
            name: "aps-collector-user",
            apiGroup: "rbac.authorization.k8s.io",
        });
    });
});

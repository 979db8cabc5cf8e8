import { expect } from "chai";
import { ANALYSIS_TEMPLATE } from "../../workloads/argo-applications";
import { Inventory } from "../harness";
import { asList, platformOf, policyOf, workloadsOf } from "./fixture";

const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("workloads Kubernetes, Argo CD and SES (prod)", function () {
    let prod: Inventory;
    let platform: Inventory;
    let test: Inventory;

    before(async () => {
        [prod, platform, test] = await Promise.all([workloadsOf("prod"), platformOf("prod"), workloadsOf("test")]);
    });

    const app = (stack: Inventory, service: string) =>
        stack.ofType(APPLICATION).find((a) => stack.input(a, "metadata.name") === `${stack === prod ? "prod" : "test"}-${service}`)!;
    const values = (stack: Inventory, service: string) =>
        stack.input<Record<string, any>>(app(stack, service), "spec.source.helm.valuesObject");

    it("enforces Pod Security restricted and caps the namespace with a quota and default limits", () => {
        const namespace = prod.one("kubernetes:core/v1:Namespace");
        expect(prod.input(namespace, "metadata.name")).to.equal("payments");
        expect(prod.input(namespace, "metadata.labels")).to.include({
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
        });
        expect(prod.input(prod.one("kubernetes:core/v1:ResourceQuota"), "spec.hard")).to.include({
            "requests.cpu": "64",
            "limits.memory": "128Gi",
            pods: "300",
        });
        expect(prod.input(prod.one("kubernetes:core/v1:LimitRange"), "spec.limits[0].type")).to.equal("Container");
    });

    it("denies all traffic by default and opens only DNS, the ALBs, callers of the API and AWS APIs", () => {
        const policies = Object.fromEntries(prod.ofType(POLICY).map((p) => [prod.input<string>(p, "metadata.name"), p]));
        expect(Object.keys(policies)).to.have.members([
            "default-deny-all",
            "allow-dns",
            "allow-from-vpc",
            "allow-to-api",
            "allow-api-calls",
            "allow-aws-apis",
        ]);
        expect(prod.input(policies["default-deny-all"], "spec")).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(prod.input(policies["allow-from-vpc"], "spec.ingress[0].from[0].ipBlock.cidr")).to.equal(platform.outputs.vpcCidr);
        expect(prod.input(policies["allow-to-api"], "spec.podSelector.matchLabels")).to.deep.equal({
            "app.kubernetes.io/name": "payments-api",
        });
        expect(prod.input(policies["allow-aws-apis"], "spec.podSelector.matchExpressions[0].values")).to.have.members([
            "payments-api",
            "admin-web",
        ]);
    });

    it("binds the API to its table and bucket only, and admin-web read-only, through Pod Identity", () => {
        const api = policyOf(prod, prod.one("aws:iam/rolePolicy:RolePolicy", "prod-payments-api"), "policy");
        const resources = api.Statement.flatMap((s) => asList(s.Resource));
        expect(resources).to.have.members([
            prod.outputs.paymentsTableArn,
            `${prod.outputs.rawPayloadBucketArn}/payments/*`,
            resources.find((r) => r.includes(":kms:")),
        ]);
        expect(api.Statement.flatMap((s) => asList(s.Action)).filter((a) => a.includes("*"))).to.deep.equal([]);

        const admin = policyOf(prod, prod.one("aws:iam/rolePolicy:RolePolicy", "prod-admin-web"), "policy");
        const writes = admin.Statement.flatMap((s) => asList(s.Action)).filter((a) =>
            /:(Put|Update|Delete|Create|Encrypt|GenerateDataKey|BatchWrite)/.test(a),
        );
        expect(writes).to.deep.equal([]);

        const associations = prod.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation");
        expect(associations.map((a) => prod.input(a, "serviceAccount"))).to.have.members(["payments-api", "admin-web"]);
        for (const association of associations) {
            expect(prod.input(association, "namespace")).to.equal("payments");
            expect(prod.input(association, "clusterName")).to.equal(platform.outputs.clusterName);
        }
        expect(prod.ofType("kubernetes:core/v1:ServiceAccount").map((sa) => prod.input(sa, "metadata.name"))).to.have.members([
            "payments-api",
            "payments-web",
            "admin-web",
        ]);
    });

    it("creates the three Applications in the hub from the versioned OCI charts, destined for the env cluster", () => {
        const hub = prod.ofType("pulumi:providers:kubernetes").find((p) => p.name === "prod-kubernetes-argocd-hub")!;
        for (const service of ["payments-api", "payments-web", "admin-web"]) {
            const application = app(prod, service);
            expect(application.provider?.startsWith(hub.urn), `${service} is created through the hub provider`).to.equal(true);
            expect(prod.input(application, "metadata.namespace")).to.equal(platform.outputs.argocdNamespace);
            expect(prod.input(application, "spec.source")).to.deep.include({
                repoURL: "111111111111.dkr.ecr.us-east-1.amazonaws.com/charts",
                chart: service,
                targetRevision: "1.0.0",
            });
            expect(prod.input(application, "spec.destination")).to.deep.equal({ name: "prod", namespace: "payments" });
            expect(prod.input(application, "spec.syncPolicy.automated")).to.deep.equal({ prune: true, selfHeal: true });
            expect(values(prod, service).image).to.deep.equal({
                repository: `111111111111.dkr.ecr.us-east-1.amazonaws.com/${service}`,
                tag: "1.0.0",
            });
            expect(values(prod, service).serviceAccount).to.deep.equal({ create: false, name: service });
        }
    });

    it("wires table, bucket, queues, endpoints, roles and the platform's target groups into the values", () => {
        const groups = platform.outputs.targetGroupArns as Record<string, string>;
        for (const service of ["payments-api", "payments-web", "admin-web"]) {
            expect(values(prod, service).targetGroupBinding, service).to.deep.equal({ enabled: true, targetGroupArn: groups[service] });
        }
        expect(values(prod, "payments-api").settings).to.include({
            PAYMENTS_TABLE_NAME: prod.outputs.paymentsTableName,
            RAW_PAYLOAD_BUCKET: prod.outputs.rawPayloadBucket,
        });
        expect(values(prod, "payments-api").aws.roleArn).to.equal(prod.outputs.apiRoleArn);
        // admin-web is handed only what its role may read (#12 finding 16).
        expect(values(prod, "admin-web").settings).to.include({
            PAYMENTS_TABLE_NAME: prod.outputs.paymentsTableName,
            RAW_PAYLOAD_BUCKET: prod.outputs.rawPayloadBucket,
        });
        expect(values(prod, "admin-web").settings).to.not.have.any.keys(
            "PROCESSING_QUEUE_URL",
            "DEAD_LETTER_QUEUE_URL",
            "OPENSEARCH_ENDPOINT",
        );
        expect(values(prod, "admin-web").aws.roleArn).to.equal(prod.outputs.adminRoleArn);
    });

    it("rolls prod out as an Argo Rollouts canary analysed against the platform's metrics, aborting on failure", () => {
        const canary = values(prod, "payments-api").rollout;
        expect(canary.enabled).to.equal(true);
        const steps = canary.strategy.canary.steps as Record<string, unknown>[];
        expect(steps.filter((s) => "setWeight" in s).map((s) => s.setWeight)).to.deep.equal([5, 25, 50, 75]);
        expect(steps.filter((s) => "pause" in s)).to.have.length(4);
        expect(canary.strategy.canary.analysis.templates).to.deep.equal([{ templateName: ANALYSIS_TEMPLATE }]);

        const template = prod.one("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
        expect(prod.input(template, "metadata.namespace")).to.equal("payments");
        const [metric] = prod.input<Record<string, any>[]>(template, "spec.metrics");
        expect(metric.failureLimit).to.equal(0);
        expect(metric.successCondition).to.equal("result[0] <= 0.01");
        expect(metric.provider.prometheus.address).to.equal(platform.outputs.metricsQueryEndpoint).and.not.equal("");

        expect(values(test, "payments-api").rollout).to.deep.equal({ enabled: false });
        expect(test.ofType("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")).to.have.length(0);
    });

    it("sends receipts from a DKIM-signed domain identity whose policy admits only the worker and API roles", () => {
        const identity = prod.one("aws:sesv2/emailIdentity:EmailIdentity");
        expect(prod.input(identity, "emailIdentity")).to.equal(platform.outputs.domainName);
        expect(prod.input(identity, "dkimSigningAttributes.nextSigningKeyLength")).to.equal("RSA_2048_BIT");
        expect(
            prod.ofType("aws:route53/record:Record").filter((r) => String(prod.input(r, "name")).includes("._domainkey.")),
        ).to.have.length(3);
        const destination = prod.one("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination");
        expect(prod.input<string[]>(destination, "eventDestination.matchingEventTypes")).to.include.members([
            "BOUNCE",
            "COMPLAINT",
            "DELIVERY",
        ]);
        const [statement] = policyOf(prod, prod.one("aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy"), "policy").Statement;
        expect((statement.Principal as { AWS: string[] }).AWS).to.have.members([prod.outputs.workerRoleArn, prod.outputs.apiRoleArn]);
    });
});

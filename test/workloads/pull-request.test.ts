import { expect } from "chai";
import { REQUIRED_TAG_KEYS } from "../../lib/tags";
import { PR_GATEWAY, PR_GATEWAY_PROXY_LABELS } from "../../platform/outputs";
import { Inventory, synthesizeLayer } from "../harness";
import { platformOf, workloadsOf } from "./fixture";

/** What a PR environment may create: fast, per-request-billed pieces on the shared test platform. */
const ALLOWED_TYPES = new Set([
    "aws:kms/key:Key",
    "aws:kms/alias:Alias",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketNotification:BucketNotification",
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:lambda/function:Function",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/invocation:Invocation",
    "aws:sns/topic:Topic",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:route53/record:Record",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:ResourceQuota",
    "kubernetes:core/v1:LimitRange",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:argoproj.io/v1alpha1:Application",
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
]);
/**
 * Slow or hourly-billed, or bounded by a per-ALB or per-VPC quota that 200 live PRs would exhaust
 * (listener rules, target groups; a security group of its own costs 3 Lambda ENIs of 250 per VPC).
 */
const FORBIDDEN =
    /^aws:(eks\/cluster|eks\/nodeGroup|ec2\/natGateway|rds\/|opensearch\/domain|cloudfront\/distribution|lb\/|sesv2\/|ec2\/securityGroup|vpc\/securityGroup)/;

describe("workloads pr-42 footprint", function () {
    let pr: Inventory;
    let platform: Inventory;

    before(async () => {
        [pr, platform] = await Promise.all([workloadsOf("pr-42"), platformOf("pr-42")]);
    });

    it("creates only the allowed, quick, per-request-billed resource types", () => {
        // The engine's own resources (providers, stack references) are no footprint in AWS.
        const custom = pr.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
        expect(custom.filter((r) => FORBIDDEN.test(r.type)).map((r) => r.type)).to.deep.equal([]);
        expect([...new Set(custom.map((r) => r.type))].filter((type) => !ALLOWED_TYPES.has(type))).to.deep.equal([]);
    });

    it("tags everything PullRequest=42 (with the standard tags) through the stack's one aws provider", () => {
        const providers = pr.ofType("pulumi:providers:aws");
        expect(providers).to.have.length(1);
        // Provider inputs reach the engine JSON-encoded.
        const tags = JSON.parse(pr.input<string>(providers[0], "defaultTags")).tags as Record<string, string>;
        expect(tags).to.include({ PullRequest: "42", Environment: "pr-42", Layer: "workloads" });
        expect(Object.keys(tags)).to.include.members([...REQUIRED_TAG_KEYS]);
        const awsResources = pr.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        expect(awsResources.filter((r) => !r.provider?.startsWith(providers[0].urn)).map((r) => r.name)).to.deep.equal([]);
    });

    it("protects and retains nothing, and lets destroy empty the bucket", () => {
        expect(pr.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        expect(pr.input(pr.one("aws:s3/bucket:Bucket"), "forceDestroy")).to.equal(true);
        expect(pr.input(pr.one("aws:dynamodb/table:Table"), "deletionProtectionEnabled")).to.equal(false);
        expect(pr.input(pr.one("aws:dynamodb/table:Table"), "billingMode")).to.equal("PAY_PER_REQUEST");
    });

    it("tears down without waiting for the worker's network interfaces to be released", () => {
        expect(pr.input(pr.one("aws:lambda/function:Function", "pr-42-payments-worker"), "replaceSecurityGroupsOnDestroy")).to.equal(true);
    });

    it("uses its own database name and index prefix on the shared test instances", () => {
        const shared = platform.outputs.sharedData as Record<string, string>;
        const variables = pr.input<Record<string, string>>(
            pr.one("aws:lambda/function:Function", "pr-42-payments-worker"),
            "environment.variables",
        );
        expect(variables).to.include({
            DB_HOST: shared.postgresEndpoint,
            DB_NAME: "payments_pr_42",
            OPENSEARCH_INDEX_PREFIX: "payments-pr-42",
        });
        expect(variables.OPENSEARCH_ENDPOINT).to.equal(`https://${shared.opensearchEndpoint}`);
        for (const app of pr.ofType("kubernetes:argoproj.io/v1alpha1:Application")) {
            expect(pr.input(app, "spec.source.helm.valuesObject.settings"), app.name).to.include({
                DATABASE_NAME: "payments_pr_42",
                OPENSEARCH_INDEX_PREFIX: "payments-pr-42",
            });
        }
    });

    it("routes pr-42.<test domain> through the platform's shared PR gateway: one HTTPRoute, no listener rule or target group", () => {
        const host = `pr-42.${platform.outputs.domainName}`;
        expect(pr.outputs.publicHostname).to.equal(host);
        const route = pr.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
        expect(pr.input(route, "metadata.namespace")).to.equal("pr-42");
        expect(pr.input(route, "spec.hostnames")).to.deep.equal([host]);
        expect(pr.input(route, "spec.parentRefs")).to.deep.equal([
            {
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: PR_GATEWAY.name,
                namespace: PR_GATEWAY.namespace,
                sectionName: PR_GATEWAY.listener,
            },
        ]);
        const rules = pr.input<{ matches: { path: { value: string } }[]; backendRefs: { name: string; port: number }[] }[]>(
            route,
            "spec.rules",
        );
        expect(rules.map((r) => [r.matches[0].path.value, r.backendRefs[0].name, r.backendRefs[0].port])).to.deep.equal([
            ["/api", "payments-api", 8080],
            ["/", "payments-web", 8080],
        ]);
        expect(pr.resources.filter((r) => r.type.startsWith("aws:lb/"))).to.deep.equal([]);
        const record = pr.one("aws:route53/record:Record");
        expect(pr.input(record, "name")).to.equal(host);
        expect(pr.input(record, "zoneId")).to.equal(platform.outputs.publicZoneId);
    });

    it("labels its namespace for the gateway and admits HTTP only from the gateway's proxies", () => {
        const namespace = pr.one("kubernetes:core/v1:Namespace");
        expect(pr.input(namespace, `metadata.labels`)).to.include({ [PR_GATEWAY.namespaceLabel]: "42" });
        const policy = pr
            .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .find((p) => pr.input(p, "metadata.name") === "allow-from-vpc")!;
        const ingress = pr.input<{ from: Record<string, unknown>[]; ports: { port: number }[] }[]>(policy, "spec.ingress");
        const http = ingress.filter((rule) => rule.ports.some((p) => p.port === 8080));
        expect(http).to.have.length(1);
        expect(http[0].from).to.deep.equal([
            {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": PR_GATEWAY.namespace } },
                podSelector: { matchLabels: PR_GATEWAY_PROXY_LABELS },
            },
        ]);
    });

    it("runs its worker in the security group the platform shares among PR workers, and no provisioner of its own", () => {
        expect(platform.outputs.pullRequestWorkerSecurityGroupId).to.be.a("string").and.not.equal("");
        const functions = pr.ofType("aws:lambda/function:Function");
        expect(functions.map((fn) => fn.name)).to.deep.equal(["pr-42-payments-worker"]);
        expect(pr.input(functions[0], "vpcConfig.securityGroupIds")).to.deep.equal([platform.outputs.pullRequestWorkerSecurityGroupId]);
    });

    it("asks the platform's PR provisioner for its data with its PR number only, and every role it creates carries the PR boundary", () => {
        const invocation = pr.one("aws:lambda/invocation:Invocation");
        expect(pr.input(invocation, "functionName"))
            .to.equal(platform.outputs.pullRequestProvisionerFunctionName)
            .and.to.equal("test-pr-provisioner");
        expect(JSON.parse(pr.input<string>(invocation, "input"))).to.deep.equal({ kind: "pull-request", pullRequest: 42 });
        expect(pr.input(invocation, "lifecycleScope")).to.equal("CRUD");
        const roles = pr.ofType("aws:iam/role:Role");
        expect(roles).to.not.be.empty;
        for (const role of roles) {
            expect(pr.input(role, "permissionsBoundary"), role.name).to.match(/:policy\/payments-pr-boundary$/);
        }
    });

    it("deploys the PR's chart and image into namespace pr-42, bound to no target group (the gateway reaches its services)", async () => {
        const custom = await synthesizeLayer("workloads", "pr-42", {
            "workloads:chartVersion": "1.3.0-pr.42",
            "workloads:imageTag": "0a1b2c3d",
        });
        expect(custom.input(custom.one("kubernetes:core/v1:Namespace"), "metadata.name")).to.equal("pr-42");
        const apps = custom.ofType("kubernetes:argoproj.io/v1alpha1:Application");
        expect(apps.map((a) => custom.input(a, "metadata.name"))).to.have.members(["pr-42-payments-web", "pr-42-payments-api"]);
        for (const app of apps) {
            expect(custom.input(app, "spec.source.targetRevision")).to.equal("1.3.0-pr.42");
            expect(custom.input(app, "spec.source.helm.valuesObject.image.tag")).to.equal("0a1b2c3d");
            expect(custom.input(app, "spec.destination")).to.deep.equal({ name: "test", namespace: "pr-42" });
            // The PR project, from the PR applications namespace: the only project that admits that namespace.
            expect(custom.input(app, "spec.project")).to.equal("pr");
            expect(custom.input(app, "metadata.namespace")).to.equal("argocd-pr");
            expect(custom.input(app, "spec.source.helm.valuesObject.rollout.enabled")).to.equal(false);
            expect(custom.input(app, "spec.source.helm.valuesObject.targetGroupBinding"), app.name).to.deep.equal({ enabled: false });
        }
    });
});

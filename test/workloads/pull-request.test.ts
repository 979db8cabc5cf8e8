import { expect } from "chai";
import { REQUIRED_TAG_KEYS } from "../../lib/tags";
import { pullRequestRulePriorities } from "../../workloads/pr-routing";
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
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:lambda/function:Function",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listenerRule:ListenerRule",
    "aws:route53/record:Record",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:ResourceQuota",
    "kubernetes:core/v1:LimitRange",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:argoproj.io/v1alpha1:Application",
]);
const FORBIDDEN = /^aws:(eks\/cluster|eks\/nodeGroup|ec2\/natGateway|rds\/|opensearch\/domain|cloudfront\/distribution|lb\/loadBalancer|sesv2\/)/;

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
        expect(pr.input(pr.one("aws:lambda/function:Function"), "replaceSecurityGroupsOnDestroy")).to.equal(true);
    });

    it("uses its own database name and index prefix on the shared test instances", () => {
        const shared = platform.outputs.sharedData as Record<string, string>;
        const variables = pr.input<Record<string, string>>(pr.one("aws:lambda/function:Function"), "environment.variables");
        expect(variables).to.include({ DB_HOST: shared.postgresEndpoint, DB_NAME: "payments_pr_42", OPENSEARCH_INDEX_PREFIX: "payments-pr-42" });
        expect(variables.OPENSEARCH_ENDPOINT).to.equal(`https://${shared.opensearchEndpoint}`);
        for (const app of pr.ofType("kubernetes:argoproj.io/v1alpha1:Application")) {
            expect(pr.input(app, "spec.source.helm.valuesObject.settings"), app.name).to.include({ DATABASE_NAME: "payments_pr_42", OPENSEARCH_INDEX_PREFIX: "payments-pr-42" });
        }
    });

    it("routes pr-42.<test domain> on the test platform's public listener to its own target groups", () => {
        const host = `pr-42.${platform.outputs.domainName}`;
        expect(pr.outputs.publicHostname).to.equal(host);
        const rules = pr.ofType("aws:lb/listenerRule:ListenerRule");
        expect(rules).to.have.length(2);
        const groups = pr.ofType("aws:lb/targetGroup:TargetGroup");
        for (const rule of rules) {
            expect(pr.input(rule, "listenerArn")).to.equal(platform.outputs.publicHttpsListenerArn);
            expect(pr.input(rule, "conditions[0].hostHeader.values")).to.deep.equal([host]);
            expect(groups.some((g) => rule.dependencies.includes(g.urn)), rule.name).to.equal(true);
        }
        expect(pr.input(pr.one("aws:lb/listenerRule:ListenerRule", "pr-42-payments-api-rule"), "priority")).to.equal(pullRequestRulePriorities(42).api);
        expect(pr.input(pr.one("aws:lb/listenerRule:ListenerRule", "pr-42-payments-api-rule"), "conditions[1].pathPattern.values")).to.deep.equal(["/api/*"]);
        for (const group of groups) {
            expect(pr.input(group, "targetType")).to.equal("ip");
            expect(pr.input(group, "vpcId")).to.equal(platform.outputs.vpcId);
        }
        const record = pr.one("aws:route53/record:Record");
        expect(pr.input(record, "name")).to.equal(host);
        expect(pr.input(record, "zoneId")).to.equal(platform.outputs.publicZoneId);
    });

    it("gives distinct PRs distinct rule priorities above the platform's own", () => {
        const seen = new Set<number>();
        for (const n of [1, 2, 42, 43, 999, 24_949]) {
            const { api, web } = pullRequestRulePriorities(n);
            expect(api).to.be.at.least(100);
            expect(web).to.be.at.most(50_000);
            expect(seen.has(api) || seen.has(web), `PR ${n}`).to.equal(false);
            seen.add(api).add(web);
        }
    });

    it("deploys the PR's chart and image into namespace pr-42, bound to its own target groups", async () => {
        const custom = await synthesizeLayer("workloads", "pr-42", { "workloads:chartVersion": "1.3.0-pr.42", "workloads:imageTag": "0a1b2c3d" });
        expect(custom.input(custom.one("kubernetes:core/v1:Namespace"), "metadata.name")).to.equal("pr-42");
        const apps = custom.ofType("kubernetes:argoproj.io/v1alpha1:Application");
        expect(apps.map((a) => custom.input(a, "metadata.name"))).to.have.members(["pr-42-payments-web", "pr-42-payments-api"]);
        const groups = custom.ofType("aws:lb/targetGroup:TargetGroup").map((g) => g.urn);
        for (const app of apps) {
            expect(custom.input(app, "spec.source.targetRevision")).to.equal("1.3.0-pr.42");
            expect(custom.input(app, "spec.source.helm.valuesObject.image.tag")).to.equal("0a1b2c3d");
            expect(custom.input(app, "spec.destination")).to.deep.equal({ name: "test", namespace: "pr-42" });
            expect(custom.input(app, "spec.project")).to.equal("test");
            expect(custom.input(app, "spec.source.helm.valuesObject.rollout.enabled")).to.equal(false);
            expect(groups.some((urn) => app.dependencies.includes(urn)), app.name).to.equal(true);
        }
    });
});

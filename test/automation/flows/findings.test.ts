import { expect } from "chai";
import { evaluateFlows, Flow } from "../../../automation/flows";
import { PlanDocument, PlannedResource } from "../../../plan-model/types";
import { planOf } from "../../harness";

/**
 * Each #12 finding, planted back on a copy of a real plan: the flow that names it must fail on
 * the copy and be proven on the plan as it is. The plans are synthesized once.
 */

/** The copy's resources, flattened for lookups; `remove` takes them out of their stacks. */
type Resources = PlannedResource[] & { remove(predicate: (r: PlannedResource) => boolean): void };
type Mutation = (resources: Resources) => void;

function planted(plan: PlanDocument, mutate: Mutation): Flow[] {
    const copy = JSON.parse(JSON.stringify(plan)) as PlanDocument;
    const resources = Object.assign(
        copy.stacks.flatMap((s) => s.resources),
        {
            remove(predicate: (r: PlannedResource) => boolean) {
                const doomed = copy.stacks.flatMap((s) => s.resources).filter(predicate);
                expect(doomed, "the mutation must remove something").to.not.be.empty;
                for (const stack of copy.stacks) {
                    stack.resources = stack.resources.filter((r) => !doomed.includes(r));
                }
            },
        },
    );
    mutate(resources);
    return evaluateFlows(copy);
}

function find(flows: Flow[], pattern: RegExp): Flow[] {
    return flows.filter((f) => pattern.test(f.id));
}

const named = (resources: PlannedResource[], type: string, name?: RegExp) =>
    resources.filter((r) => r.type === type && (name === undefined || name.test(r.name)));

function policyOf(resource: PlannedResource, key = "policy"): any {
    return JSON.parse(String(resource.inputs[key]));
}

interface Finding {
    finding: number;
    title: string;
    env: "pr-42" | "prod";
    flow: RegExp;
    /** The flows that prove the fix on the plan as it is, when the planted flow only exists once planted. */
    fixedBy?: RegExp;
    plant: Mutation;
}

const FINDINGS: Finding[] = [
    {
        finding: 2,
        title: "an access entry for the AMP scraper's service-linked role",
        env: "prod",
        flow: /access entry planted-collector .*is not for a service-linked role/,
        fixedBy: /access entry .*is not for a service-linked role/,
        plant: (resources) => {
            const entry = named(resources, "eks:index:Cluster", /^prod-eks$/)[0];
            (entry.inputs.accessEntries as any)["planted-collector"] = {
                principalArn: `arn:aws:iam::${entry.account}:role/AWSServiceRoleForAmazonPrometheusScraper_0123456789abcde`,
                type: "STANDARD",
                username: "aps-collector-user",
            };
        },
    },
    {
        finding: 3,
        title: "the org-only RCP without the ELB log-delivery exemption",
        env: "prod",
        flow: /ELB log delivery account 127311923021 -> prod-edge-logs-.*alb-public/,
        plant: (resources) => {
            const rcp = named(resources, "aws:organizations/policy:Policy", /rcp-data-perimeter/)[0];
            const content = policyOf(rcp, "content");
            delete content.Statement.find((s: any) => s.Sid === "EnforceOrgIdentitiesOnS3").Condition.StringNotEqualsIfExists[
                "aws:PrincipalAccount"
            ];
            rcp.inputs.content = JSON.stringify(content);
        },
    },
    {
        finding: 4,
        title: "an edge bucket named without its account id",
        env: "prod",
        flow: /bucket prod-static-assets(-\d{12})? -> .*name is unique/,
        plant: (resources) => {
            const bucket = named(resources, "aws:s3/bucket:Bucket").find((b) => String(b.id).startsWith("prod-static-assets"))!;
            bucket.id = "prod-static-assets";
        },
    },
    {
        finding: 5,
        title: "no workload-deployer binding: CI cannot create the quota",
        env: "pr-42",
        flow: /mgmt-ci-pr \(test-eks\) -> ResourceQuota pr-42\/payments-quota: create/,
        plant: (resources) =>
            resources.remove((r) => r.type.endsWith(":RoleBinding") && (r.inputs.metadata as any)?.name === "payments:workload-deployer"),
    },
    {
        finding: 6,
        title: "no namespace-owner binding: pr down cannot delete the namespace",
        env: "pr-42",
        flow: /mgmt-ci-pr \(test-eks\) -> Namespace pr-42: delete/,
        plant: (resources) =>
            resources.remove((r) => r.type.endsWith(":RoleBinding") && (r.inputs.metadata as any)?.name === "payments:namespace-owner"),
    },
    {
        finding: 7,
        title: "certificates validated before the parent delegates the zone",
        env: "prod",
        flow: /certificate validation prod-alb-cert -> prod\.payments\.example\.com: waits for the delegation/,
        plant: (resources) => resources.remove((r) => r.type === "aws:route53/record:Record" && r.inputs.type === "NS"),
    },
    {
        finding: 7,
        title: "a parent zone id typed into the stack files (platform:dns.parentZoneId = Z0PAYMENTSPARENTZONE1)",
        env: "prod",
        flow: /NS delegation prod-public-zone-delegation -> prod\.payments\.example\.com: is written into its parent domain's zone/,
        plant: (resources) => {
            named(resources, "aws:route53/record:Record", /^prod-public-zone-delegation$/)[0].inputs.zoneId = "Z0PAYMENTSPARENTZONE1";
        },
    },
    {
        finding: 9,
        title: "projects that allow only the Git repository",
        env: "prod",
        flow: /Application prod-payments-api -> .*source allowed by its project/,
        plant: (resources) => {
            for (const project of named(resources, "kubernetes:argoproj.io/v1alpha1:AppProject")) {
                (project.inputs.spec as any).sourceRepos = ["https://github.com/example/payments-deploy.git"];
            }
        },
    },
    {
        finding: 9,
        title: "an ECR credential nothing refreshes",
        env: "prod",
        flow: /Application prod-payments-api -> .*refreshed OCI credential/,
        plant: (resources) => resources.remove((r) => r.type === "kubernetes:batch/v1:CronJob"),
    },
    {
        finding: 10,
        title: "no rule admitting the ALBs to the pods",
        env: "prod",
        flow: /network:ALB prod-alb-public -> pods of target group prod-payments-api/,
        plant: (resources) =>
            resources.remove((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && /-to-pods-/.test(r.name)),
    },
    {
        finding: 11,
        // PRs now have no target groups of their own (all PR hosts go through the test-pr-gateway group).
        title: "a controller policy that cannot bind the test platform's target groups",
        env: "pr-42",
        flow: /aws-load-balancer-controller \(test-eks\) -> target group test-[a-z-]+: elasticloadbalancing:RegisterTargets/,
        plant: (resources) => {
            const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", /^test-aws-load-balancer-controller$/)[0];
            const document = policyOf(policy);
            const bind = document.Statement.find((s: any) => s.Sid === "BindTargets");
            bind.Resource = (bind.Resource as string[]).filter((r) => !r.includes("targetgroup/test-"));
            policy.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 12,
        title: "a deployer entry without the workload-deployers group",
        env: "prod",
        flow: /prod-argocd-deployer \(prod-eks\) -> Rollout rendered by prod-payments-api/,
        plant: (resources) => {
            const entry = named(resources, "aws:eks/accessEntry:AccessEntry", /argocd-destination-deployer$/)[0];
            entry.inputs.kubernetesGroups = [];
        },
    },
    {
        finding: 13,
        title: "a canary query on a label the scraper never sets",
        env: "prod",
        flow: /AnalysisTemplate payments-error-rate .*selects only labels/,
        plant: (resources) => {
            const template = named(resources, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")[0];
            const metric = (template.inputs.spec as any).metrics[0];
            metric.provider.prometheus.query = String(metric.provider.prometheus.query).replace(/app=/g, "service=");
        },
    },
    {
        finding: 14,
        title: "an organization aggregator while no account records its configuration",
        env: "prod",
        flow: /aggregator org-security-services-config-aggregator -> (management|security|test|preprod|prod) \(us-east-1\): sees a recording account/,
        plant: (resources) =>
            resources.remove((r) => r.type.startsWith("aws:cfg/") && r.type !== "aws:cfg/configurationAggregator:ConfigurationAggregator"),
    },
    {
        finding: 14,
        title: "recorders delivering to an archive whose bucket policy does not admit Config",
        env: "prod",
        flow: /AWS Config \(test\) -> org-audit-logs-\d+\/config\/AWSLogs\/test\/Config .*: s3:PutObject/,
        plant: (resources) => {
            const policy = named(resources, "aws:s3/bucketPolicy:BucketPolicy").find((p) =>
                String(p.inputs.bucket).startsWith("org-audit-logs"),
            )!;
            const document = policyOf(policy);
            document.Statement = document.Statement.filter((s: any) => !/^Config/.test(s.Sid));
            policy.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 14,
        title: "recorders delivering with a key Config may not use",
        env: "prod",
        flow: /AWS Config \(prod\) -> key of org-audit-logs-\d+: kms:GenerateDataKey/,
        plant: (resources) => {
            const key = named(resources, "aws:kms/key:Key", /^org-log-archive-key$/)[0];
            const document = policyOf(key);
            document.Statement = document.Statement.filter((s: any) => s.Sid !== "ConfigEncryptsDeliveries");
            key.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 14,
        title: "an archive any role of the security account can write into",
        env: "prod",
        flow: /payments-deployment \(security\) -> org-audit-logs-\d+\/config\/AWSLogs\/security\/Config/,
        plant: (resources) => {
            const policy = named(resources, "aws:s3/bucketPolicy:BucketPolicy").find((p) =>
                String(p.inputs.bucket).startsWith("org-audit-logs"),
            )!;
            const document = policyOf(policy);
            document.Statement = document.Statement.filter((s: any) => s.Sid !== "OnlyAuditServicesWrite");
            policy.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 18,
        title: "an alarm topic nobody subscribes to (the old DLQ alarm path)",
        env: "prod",
        flow: /alarm prod-payments-processing-dlq-depth -> prod-payments-alarms: alarmActions reach a subscribed topic/,
        plant: (resources) =>
            resources.remove((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.name === "prod-payments-alarms"),
    },
    {
        finding: 18,
        title: "an alarm that stays silent when it clears",
        env: "pr-42",
        flow: /alarm pr-42-payments-processing-dlq-depth -> \(none\): okActions reach a subscribed topic/,
        fixedBy: /alarm pr-42-payments-processing-dlq-depth -> pr-42-payments-alarms: okActions/,
        plant: (resources) => {
            named(resources, "aws:cloudwatch/metricAlarm:MetricAlarm")[0].inputs.okActions = [];
        },
    },
    {
        finding: 18,
        title: "budgets that alert only mailboxes",
        env: "prod",
        flow: /budget org-budgets-budget-prod -> \(no topic\): notifications reach a subscribed topic/,
        fixedBy: /budget org-budgets-budget-prod -> org-budget-alerts: notifications reach a subscribed topic/,
        plant: (resources) => {
            for (const notification of named(resources, "aws:budgets/budget:Budget", /budget-prod$/)[0].inputs.notifications as any[]) {
                delete notification.subscriberSnsTopicArns;
            }
        },
    },
    {
        finding: 18,
        title: "a budget topic whose policy does not admit Budgets",
        env: "prod",
        flow: /AWS Budgets \(budget org-budgets-budget-test\) -> topic org-budget-alerts: sns:Publish/,
        plant: (resources) => {
            const policy = named(resources, "aws:sns/topicPolicy:TopicPolicy", /^org-budget-alerts$/)[0];
            const document = policyOf(policy);
            document.Statement[0].Condition.StringEquals["aws:SourceAccount"] = "000000000000";
            policy.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 18,
        title: "an alarm topic encrypted with a key CloudWatch may not use",
        env: "prod",
        flow: /CloudWatch \(alarm prod-payments-processing-dlq-depth\) -> key of topic prod-payments-alarms: kms:GenerateDataKey/,
        plant: (resources) => {
            const key = named(resources, "aws:kms/key:Key", /^prod-payments-alarms-key$/)[0];
            const document = policyOf(key);
            document.Statement = document.Statement.filter((s: any) => s.Sid !== "ServicesPublish");
            key.inputs.policy = JSON.stringify(document);
        },
    },
    {
        finding: 15,
        title: "argocd-server with no name, load balancer or binding (the old hub)",
        env: "prod",
        flow: /Argo CD mgmt-argocd -> https:\/\/argocd\.internal\.mgmt\.payments\.example\.com: its URL is served/,
        plant: (resources) => resources.remove((r) => r.type === "aws:route53/record:Record" && r.name === "mgmt-dns-argocd"),
    },
    {
        finding: 15,
        title: "argocd-server bound to nothing",
        env: "prod",
        flow: /Argo CD mgmt-argocd -> .*: its URL is served/,
        plant: (resources) =>
            resources.remove(
                (r) =>
                    r.type === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding" &&
                    (r.inputs.metadata as any)?.name === "argocd-server",
            ),
    },
    {
        finding: 15,
        title: "the Argo CD load balancer opened to the internet",
        env: "prod",
        flow: /network:the internet -> ALB mgmt-alb-internal: tcp\/443/,
        plant: (resources) => {
            const group = named(resources, "aws:ec2/securityGroup:SecurityGroup", /^mgmt-alb-internal$/)[0];
            (group.inputs.ingress as any[]).forEach((rule) => (rule.cidrBlocks = ["0.0.0.0/0"]));
        },
    },
    {
        finding: 15,
        title: "the Argo CD load balancer open to the other environments' pods",
        env: "prod",
        flow: /network:pods in prod-eks -> ALB mgmt-alb-internal: tcp\/443/,
        plant: (resources) => {
            const group = named(resources, "aws:ec2/securityGroup:SecurityGroup", /^mgmt-alb-internal$/)[0];
            (group.inputs.ingress as any[]).forEach((rule) => rule.cidrBlocks.push("10.30.0.0/16"));
        },
    },
    {
        finding: 16,
        title: "admin-web handed the queue and search endpoints again",
        env: "prod",
        flow: /service admin-web \(prod\) -> (PROCESSING_QUEUE_URL|OPENSEARCH_ENDPOINT)/,
        fixedBy: /service admin-web \(prod\) -> /,
        plant: (resources) => {
            const app = named(resources, "kubernetes:argoproj.io/v1alpha1:Application", /admin-web$/)[0];
            const queue = named(resources, "aws:sqs/queue:Queue").find((q) => !/dlq/.test(String(q.inputs.name)))!;
            const settings = (app.inputs.spec as any).source.helm.valuesObject.settings;
            settings.PROCESSING_QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${queue.account}/${queue.inputs.name}`;
            settings.OPENSEARCH_ENDPOINT = "https://vpc-prod-search-0123456789abcdef.us-east-1.es.amazonaws.com";
        },
    },
    {
        finding: 17,
        title: "flow-log deletion denied to every deployment role",
        env: "prod",
        flow: /payments-deployment \(test\) -> .*ec2:DeleteFlowLogs/,
        plant: (resources) => {
            const scp = named(resources, "aws:organizations/policy:Policy", /scp-security-services/)[0];
            const content = policyOf(scp, "content");
            content.Statement[0].Action.push("ec2:DeleteFlowLogs");
            scp.inputs.content = JSON.stringify(content);
        },
    },
];

describe("flows: each #12 finding planted back fails its flow", function () {
    this.timeout(240_000);
    const plans: Partial<Record<Finding["env"], PlanDocument>> = {};

    before(async () => {
        plans.prod = await planOf("prod");
        plans["pr-42"] = await planOf("pr-42");
    });

    for (const finding of FINDINGS) {
        it(`finding ${finding.finding}: ${finding.title}`, () => {
            const plan = plans[finding.env]!;
            const before = find(plan.flows ?? [], finding.fixedBy ?? finding.flow);
            expect(before, `flows matching ${finding.fixedBy ?? finding.flow}`).to.not.be.empty;
            expect(
                before.filter((f) => f.result !== "proven"),
                JSON.stringify(before, null, 1),
            ).to.be.empty;
            const after = find(planted(plan, finding.plant), finding.flow);
            expect(
                after.map((f) => f.result),
                JSON.stringify(after, null, 1),
            ).to.include("failing");
        });
    }

    it("the plans as they are prove every flow except those waiting on #13's CI roles", () => {
        for (const plan of Object.values(plans)) {
            const failing = (plan!.flows ?? []).filter((f) => f.result === "failing" && !/payments-ci-deploy/.test(f.id));
            expect(failing, JSON.stringify(failing, null, 1)).to.be.empty;
        }
    });
});

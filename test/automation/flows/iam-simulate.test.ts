// AGPL-3.0 evaluator: test-only, never imported by the product (README, "IAM simulator licence").
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { evaluatePolicy, PolicyDocument, PolicyRequest } from "../../../automation/flows/iam/policy";
import { planEnvironment } from "../../../automation/plan/plan";
import { PlanDocument, PlannedResource } from "../../../plan-model/types";

/**
 * The flows engine decides IAM with pbac's statement matching and our own condition and principal
 * semantics (automation/flows/iam/policy.ts). This test checks it against a maintained evaluator,
 * @cloud-copilot/iam-simulate, on real statements of a real plan (prod: foundation/org,
 * platform/mgmt, platform/prod, workloads/prod): for every case both must reach the same decision.
 */

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
/** Where the document sits in the request: a resource (or trust) policy, an identity policy, or an SCP/RCP. */
type Placement = "resource" | "identity" | "scp" | "rcp";

interface Case {
    title: string;
    /** The plan resource holding the document, and its property. */
    document: (plan: Resources) => PolicyDocument;
    placement: Placement;
    principal: (plan: Resources) => string;
    action: string;
    resource: (plan: Resources) => string;
    context?: (plan: Resources) => Record<string, string>;
    /** The account owning the resource, where its ARN does not say (S3): default the log archive's (security). */
    owner?: string;
    /** What the statement is there to decide (both evaluators must also agree on it). */
    expect: Decision;
}

class Resources {
    readonly all: PlannedResource[];
    constructor(readonly plan: PlanDocument) {
        this.all = plan.stacks.flatMap((s) => s.resources);
    }
    one(type: string, name: RegExp): PlannedResource {
        const found = this.all.filter((r) => r.type === type && name.test(r.name));
        expect(found, `${type} ${name}`).to.have.length(1);
        return found[0];
    }
    policy(type: string, name: RegExp, key: string): PolicyDocument {
        return JSON.parse(String(this.one(type, name).inputs[key])) as PolicyDocument;
    }
    get accounts(): Record<string, string> {
        return this.plan.stacks.find((s) => s.project === "foundation")!.outputs.accountIds as Record<string, string>;
    }
    get organizationId(): string {
        return String(this.plan.stacks.find((s) => s.project === "foundation")!.outputs.organizationId);
    }
    role(account: string, name: string): string {
        return `arn:aws:iam::${this.accounts[account]}:role/${name}`;
    }
}

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const KEY = "aws:kms/key:Key";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const ORG_POLICY = "aws:organizations/policy:Policy";
const archive = (r: Resources) =>
    String(r.all.find((x) => x.type === BUCKET_POLICY && String(x.inputs.bucket).startsWith("org-audit-logs"))!.inputs.bucket);
const archivePolicy = (r: Resources) =>
    JSON.parse(
        String(r.all.find((x) => x.type === BUCKET_POLICY && String(x.inputs.bucket).startsWith("org-audit-logs"))!.inputs.policy),
    ) as PolicyDocument;
const configObject = (r: Resources, account: string) =>
    `arn:aws:s3:::${archive(r)}/config/AWSLogs/${r.accounts[account]}/Config/us-east-1/2026/1/1/ConfigSnapshot/x.json.gz`;
const service = (r: Resources, account: string, extra: Record<string, string> = {}) => ({
    "aws:SourceAccount": r.accounts[account],
    "aws:SourceOrgID": r.organizationId,
    "aws:PrincipalIsAWSService": "true",
    ...extra,
});
const role = (r: Resources, account: string, name: string) => ({
    "aws:PrincipalArn": r.role(account, name),
    "aws:PrincipalAccount": r.accounts[account],
    "aws:PrincipalOrgID": r.organizationId,
    "aws:PrincipalIsAWSService": "false",
});
const alarmTopic = (r: Resources) => String(r.one(TOPIC_POLICY, /^prod-payments-alarms$/).inputs.arn);
const budgetTopic = (r: Resources) => String(r.one(TOPIC_POLICY, /^org-budget-alerts$/).inputs.arn);

const CASES: Case[] = [
    {
        title: "log archive: Config writes its own account's prefix",
        document: archivePolicy,
        placement: "resource",
        principal: () => "config.amazonaws.com",
        action: "s3:PutObject",
        resource: (r) => configObject(r, "test"),
        context: (r) => service(r, "test", { "s3:x-amz-acl": "bucket-owner-full-control" }),
        expect: "Allowed",
    },
    {
        title: "log archive: Config for another account may not write this one's prefix",
        document: archivePolicy,
        placement: "resource",
        principal: () => "config.amazonaws.com",
        action: "s3:PutObject",
        resource: (r) => configObject(r, "test"),
        context: (r) => service(r, "prod", { "s3:x-amz-acl": "bucket-owner-full-control" }),
        expect: "ImplicitlyDenied",
    },
    {
        title: "log archive: Config checks the bucket ACL",
        document: archivePolicy,
        placement: "resource",
        principal: () => "config.amazonaws.com",
        action: "s3:GetBucketAcl",
        resource: (r) => `arn:aws:s3:::${archive(r)}`,
        context: (r) => service(r, "preprod"),
        expect: "Allowed",
    },
    {
        title: "log archive: the security account's own deployer cannot forge a log",
        document: archivePolicy,
        placement: "resource",
        principal: (r) => r.role("security", "payments-deployment"),
        action: "s3:PutObject",
        resource: (r) => configObject(r, "security"),
        context: (r) => role(r, "security", "payments-deployment"),
        expect: "ExplicitlyDenied",
    },
    {
        title: "log archive: the organization trail writes under the organization's prefix",
        document: archivePolicy,
        placement: "resource",
        principal: () => "cloudtrail.amazonaws.com",
        action: "s3:PutObject",
        resource: (r) =>
            `arn:aws:s3:::${archive(r)}/AWSLogs/${r.organizationId}/${r.accounts.prod}/CloudTrail/us-east-1/2026/01/01/x.json.gz`,
        context: (r) =>
            service(r, "management", {
                "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${r.accounts.management}:trail/org-audit-trail`,
                "s3:x-amz-acl": "bucket-owner-full-control",
            }),
        expect: "Allowed",
    },
    {
        title: "log archive key: Config for a member account encrypts deliveries",
        document: (r) => r.policy(KEY, /^org-log-archive-key$/, "policy"),
        placement: "resource",
        principal: () => "config.amazonaws.com",
        action: "kms:GenerateDataKey",
        resource: (r) => `arn:aws:kms:us-east-1:${r.accounts.security}:key/0123`,
        context: (r) => service(r, "prod"),
        expect: "Allowed",
    },
    {
        title: "alarm topic: CloudWatch publishes for this account's alarms",
        document: (r) => r.policy(TOPIC_POLICY, /^prod-payments-alarms$/, "policy"),
        placement: "resource",
        principal: () => "cloudwatch.amazonaws.com",
        action: "sns:Publish",
        resource: alarmTopic,
        context: (r) =>
            service(r, "prod", {
                "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${r.accounts.prod}:alarm:prod-payments-processing-dlq-depth`,
            }),
        expect: "Allowed",
    },
    {
        title: "alarm topic: CloudWatch acting for another account may not publish",
        document: (r) => r.policy(TOPIC_POLICY, /^prod-payments-alarms$/, "policy"),
        placement: "resource",
        principal: () => "cloudwatch.amazonaws.com",
        action: "sns:Publish",
        resource: alarmTopic,
        context: (r) => service(r, "test", { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${r.accounts.test}:alarm:x` }),
        expect: "ImplicitlyDenied",
    },
    {
        title: "budget topic: Budgets publishes for the payer account's budgets",
        document: (r) => r.policy(TOPIC_POLICY, /^org-budget-alerts$/, "policy"),
        placement: "resource",
        principal: () => "budgets.amazonaws.com",
        action: "sns:Publish",
        resource: budgetTopic,
        context: (r) =>
            service(r, "management", { "aws:SourceArn": `arn:aws:budgets::${r.accounts.management}:budget/org-budgets-budget-prod` }),
        expect: "Allowed",
    },
    {
        title: "edge logs: the ELB log-delivery account writes ALB access logs",
        document: (r) =>
            JSON.parse(
                String(r.all.find((x) => x.type === BUCKET_POLICY && String(x.inputs.bucket).startsWith("prod-edge-logs"))!.inputs.policy),
            ) as PolicyDocument,
        placement: "resource",
        principal: () => "arn:aws:iam::127311923021:root",
        action: "s3:PutObject",
        resource: (r) =>
            `arn:aws:s3:::${r.all.find((x) => x.type === BUCKET_POLICY && String(x.inputs.bucket).startsWith("prod-edge-logs"))!.inputs.bucket}/alb-public/AWSLogs/${r.accounts.prod}/elasticloadbalancing/us-east-1/2026/01/01/x.log.gz`,
        owner: "prod",
        context: () => ({ "aws:PrincipalAccount": "127311923021", "aws:PrincipalIsAWSService": "false" }),
        expect: "Allowed",
    },
    {
        title: "worker role: receives from its queue",
        document: (r) => r.policy("aws:iam/rolePolicy:RolePolicy", /^prod-payments-worker$/, "policy"),
        placement: "identity",
        principal: (r) => r.role("prod", "prod-payments-worker"),
        action: "sqs:ReceiveMessage",
        resource: (r) => String(r.all.find((x) => x.type === "aws:sqs/queue:Queue" && x.inputs.name === "prod-payments-processing")!.arn),
        context: (r) => role(r, "prod", "prod-payments-worker"),
        expect: "Allowed",
    },
    {
        title: "worker role: may not delete its table",
        document: (r) => r.policy("aws:iam/rolePolicy:RolePolicy", /^prod-payments-worker$/, "policy"),
        placement: "identity",
        principal: (r) => r.role("prod", "prod-payments-worker"),
        action: "dynamodb:DeleteTable",
        resource: (r) => String(r.all.find((x) => x.type === "aws:dynamodb/table:Table")!.arn),
        context: (r) => role(r, "prod", "prod-payments-worker"),
        expect: "ImplicitlyDenied",
    },
    {
        title: "SCP security services: a deployment role may not stop the trail",
        document: (r) => r.policy(ORG_POLICY, /scp-security-services$/, "content"),
        placement: "scp",
        principal: (r) => r.role("prod", "payments-deployment"),
        action: "cloudtrail:StopLogging",
        resource: (r) => `arn:aws:cloudtrail:us-east-1:${r.accounts.prod}:trail/any`,
        context: (r) => role(r, "prod", "payments-deployment"),
        expect: "ExplicitlyDenied",
    },
    {
        title: "SCP security services: break-glass may",
        document: (r) => r.policy(ORG_POLICY, /scp-security-services$/, "content"),
        placement: "scp",
        principal: (r) => r.role("prod", "payments-break-glass"),
        action: "cloudtrail:StopLogging",
        resource: (r) => `arn:aws:cloudtrail:us-east-1:${r.accounts.prod}:trail/any`,
        context: (r) => role(r, "prod", "payments-break-glass"),
        expect: "Allowed",
    },
    {
        title: "SCP regions: nothing outside the allowed regions",
        document: (r) => r.policy(ORG_POLICY, /scp-regions$/, "content"),
        placement: "scp",
        principal: (r) => r.role("test", "payments-deployment"),
        action: "ec2:RunInstances",
        resource: (r) => `arn:aws:ec2:eu-west-1:${r.accounts.test}:instance/*`,
        context: (r) => ({ ...role(r, "test", "payments-deployment"), "aws:RequestedRegion": "eu-west-1" }),
        expect: "ExplicitlyDenied",
    },
    {
        title: "RCP data perimeter: an outside account may not write a bucket",
        document: (r) => r.policy(ORG_POLICY, /rcp-data-perimeter$/, "content"),
        placement: "rcp",
        principal: () => "arn:aws:iam::999999999999:role/intruder",
        action: "s3:PutObject",
        resource: (r) => `arn:aws:s3:::${archive(r)}/x`,
        context: () => ({
            "aws:PrincipalArn": "arn:aws:iam::999999999999:role/intruder",
            "aws:PrincipalAccount": "999999999999",
            "aws:PrincipalIsAWSService": "false",
        }),
        expect: "ExplicitlyDenied",
    },
    {
        title: "RCP data perimeter: the ELB log-delivery account is let through to S3",
        document: (r) => r.policy(ORG_POLICY, /rcp-data-perimeter$/, "content"),
        placement: "rcp",
        principal: () => "arn:aws:iam::127311923021:root",
        action: "s3:PutObject",
        resource: (r) => `arn:aws:s3:::prod-edge-logs-${r.accounts.prod}/alb-public/x`,
        owner: "prod",
        context: () => ({ "aws:PrincipalAccount": "127311923021", "aws:PrincipalIsAWSService": "false" }),
        expect: "Allowed",
    },
    {
        title: "RCP confused deputy: Config acting for an account outside the organization",
        document: (r) => r.policy(ORG_POLICY, /rcp-data-perimeter$/, "content"),
        placement: "rcp",
        principal: () => "config.amazonaws.com",
        action: "s3:PutObject",
        resource: (r) => `arn:aws:s3:::${archive(r)}/config/AWSLogs/999999999999/Config/x`,
        context: () => ({ "aws:SourceAccount": "999999999999", "aws:PrincipalIsAWSService": "true" }),
        expect: "ExplicitlyDenied",
    },
];

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Our engine's decision for one document in its place (an SCP/RCP over an allow-everything identity). */
function ours(document: PolicyDocument, placement: Placement, request: PolicyRequest): Decision {
    const answer = evaluatePolicy(document, request, placement === "resource" || placement === "rcp").effect;
    if (answer === "deny") {
        return "ExplicitlyDenied";
    }
    if (placement === "scp" || placement === "rcp") {
        return "Allowed";
    }
    return answer === "allow" ? "Allowed" : "ImplicitlyDenied";
}

function requestPrincipal(principal: string): PolicyRequest["principal"] {
    return principal.startsWith("arn:") ? { arn: principal, account: principal.split(":")[4] } : { service: principal };
}

async function theirs(
    document: PolicyDocument,
    placement: Placement,
    principal: string,
    action: string,
    resource: string,
    resourceAccount: string,
    context: Record<string, string>,
): Promise<Decision> {
    const org = (policy: unknown) => [
        {
            orgIdentifier: "r-root",
            policies: [
                { name: "FullAWSAccess", policy: ALLOW_ALL },
                { name: "under-test", policy },
            ],
        },
    ];
    // Only the document under test may decide: another account's own grant (its identity side, which
    // our engine leaves to that account) and, under an SCP or RCP, the resource's grant are given.
    const crossAccount = principal.startsWith("arn:") && principal.split(":")[4] !== resourceAccount;
    const grantee = principal.startsWith("arn:") ? { AWS: principal } : { Service: principal };
    const result = await runSimulation(
        {
            request: { principal, action, resource: { resource, accountId: resourceAccount }, contextVariables: context },
            identityPolicies:
                placement === "identity"
                    ? [{ name: "under-test", policy: document }]
                    : placement === "resource" && !crossAccount
                      ? []
                      : [{ name: "allow-all", policy: ALLOW_ALL }],
            serviceControlPolicies: placement === "scp" ? org(document) : [],
            resourceControlPolicies:
                placement === "rcp" ? [{ orgIdentifier: "r-root", policies: [{ name: "under-test", policy: document }] }] : [],
            resourcePolicy:
                placement === "resource"
                    ? document
                    : placement === "rcp" && (crossAccount || !principal.startsWith("arn:"))
                      ? { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: grantee, Action: "*", Resource: "*" }] }
                      : undefined,
        } as Parameters<typeof runSimulation>[0],
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`iam-simulate refused the case: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

describe("flows IAM evaluator agrees with @cloud-copilot/iam-simulate on the plan's real statements", function () {
    this.timeout(240_000);
    let plan: Resources;

    before(async () => {
        plan = new Resources(await planEnvironment("prod"));
    });

    for (const c of CASES) {
        it(`${c.title} (${c.expect})`, async () => {
            const document = c.document(plan);
            const principal = c.principal(plan);
            const resource = c.resource(plan);
            const context = { "aws:SecureTransport": "true", "aws:RequestedRegion": "us-east-1", ...(c.context?.(plan) ?? {}) };
            const resourceAccount = resource.split(":")[4] || plan.accounts[c.owner ?? "security"];
            const mine = ours(document, c.placement, { action: c.action, resource, principal: requestPrincipal(principal), context });
            const reference = await theirs(document, c.placement, principal, c.action, resource, resourceAccount, context);
            expect({ ours: mine, iamSimulate: reference }).to.deep.equal({ ours: c.expect, iamSimulate: c.expect });
        });
    }
});

import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../lib/aws-log-delivery";
import { accountFromArn } from "../../lib/arn";
import { Estate, EstateResource, parsed } from "./estate";
import { judge } from "./flow";
import { authorize, IamPrincipal, outsideAccountPrincipal, rolePrincipal, servicePrincipal } from "./iam/authorize";
import { PolicyDocument, PolicyStatement } from "./iam/policy";
import { Flow } from "../../plan-model/flows";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

/** An account id no stack owns: stands for "anyone outside the organization". */
export const OUTSIDER_ACCOUNT = "999999999999";

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function roleArnOf(role: EstateResource): string {
    return role.arn ?? `arn:aws:iam::${role.account}:role/${role.inputs.name ?? role.id}`;
}

/** The principals a trust policy names, as requesters, with the actions it grants them. */
function trustedPrincipals(estate: Estate, role: EstateResource): { principal: IamPrincipal; actions: string[] }[] {
    const trust = parsed<PolicyDocument>(role.inputs.assumeRolePolicy);
    const out: { principal: IamPrincipal; actions: string[] }[] = [];
    for (const statement of list<PolicyStatement>(trust?.Statement)) {
        if (statement.Effect !== "Allow" || statement.Condition !== undefined) {
            continue; // conditional grants (SSO admins, break-glass with MFA) are checked by hand-written flows
        }
        const actions = list(statement.Action).map(String);
        const principal = (statement.Principal ?? {}) as Record<string, unknown>;
        for (const service of list(principal.Service).map(String)) {
            out.push({
                principal: servicePrincipal(service, { "aws:SourceAccount": role.account, "aws:SourceOrgID": estate.organizationId }),
                actions,
            });
        }
        for (const arn of list(principal.AWS).map(String)) {
            if (/:role\//.test(arn)) {
                out.push({ principal: rolePrincipal(estate, arn), actions });
            }
        }
    }
    return out;
}

/** Every role's trust: what it names may assume it (through SCPs, RCPs and the caller's own policy); nobody outside may. */
function trustFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const role of estate.ofType("aws:iam/role:Role")) {
        const arn = roleArnOf(role);
        const target = `role ${arn.replace(/^arn:aws:iam::/, "")}`;
        for (const { principal, actions } of trustedPrincipals(estate, role)) {
            for (const action of actions) {
                flows.push(
                    judge(
                        { kind: "identity", subject: principal.label, action, target, expect: "allowed", stack: role.stack },
                        authorize(estate, principal, action, arn),
                    ),
                );
            }
        }
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `account ${OUTSIDER_ACCOUNT} (outside the organization)`,
                    action: "sts:AssumeRole",
                    target,
                    expect: "denied",
                    stack: role.stack,
                },
                authorize(estate, outsideAccountPrincipal(OUTSIDER_ACCOUNT, `account ${OUTSIDER_ACCOUNT}`), "sts:AssumeRole", arn),
            ),
        );
    }
    return flows;
}

/** Every load balancer that logs: the region's ELB account may write its prefix; nobody outside may. */
function logDeliveryFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const lb of estate.ofType("aws:lb/loadBalancer:LoadBalancer")) {
        const logs = lb.inputs.accessLogs as { bucket?: string; enabled?: boolean; prefix?: string } | undefined;
        if (!logs?.enabled || !logs.bucket) {
            continue;
        }
        const region = String(lb.arn ?? "").split(":")[3] || "us-east-1";
        const object = `arn:aws:s3:::${logs.bucket}/${logs.prefix ? `${logs.prefix}/` : ""}AWSLogs/${lb.account}/elasticloadbalancing/${region}/2026/01/01/log.gz`;
        const elb = ELB_LOG_DELIVERY_ACCOUNTS[region];
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `ELB log delivery account ${elb}`,
                    action: "s3:PutObject",
                    target: `${logs.bucket}/${logs.prefix ?? ""} (access logs of ${lb.inputs.name})`,
                    expect: "allowed",
                    stack: lb.stack,
                },
                authorize(estate, outsideAccountPrincipal(elb, `ELB account ${elb}`), "s3:PutObject", object),
            ),
        );
    }
    for (const distribution of estate.ofType("aws:cloudfront/distribution:Distribution")) {
        const logging = distribution.inputs.loggingConfig as { bucket?: string; prefix?: string } | undefined;
        if (!logging?.bucket) {
            continue;
        }
        const bucket = logging.bucket.replace(/\.s3\.amazonaws\.com$/, "");
        const object = `arn:aws:s3:::${bucket}/${logging.prefix ?? ""}${distribution.id ?? "E123"}.2026-01-01-00.abcd.gz`;
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: "CloudFront log delivery (delivery.logs.amazonaws.com)",
                    action: "s3:PutObject",
                    target: `${bucket}/${logging.prefix ?? ""} (standard logs of ${distribution.name})`,
                    expect: "allowed",
                    stack: distribution.stack,
                },
                authorize(
                    estate,
                    servicePrincipal("delivery.logs.amazonaws.com", {
                        "aws:SourceAccount": distribution.account,
                        "aws:SourceOrgID": estate.organizationId,
                        "aws:SourceArn": distribution.arn,
                    }),
                    "s3:PutObject",
                    object,
                ),
            ),
        );
    }
    for (const policy of estate.ofType("aws:s3/bucketPolicy:BucketPolicy")) {
        const bucket = String(policy.inputs.bucket);
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `account ${OUTSIDER_ACCOUNT} (outside the organization)`,
                    action: "s3:PutObject",
                    target: `bucket ${bucket}`,
                    expect: "denied",
                    stack: policy.stack,
                },
                authorize(
                    estate,
                    outsideAccountPrincipal(OUTSIDER_ACCOUNT, `account ${OUTSIDER_ACCOUNT}`),
                    "s3:PutObject",
                    `arn:aws:s3:::${bucket}/any-key`,
                ),
            ),
        );
    }
    return flows;
}

/** Each account's deployment role: the guardrails hold (and let it do what deploys and teardowns need). */
function guardrailFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const foundationStack = estate.stacks("foundation")[0];
    if (!foundationStack) {
        return flows;
    }
    const ids = estate.accountIds;
    for (const [name, account] of Object.entries(ids)) {
        if (name === "management") {
            continue;
        }
        const deployer = rolePrincipal(estate, `arn:aws:iam::${account}:role/payments-deployment`);
        const region = "us-east-1";
        const check = (action: string, resource: string, expect: "allowed" | "denied", extra: Record<string, string> = {}) =>
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: `payments-deployment (${name})`,
                        action,
                        target: resource.replace(`:${account}:`, `:${name}:`),
                        expect,
                        stack: foundationStack,
                    },
                    authorize(estate, deployer, action, resource, extra),
                ),
            );
        check("cloudtrail:StopLogging", `arn:aws:cloudtrail:${region}:${account}:trail/org-trail`, "denied");
        check("guardduty:DeleteDetector", `arn:aws:guardduty:${region}:${account}:detector/any`, "denied");
        check("ec2:RunInstances", `arn:aws:ec2:eu-west-1:${account}:instance/*`, "denied", {
            "aws:RequestedRegion": "eu-west-1",
            "ec2:MetadataHttpTokens": "required",
        });
        check("iam:CreateUser", `arn:aws:iam::${account}:user/someone`, "denied");
        check("ec2:RunInstances", `arn:aws:ec2:${region}:${account}:instance/*`, "allowed", { "ec2:MetadataHttpTokens": "required" });
        // Replacing flow logs and tearing an environment down needs this; prod keeps it for break-glass.
        check("ec2:DeleteFlowLogs", `arn:aws:ec2:${region}:${account}:vpc-flow-log/fl-1`, name === "prod" ? "denied" : "allowed");
    }
    return flows;
}

/** The controller registers pods in every target group of its account's environment(s). */
function loadBalancerControllerFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const associations = estate
        .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
        .filter((a) => a.inputs.serviceAccount === "aws-load-balancer-controller");
    for (const association of associations) {
        const roleArn = String(association.inputs.roleArn);
        const principal = rolePrincipal(estate, roleArn);
        const account = accountFromArn(roleArn);
        for (const tg of estate.ofType("aws:lb/targetGroup:TargetGroup").filter((t) => t.account === account && t.arn)) {
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: `aws-load-balancer-controller (${association.inputs.clusterName})`,
                        action: "elasticloadbalancing:RegisterTargets",
                        target: `target group ${tg.inputs.name}`,
                        expect: "allowed",
                        stack: tg.stack,
                    },
                    authorize(estate, principal, "elasticloadbalancing:RegisterTargets", tg.arn!),
                ),
            );
        }
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `aws-load-balancer-controller (${association.inputs.clusterName})`,
                    action: "elasticloadbalancing:CreateLoadBalancer",
                    target: "any load balancer",
                    expect: "denied",
                    stack: association.stack,
                },
                authorize(
                    estate,
                    principal,
                    "elasticloadbalancing:CreateLoadBalancer",
                    `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/app/rogue/1`,
                ),
            ),
        );
    }
    return flows;
}

/** Each Lambda's role reaches what the function is wired to (queue, table, database user) and no more. */
function functionFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const fn of estate.ofType("aws:lambda/function:Function")) {
        const roleArn = String(fn.inputs.role);
        const principal = rolePrincipal(estate, roleArn);
        const subject = `lambda ${fn.inputs.name ?? fn.name}`;
        const env = ((fn.inputs.environment as any)?.variables ?? {}) as Record<string, string>;
        // Only the mappings that feed this function (a stack may hold functions no queue triggers).
        const fnName = String(fn.inputs.name ?? fn.name);
        const feeds = (target: unknown) => String(target) === fnName || String(target).endsWith(`:function:${fnName}`);
        for (const mapping of estate
            .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
            .filter((m) => m.stack === fn.stack && feeds(m.inputs.functionName))) {
            const queue = String(mapping.inputs.eventSourceArn);
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject,
                        action: "sqs:ReceiveMessage",
                        target: `queue ${queue.split(":").pop()}`,
                        expect: "allowed",
                        stack: fn.stack,
                    },
                    authorize(estate, principal, "sqs:ReceiveMessage", queue),
                ),
            );
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject,
                        action: "sqs:DeleteMessage",
                        target: `queue ${queue.split(":").pop()}`,
                        expect: "allowed",
                        stack: fn.stack,
                    },
                    authorize(estate, principal, "sqs:DeleteMessage", queue),
                ),
            );
        }
        if (env.DB_HOST && env.DB_USER) {
            const instance = estate.ofType("aws:rds/instance:Instance").find((i) => env.DB_HOST.startsWith(`${i.inputs.identifier}.`));
            if (instance) {
                const resourceId = `db-${String(instance.id ?? "").replace(/^db-/, "")}`;
                const dbUser = `arn:aws:rds-db:us-east-1:${instance.account}:dbuser:${resourceId}/${env.DB_USER}`;
                flows.push(
                    judge(
                        {
                            kind: "identity",
                            subject,
                            action: "rds-db:connect",
                            target: `${instance.inputs.identifier} as ${env.DB_USER}`,
                            expect: "allowed",
                            stack: fn.stack,
                        },
                        authorize(estate, principal, "rds-db:connect", dbUser),
                    ),
                );
                flows.push(
                    judge(
                        {
                            kind: "identity",
                            subject,
                            action: "rds-db:connect",
                            target: `${instance.inputs.identifier} as postgres (master)`,
                            expect: "denied",
                            stack: fn.stack,
                        },
                        authorize(
                            estate,
                            principal,
                            "rds-db:connect",
                            `arn:aws:rds-db:us-east-1:${instance.account}:dbuser:${resourceId}/postgres`,
                        ),
                    ),
                );
            }
        }
        for (const table of estate.ofType("aws:dynamodb/table:Table").filter((t) => t.stack === fn.stack && t.arn)) {
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject,
                        action: "dynamodb:DeleteTable",
                        target: `table ${table.inputs.name}`,
                        expect: "denied",
                        stack: fn.stack,
                    },
                    authorize(estate, principal, "dynamodb:DeleteTable", table.arn!),
                ),
            );
        }
    }
    return flows;
}

/** Argo CD's hub role reaches every env's deployer role, and only Argo CD's. */
function argocdChainFlows(estate: Estate): Flow[] {
    const roles = estate.ofType("aws:iam/role:Role");
    const named = (suffix: RegExp) => roles.filter((r) => suffix.test(String(r.inputs.name)));
    const hubs = named(/-argocd-hub$/);
    const others = named(/-external-dns$/).filter((r) => r.account === estate.accountIds.management);
    const assume = (from: EstateResource, deployer: EstateResource, expect: "allowed" | "denied"): Flow =>
        judge(
            {
                kind: "identity",
                subject: `role ${from.inputs.name}`,
                action: "sts:AssumeRole",
                target: `role ${deployer.inputs.name}`,
                expect,
                stack: deployer.stack,
            },
            authorize(estate, rolePrincipal(estate, roleArnOf(from)), "sts:AssumeRole", roleArnOf(deployer)),
        );
    return named(/-argocd-deployer$/).flatMap((deployer) => [
        ...hubs.map((hub) => assume(hub, deployer, "allowed")),
        ...others.map((other) => assume(other, deployer, "denied")),
    ]);
}

/**
 * What each service is handed in its settings, its role must be able to use: a table it queries,
 * a bucket it reads, a queue it inspects, a search domain it calls. A setting without the right
 * is a configuration that fails at runtime (or a right that should exist).
 */
function settingsFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const app of estate.ofType("kubernetes:argoproj.io/v1alpha1:Application")) {
        const values = (app.inputs.spec as any)?.source?.helm?.valuesObject ?? {};
        const settings = (values.settings ?? {}) as Record<string, string>;
        const service = (app.inputs.metadata as any)?.labels?.["payments.io/service"] ?? (app.inputs.metadata as any)?.name;
        const roleArn = values.aws?.roleArn as string | undefined;
        const uses: { key: string; action: string; resource: string | undefined }[] = [];
        for (const [key, value] of Object.entries(settings)) {
            if (key.endsWith("_TABLE_NAME")) {
                uses.push({
                    key,
                    action: "dynamodb:Query",
                    resource: estate.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === value)?.arn,
                });
            } else if (key === "RAW_PAYLOAD_BUCKET") {
                uses.push({ key, action: "s3:GetObject", resource: `arn:aws:s3:::${value}/payments/example.json` });
            } else if (key.endsWith("_QUEUE_URL")) {
                const queue = estate.ofType("aws:sqs/queue:Queue").find((q) => value.endsWith(`/${q.inputs.name}`));
                uses.push({ key, action: "sqs:GetQueueAttributes", resource: queue?.arn });
            } else if (key === "OPENSEARCH_ENDPOINT") {
                const domain = estate.ofType("aws:opensearch/domain:Domain").find((d) => value.includes(`-${d.inputs.domainName}-`));
                uses.push({ key, action: "es:ESHttpGet", resource: domain?.arn && `${domain.arn}/*` });
            }
        }
        for (const use of uses) {
            const spec = {
                kind: "identity" as const,
                subject: `service ${service} (${app.stack.split("/")[1]})`,
                action: use.action,
                target: `${use.key}`,
                expect: "allowed" as const,
                stack: app.stack,
            };
            if (!use.resource) {
                flows.push(judge(spec, { allowed: false, because: `${use.key} names nothing this plan creates` }));
            } else if (!roleArn) {
                flows.push(judge(spec, { allowed: false, because: `${service} has no AWS role, yet is handed ${use.key}` }));
            } else {
                flows.push(judge(spec, authorize(estate, rolePrincipal(estate, roleArn), use.action, use.resource)));
            }
        }
    }
    return flows;
}

export function identityFlows(estate: Estate): Flow[] {
    return [
        ...settingsFlows(estate),
        ...trustFlows(estate),
        ...logDeliveryFlows(estate),
        ...guardrailFlows(estate),
        ...loadBalancerControllerFlows(estate),
        ...functionFlows(estate),
        ...argocdChainFlows(estate),
    ];
}

import { Estate, EstateResource } from "./estate";
import { judge, reference } from "./flow";
import { authorize, outsideAccountPrincipal, rolePrincipal, servicePrincipal } from "./iam/authorize";
import { OUTSIDER_ACCOUNT } from "./identity-flows";
import { Flow } from "../../plan-model/flows";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

function topicOf(estate: Estate, arn: string): EstateResource | undefined {
    return estate.ofType("aws:sns/topic:Topic").find((t) => t.arn === arn || t.id === arn);
}

/** An alert reaches someone only through a topic of the plan with a subscription that has an endpoint. */
function reachesSomeone(estate: Estate, arn: string): { holds: boolean; because: string } {
    const topic = topicOf(estate, arn);
    if (!topic) {
        return { holds: false, because: `${arn} is no topic of this plan` };
    }
    const subscriptions = estate
        .ofType("aws:sns/topicSubscription:TopicSubscription")
        .filter((s) => s.inputs.topic === topic.arn && typeof s.inputs.endpoint === "string" && s.inputs.endpoint !== "");
    return subscriptions.length > 0
        ? {
              holds: true,
              because: `${topic.inputs.name} delivers to ${subscriptions.map((s) => s.inputs.protocol).join(", ")} subscription(s)`,
          }
        : { holds: false, because: `${topic.inputs.name} has no subscription: the alert reaches nobody` };
}

/** The service publishing for `source` (an alarm, a budget) of `account`, and what it must be able to do with the topic. */
function publishFlows(
    estate: Estate,
    service: string,
    subject: string,
    account: string,
    sourceArn: string,
    topicArn: string,
    stack: string,
): Flow[] {
    const topic = topicOf(estate, topicArn);
    const name = String(topic?.inputs.name ?? topicArn.split(":").pop());
    const publisher = servicePrincipal(service, {
        "aws:SourceAccount": account,
        "aws:SourceArn": sourceArn,
        ...(estate.organizationId ? { "aws:SourceOrgID": estate.organizationId } : {}),
    });
    const flows = [
        judge(
            { kind: "identity", subject, action: "sns:Publish", target: `topic ${name}`, expect: "allowed", stack },
            authorize(estate, publisher, "sns:Publish", topicArn),
        ),
    ];
    const keyArn = topic?.inputs.kmsMasterKeyId as string | undefined;
    if (keyArn) {
        flows.push(
            judge(
                { kind: "identity", subject, action: "kms:GenerateDataKey", target: `key of topic ${name}`, expect: "allowed", stack },
                authorize(estate, publisher, "kms:GenerateDataKey", keyArn),
            ),
        );
    }
    return flows;
}

/**
 * Every alarm pages someone when it fires and when it clears: each action is a topic of the
 * plan with a subscription, CloudWatch (for this alarm) may publish to it and use its key.
 */
function alarmFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const alarm of estate.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const subject = `alarm ${alarm.inputs.name ?? alarm.name}`;
        const arn = alarm.arn ?? `arn:aws:cloudwatch:us-east-1:${alarm.account}:alarm:${alarm.inputs.name}`;
        for (const kind of ["alarmActions", "okActions"] as const) {
            const actions = list(alarm.inputs[kind]);
            const spec = {
                subject,
                action: `${kind} reach a subscribed topic`,
                target: actions.join(", ") || "(none)",
                stack: alarm.stack,
            };
            if (actions.length === 0) {
                flows.push(reference(spec, false, `no ${kind}: the alarm changes state and nobody hears of it`));
                continue;
            }
            for (const action of actions) {
                const reach = reachesSomeone(estate, action);
                flows.push(reference({ ...spec, target: action.split(":").pop()! }, reach.holds, reach.because));
                if (kind === "alarmActions") {
                    flows.push(
                        ...publishFlows(
                            estate,
                            "cloudwatch.amazonaws.com",
                            `CloudWatch (${subject})`,
                            alarm.account!,
                            arn,
                            action,
                            alarm.stack,
                        ),
                    );
                }
            }
        }
    }
    return flows;
}

/** Every budget notification reaches a subscribed topic Budgets may publish to. */
function budgetFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const budget of estate.ofType("aws:budgets/budget:Budget")) {
        const subject = `budget ${budget.inputs.name}`;
        const topics = [...new Set(((budget.inputs.notifications as any[]) ?? []).flatMap((n) => list(n.subscriberSnsTopicArns)))];
        const spec = { subject, action: "notifications reach a subscribed topic", stack: budget.stack };
        if (topics.length === 0) {
            flows.push(
                reference(
                    { ...spec, target: "(no topic)" },
                    false,
                    "no notification names a topic: only mailboxes hear of it, no one on call",
                ),
            );
        }
        for (const topic of topics) {
            const reach = reachesSomeone(estate, topic);
            flows.push(reference({ ...spec, target: topic.split(":").pop()! }, reach.holds, reach.because));
            flows.push(
                ...publishFlows(
                    estate,
                    "budgets.amazonaws.com",
                    `AWS Budgets (${subject})`,
                    budget.account!,
                    `arn:aws:budgets::${budget.account}:budget/${budget.inputs.name}`,
                    topic,
                    budget.stack,
                ),
            );
        }
    }
    return flows;
}

/** A function handed an alarm topic (the worker pages on-call itself) may publish to it through its key. */
function functionAlertFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const fn of estate.ofType("aws:lambda/function:Function")) {
        const topicArn = (fn.inputs.environment as any)?.variables?.ALARM_TOPIC_ARN as string | undefined;
        if (!topicArn) {
            continue;
        }
        const principal = rolePrincipal(estate, String(fn.inputs.role));
        const topic = topicOf(estate, topicArn);
        const subject = `lambda ${fn.inputs.name ?? fn.name}`;
        const name = String(topic?.inputs.name ?? topicArn.split(":").pop());
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject,
                    action: "sns:Publish",
                    target: `topic ${name} (ALARM_TOPIC_ARN)`,
                    expect: "allowed",
                    stack: fn.stack,
                },
                authorize(estate, principal, "sns:Publish", topicArn),
            ),
        );
        const keyArn = topic?.inputs.kmsMasterKeyId as string | undefined;
        if (keyArn) {
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject,
                        action: "kms:GenerateDataKey",
                        target: `key of topic ${name}`,
                        expect: "allowed",
                        stack: fn.stack,
                    },
                    authorize(estate, principal, "kms:GenerateDataKey", keyArn),
                ),
            );
        }
    }
    return flows;
}

/**
 * Nobody else may publish to an alert topic: not an account outside the organization, not
 * CloudWatch or Budgets acting for another account, not a role of another account.
 */
function topicDenials(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const policy of estate.ofType("aws:sns/topicPolicy:TopicPolicy")) {
        const topicArn = String(policy.inputs.arn);
        const topic = topicOf(estate, topicArn);
        const name = String(topic?.inputs.name ?? topicArn.split(":").pop());
        const spec = (subject: string) => ({
            kind: "identity" as const,
            subject,
            action: "sns:Publish",
            target: `topic ${name}`,
            expect: "denied" as const,
            stack: policy.stack,
        });
        flows.push(
            judge(
                spec(`account ${OUTSIDER_ACCOUNT} (outside the organization)`),
                authorize(estate, outsideAccountPrincipal(OUTSIDER_ACCOUNT, `account ${OUTSIDER_ACCOUNT}`), "sns:Publish", topicArn),
            ),
        );
        const other = Object.entries(estate.accountIds).find(([, id]) => id !== policy.account);
        if (other) {
            const [otherName, otherId] = other;
            for (const service of ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]) {
                const source = service.startsWith("cloudwatch")
                    ? `arn:aws:cloudwatch:us-east-1:${otherId}:alarm:any`
                    : `arn:aws:budgets::${otherId}:budget/any`;
                flows.push(
                    judge(
                        spec(`${service} (for ${otherName})`),
                        authorize(
                            estate,
                            servicePrincipal(service, {
                                "aws:SourceAccount": otherId,
                                "aws:SourceArn": source,
                                "aws:SourceOrgID": estate.organizationId,
                            }),
                            "sns:Publish",
                            topicArn,
                        ),
                    ),
                );
            }
            const deployer = estate
                .ofType("aws:iam/role:Role")
                .find((r) => r.account === otherId && r.inputs.name === "payments-deployment" && r.arn);
            if (deployer) {
                flows.push(
                    judge(
                        spec(`payments-deployment (${otherName})`),
                        authorize(estate, rolePrincipal(estate, deployer.arn!), "sns:Publish", topicArn),
                    ),
                );
            }
        }
    }
    return flows;
}

export function alertFlows(estate: Estate): Flow[] {
    return [...alarmFlows(estate), ...budgetFlows(estate), ...functionAlertFlows(estate), ...topicDenials(estate)];
}

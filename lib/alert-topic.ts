import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnParts } from "./arn";
import { ConfigReader } from "./config";
import { statefulOptions } from "./stateful";

/** Where an alert topic delivers: the on-call pager's HTTPS hook, or a mailbox (which confirms the subscription once). */
export interface AlertSubscription {
    protocol: "email" | "https";
    endpoint: string;
}

const ENDPOINTS: Record<AlertSubscription["protocol"], { pattern: RegExp; example: string }> = {
    email: { pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, example: "oncall@example.com" },
    https: { pattern: /^https:\/\/[^\s/]+\.[^\s]+$/, example: "https://events.pagerduty.com/integration/<key>/enqueue" },
};

/** Reads `<namespace>:<key>` = `{ protocol: email|https, endpoint }`, recording every problem against that key. */
export function readAlertSubscription(reader: ConfigReader, key: string): AlertSubscription {
    const full = reader.fullKey(key);
    const raw = reader.object<unknown>(key);
    if (raw === undefined) {
        return { protocol: "email", endpoint: "" };
    }
    const value = (raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
    const protocol = value.protocol as AlertSubscription["protocol"];
    if (!(protocol in ENDPOINTS)) {
        reader.problem(
            key,
            `protocol ${JSON.stringify(value.protocol)} is not one alerts can be delivered to`,
            `set ${full}.protocol to ${Object.keys(ENDPOINTS).join(" or ")}`,
        );
        return { protocol: "email", endpoint: "" };
    }
    const endpoint = value.endpoint;
    if (typeof endpoint !== "string" || !ENDPOINTS[protocol].pattern.test(endpoint)) {
        reader.problem(
            key,
            `endpoint ${JSON.stringify(endpoint)} is not a valid ${protocol} endpoint, so alerts would reach nobody`,
            `set ${full}.endpoint, e.g. ${ENDPOINTS[protocol].example}`,
        );
        return { protocol, endpoint: "" };
    }
    return { protocol, endpoint };
}

/** An AWS service that publishes to the topic for resources of the topic's own account. */
export interface AlertPublisher {
    service: "cloudwatch.amazonaws.com" | "budgets.amazonaws.com";
    /** The ARNs of the resources that may publish (e.g. this account's alarms), from the topic's partition, region and account. */
    sourceArn: (where: { partition: string; region: string; account: string }) => string;
}

export const CLOUDWATCH_ALARMS: AlertPublisher = {
    service: "cloudwatch.amazonaws.com",
    sourceArn: (w) => `arn:${w.partition}:cloudwatch:${w.region}:${w.account}:alarm:*`,
};
export const BUDGETS: AlertPublisher = { service: "budgets.amazonaws.com", sourceArn: (w) => `arn:${w.partition}:budgets::${w.account}:*` };

export interface AlertTopicArgs {
    /** The topic's physical name (lib/naming); its key is `<topicName>-key`. */
    topicName: string;
    /** Any ARN of the topic's account and region (account, region and partition come from it). */
    locatedBy: pulumi.Input<string>;
    publishers: AlertPublisher[];
    subscription: AlertSubscription;
    /** protect + retainOnDelete on the key (prod): messages in flight and the audit of pages depend on it. */
    protect: boolean;
}

/**
 * A topic that pages someone: encrypted with its own KMS key, because AWS services cannot publish
 * to a topic under the AWS-managed `aws/sns` key; the key and topic policies let exactly the named
 * services publish for this account's resources (aws:SourceAccount and aws:SourceArn), and the
 * subscription from config receives every message.
 */
export class AlertTopic extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly key: aws.kms.Key;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:lib:AlertTopic", name, {}, opts);
        const where = pulumi.output(args.locatedBy).apply(arnParts);
        const keyName = `${args.topicName}-key`;
        const services = args.publishers.map((p) => p.service);

        this.key = new aws.kms.Key(
            keyName,
            {
                description: `Encrypts ${args.topicName}; only ${services.join(", ")} of this account publish through it`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: where.apply((w) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AccountAdministers",
                                Effect: "Allow",
                                Principal: { AWS: `arn:${w.partition}:iam::${w.account}:root` },
                                Action: "kms:*",
                                Resource: "*",
                            },
                            {
                                Sid: "ServicesPublish",
                                Effect: "Allow",
                                Principal: { Service: services },
                                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                                Resource: "*",
                                Condition: { StringEquals: { "aws:SourceAccount": w.account } },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            statefulOptions(args.protect, { parent: this }),
        );
        new aws.kms.Alias(keyName, { name: `alias/${args.topicName}`, targetKeyId: this.key.keyId }, { parent: this });

        this.topic = new aws.sns.Topic(args.topicName, { name: args.topicName, kmsMasterKeyId: this.key.arn }, { parent: this });
        const topicPolicy = new aws.sns.TopicPolicy(
            args.topicName,
            {
                arn: this.topic.arn,
                policy: pulumi.all([this.topic.arn, where]).apply(([topicArn, w]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: args.publishers.map((p): aws.iam.PolicyStatement => ({
                            Sid: `${p.service.split(".")[0]}OfThisAccount`,
                            Effect: "Allow",
                            Principal: { Service: p.service },
                            Action: "sns:Publish",
                            Resource: topicArn,
                            Condition: { StringEquals: { "aws:SourceAccount": w.account }, ArnLike: { "aws:SourceArn": p.sourceArn(w) } },
                        })),
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );
        new aws.sns.TopicSubscription(
            args.topicName,
            { topic: this.topic.arn, protocol: args.subscription.protocol, endpoint: args.subscription.endpoint },
            { parent: this, dependsOn: [topicPolicy] },
        );
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}

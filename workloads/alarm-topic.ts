import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { arnParts } from "../lib/arn";
import { statefulOptions } from "../lib/stateful";

export interface AlarmTopicArgs {
    env: Environment;
    /** Any ARN of the stack's account and region (account, region and partition come from it). */
    locatedBy: pulumi.Input<string>;
    /** protect + retainOnDelete on the key (prod): messages in flight and the audit of pages depend on it. */
    protect: boolean;
}

/**
 * `<env>-payments-alarms`: what pages the on-call engineer (subscribe their endpoint to it). The
 * DLQ depth alarm and the worker (configuration errors, conflicting payloads) publish here. Its own
 * KMS key, because CloudWatch alarms cannot publish to a topic under the AWS-managed `aws/sns` key:
 * the key policy lets CloudWatch use it for this account's alarms only.
 */
export class AlarmTopic extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly key: aws.kms.Key;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:AlarmTopic", name, {}, opts);
        const namer = new Namer(args.env);
        const topicName = namer.name("payments-alarms");
        const where = pulumi.output(args.locatedBy).apply(arnParts);

        this.key = new aws.kms.Key(
            namer.name("payments-alarms", { suffix: "key" }),
            {
                description: `Encrypts ${topicName}; CloudWatch alarms of this account may publish through it`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: where.apply((w) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${w.partition}:iam::${w.account}:root` }, Action: "kms:*", Resource: "*" },
                            {
                                Sid: "CloudWatchAlarmsPublish",
                                Effect: "Allow",
                                Principal: { Service: "cloudwatch.amazonaws.com" },
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
        new aws.kms.Alias(namer.name("payments-alarms", { suffix: "key" }), { name: `alias/${topicName}`, targetKeyId: this.key.keyId }, { parent: this });

        this.topic = new aws.sns.Topic(topicName, { name: topicName, kmsMasterKeyId: this.key.arn }, { parent: this });

        new aws.sns.TopicPolicy(
            topicName,
            {
                arn: this.topic.arn,
                policy: pulumi.all([this.topic.arn, where]).apply(([topicArn, w]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AccountAlarmsOnly",
                                Effect: "Allow",
                                Principal: { Service: "cloudwatch.amazonaws.com" },
                                Action: "sns:Publish",
                                Resource: topicArn,
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": w.account },
                                    ArnLike: { "aws:SourceArn": `arn:${w.partition}:cloudwatch:${w.region}:${w.account}:alarm:*` },
                                },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { arnParts } from "../lib/arn";
import { RAW_PAYLOAD_PREFIX } from "./ingest";
import { PAYLOAD_OBJECT_SUFFIX, processingQueueNames } from "./worker/contract";

/** How long a dead-lettered payment waits for replay: SQS's maximum. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** SQS long polling's maximum wait: fewer empty receives, lower cost. */
const LONG_POLL_SECONDS = 20;
/** AWS's guidance for Lambda consumers: at least six times the function timeout (plus the batching window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface ProcessingQueueArgs {
    env: Environment;
    /** The raw-payload bucket whose new objects become work items. */
    bucket: aws.s3.Bucket;
    /** The consuming Lambda's timeout, which sizes the visibility timeout. */
    consumerTimeoutSeconds: number;
    consumerBatchingWindowSeconds: number;
    /** Receives before a message is dead-lettered. */
    maxReceiveCount: number;
    /** DLQ depth at which the alarm fires. */
    dlqAlarmThreshold: number;
    /** Where the DLQ alarm pages. */
    alarmTopicArn: pulumi.Input<string>;
}

/**
 * S3 -> SQS: every archived payload becomes a message on `<env>-payments-processing`; after
 * `maxReceiveCount` failed receives it moves to `<env>-payments-processing-dlq`, which only that
 * queue may use and from which `npm run replay` moves messages back. An alarm watches the DLQ.
 */
export class ProcessingQueue extends pulumi.ComponentResource {
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly dlqAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: ProcessingQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:ProcessingQueue", name, {}, opts);
        const namer = new Namer(args.env);
        const names = processingQueueNames(args.env);
        const child = { parent: this };

        this.deadLetterQueue = new aws.sqs.Queue(
            names.deadLetterQueue,
            { name: names.deadLetterQueue, messageRetentionSeconds: DLQ_RETENTION_SECONDS, sqsManagedSseEnabled: true },
            child,
        );

        this.queue = new aws.sqs.Queue(
            names.queue,
            {
                name: names.queue,
                // SSE-SQS rather than a customer key: S3 notifications cannot publish to a queue
                // encrypted with a key whose policy does not name the S3 service.
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * args.consumerTimeoutSeconds + args.consumerBatchingWindowSeconds,
                receiveWaitTimeSeconds: LONG_POLL_SECONDS,
                // A message must outlive all its receives, or it expires instead of being dead-lettered.
                messageRetentionSeconds: 4 * 24 * 60 * 60,
                redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
                    JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount }),
                ),
            },
            child,
        );

        // A separate resource because the two queues reference each other's ARNs.
        new aws.sqs.RedriveAllowPolicy(
            names.deadLetterQueue,
            {
                queueUrl: this.deadLetterQueue.id,
                redriveAllowPolicy: this.queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })),
            },
            child,
        );

        const queuePolicy = new aws.sqs.QueuePolicy(
            names.queue,
            {
                queueUrl: this.queue.id,
                policy: pulumi.all([this.queue.arn, args.bucket.arn]).apply(([queueArn, bucketArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "RawPayloadBucketOnly",
                                Effect: "Allow",
                                Principal: { Service: "s3.amazonaws.com" },
                                Action: "sqs:SendMessage",
                                Resource: queueArn,
                                // Both conditions: a bucket ARN carries no account, so SourceAccount
                                // stops a same-named bucket elsewhere from publishing here.
                                Condition: {
                                    ArnEquals: { "aws:SourceArn": bucketArn },
                                    StringEquals: { "aws:SourceAccount": arnParts(queueArn).account },
                                },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            child,
        );

        new aws.s3.BucketNotification(
            namer.name("payments-raw", { suffix: "notification" }),
            {
                bucket: args.bucket.id,
                queues: [
                    {
                        id: "new-payment",
                        queueArn: this.queue.arn,
                        events: ["s3:ObjectCreated:*"],
                        filterPrefix: RAW_PAYLOAD_PREFIX,
                        filterSuffix: PAYLOAD_OBJECT_SUFFIX,
                    },
                ],
            },
            // S3 sends a test event on save and refuses the configuration unless it may publish.
            { parent: this, dependsOn: [queuePolicy] },
        );

        this.dlqAlarm = new aws.cloudwatch.MetricAlarm(
            namer.name("payments-processing-dlq", { suffix: "depth" }),
            {
                name: namer.name("payments-processing-dlq", { suffix: "depth" }),
                alarmDescription: `Payments failed ${args.maxReceiveCount} times and wait in ${names.deadLetterQueue}: fix the cause, then npm run replay -- --env ${args.env}`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: this.deadLetterQueue.name },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: args.dlqAlarmThreshold,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                // The all-clear pages too, so nobody keeps replaying a queue that is already empty.
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            child,
        );

        this.registerOutputs({
            queueUrl: this.queue.url,
            queueArn: this.queue.arn,
            deadLetterQueueUrl: this.deadLetterQueue.url,
            deadLetterQueueArn: this.deadLetterQueue.arn,
        });
    }
}

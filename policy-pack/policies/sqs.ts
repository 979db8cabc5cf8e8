import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, ofTypes } from "../lib/values";

const QUEUE = ["aws:sqs/queue:Queue"];
const REDRIVE = ["aws:sqs/redrivePolicy:RedrivePolicy"];
const EVENT_SOURCE_MAPPING = ["aws:lambda/eventSourceMapping:EventSourceMapping"];

/** An event source ARN or queue URL names the queue as its last path segment. */
const QUEUE_LINK = {
    nameKeys: ["name"],
    matches: (value: string, name: string) => value.endsWith(`:${name}`) || value.endsWith(`/${name}`),
};

export const SQS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "sqs-encryption",
        domain: "sqs",
        description: "SQS queues declare server-side encryption (SSE-SQS or SSE-KMS).",
        prevents: "Payment messages at rest without encryption the program states and reviewers can see.",
        severity: "high",
        remediation: "Set kmsMasterKeyId (SSE-KMS) or sqsManagedSseEnabled: true on the aws.sqs.Queue.",
        level: "mandatory",
        checkov: "CKV_AWS_27",
        trivy: "AVD-AWS-0096",
        types: QUEUE,
        reads: { "aws:sqs/queue:Queue": ["kmsMasterKeyId", "sqsManagedSseEnabled"] },
        check: (queue, ctx) => {
            if (!has(queue.props, "kmsMasterKeyId") && queue.props.sqsManagedSseEnabled !== true) {
                ctx.report(`Queue ${queue.name} sets neither kmsMasterKeyId nor sqsManagedSseEnabled.`);
            }
        },
    }),
    stackPolicy({
        name: "sqs-consumed-queue-dlq",
        domain: "sqs",
        description: "Every SQS queue that something consumes (a Lambda event source mapping) has a dead-letter queue.",
        prevents: "Poison messages retried forever, or dropped at retention, instead of parked for replay.",
        severity: "high",
        remediation: "Give the queue a redrivePolicy (deadLetterTargetArn, maxReceiveCount) or an aws.sqs.RedrivePolicy.",
        level: "mandatory",
        reads: { "aws:lambda/eventSourceMapping:EventSourceMapping": ["eventSourceArn"], "aws:sqs/queue:Queue": ["name", "redrivePolicy"] },
        check: (ctx) => {
            const queues = ofTypes(ctx.resources, QUEUE);
            const consumed = new Set(
                ofTypes(ctx.resources, EVENT_SOURCE_MAPPING).flatMap((m) => referencedBy(m, "eventSourceArn", queues, QUEUE_LINK)),
            );
            const redriven = new Set(ofTypes(ctx.resources, REDRIVE).flatMap((r) => referencedBy(r, "queueUrl", queues, QUEUE_LINK)));
            ctx.each([...consumed], (queue) => {
                if (!has(queue.props, "redrivePolicy") && !redriven.has(queue)) {
                    ctx.report(`Queue ${queue.name} is consumed by a Lambda event source mapping but has no dead-letter queue.`, queue.urn);
                }
            });
        },
    }),
];

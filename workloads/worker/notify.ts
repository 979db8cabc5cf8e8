import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { MessageAttributeValue, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { against } from "./errors";
import { Alarms, DeadLetters } from "./ports";

/** SQS caps a message attribute value with the rest of the message; a reason never needs more. */
const MAX_ATTRIBUTE_TEXT = 1024;

/**
 * Sends poison straight to the DLQ: the original body unchanged (so `npm run replay` can move it
 * back once the cause is fixed), the failure as message attributes a person can read in the console.
 */
export class SqsDeadLetters implements DeadLetters {
    constructor(
        private readonly sqs: SQSClient,
        private readonly queueUrl: string,
    ) {}

    async send(
        message: { messageId: string; body: string },
        failure: { failureClass: string; reason: string; message: string },
    ): Promise<void> {
        const text = (value: string): MessageAttributeValue => ({
            DataType: "String",
            StringValue: value.slice(0, MAX_ATTRIBUTE_TEXT) || "-",
        });
        await against("sqs", () =>
            this.sqs.send(
                new SendMessageCommand({
                    QueueUrl: this.queueUrl,
                    MessageBody: message.body,
                    MessageAttributes: {
                        FailureClass: text(failure.failureClass),
                        FailureReason: text(failure.reason),
                        FailureMessage: text(failure.message),
                        SourceMessageId: text(message.messageId),
                    },
                }),
            ),
        );
    }
}

/** Pages through the environment's alarm topic, at most once per subject per `quietMs` per instance. */
export class SnsAlarms implements Alarms {
    private readonly lastPaged = new Map<string, number>();

    constructor(
        private readonly sns: SNSClient,
        private readonly topicArn: string,
        private readonly now: () => number = Date.now,
        private readonly quietMs = 5 * 60_000,
    ) {}

    async page(subject: string, details: Record<string, unknown>): Promise<void> {
        const last = this.lastPaged.get(subject);
        if (last !== undefined && this.now() - last < this.quietMs) return;
        this.lastPaged.set(subject, this.now());
        await against("sns", () =>
            // SNS subjects: ASCII, at most 100 characters.
            this.sns.send(
                new PublishCommand({
                    TopicArn: this.topicArn,
                    Subject: subject.replace(/[^\x20-\x7e]/g, "?").slice(0, 100),
                    Message: JSON.stringify({ subject, ...details }, null, 2),
                }),
            ),
        );
    }
}

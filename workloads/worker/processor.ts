import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { WorkerConfig } from "./config";
import { transactionIndexName } from "./contract";
import { describeError, PoisonMessageError } from "./errors";
import { parseNotification, PayloadObject } from "./event";
import { PaymentLedger } from "./ledger";
import { parsePayment, Payment } from "./payment";
import { Database, Indexer, Logger } from "./ports";
import { receiptEmail } from "./receipt";
import { recordTransaction } from "./schema";

/** Everything the handler talks to, injected so tests swap in PGlite, SDK mocks and fakes. */
export interface WorkerDependencies {
    s3: S3Client;
    ses: SESv2Client;
    ledger: PaymentLedger;
    /** Connected and migrated; called only when a payment needs writing. */
    database: () => Promise<Database>;
    indexer: Indexer;
    config: Pick<WorkerConfig, "openSearch" | "email">;
    logger: Logger;
    now: () => number;
}

/** The part of the Lambda context the worker uses: the lease lasts as long as the invocation can. */
export interface InvocationContext {
    getRemainingTimeInMillis(): number;
}

export type PaymentOutcome = "completed" | "duplicate";

/**
 * Processes each message on its own and reports only the failed ones, so SQS deletes the rest
 * and redelivers the failed ones until the redrive policy moves them to the DLQ.
 */
export async function handleBatch(event: SQSEvent, context: InvocationContext, deps: WorkerDependencies): Promise<SQSBatchResponse> {
    const leaseExpiresAt = deps.now() + context.getRemainingTimeInMillis();
    const results = await Promise.all(
        event.Records.map(async (record): Promise<SQSBatchItemFailure | undefined> => {
            try {
                await processMessage(record, leaseExpiresAt, deps);
                return undefined;
            } catch (error) {
                const poison = error instanceof PoisonMessageError;
                deps.logger[poison ? "error" : "warn"](poison ? "poison message" : "message failed; it will be retried", {
                    messageId: record.messageId,
                    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
                    ...describeError(error),
                });
                return { itemIdentifier: record.messageId };
            }
        }),
    );
    return { batchItemFailures: results.filter((f): f is SQSBatchItemFailure => f !== undefined) };
}

async function processMessage(record: SQSRecord, leaseExpiresAt: number, deps: WorkerDependencies): Promise<void> {
    const notification = parseNotification(record.body);
    if (notification.kind === "test-event") {
        deps.logger.info("S3 test event ignored", { messageId: record.messageId });
        return;
    }
    if (notification.ignoredEvents.length > 0) {
        deps.logger.info("non-create S3 events ignored", { messageId: record.messageId, events: notification.ignoredEvents });
    }
    // One notification rarely holds more than one object; they share the message's fate.
    for (const object of notification.objects) {
        const outcome = await processPayment(object, record.messageId, leaseExpiresAt, deps);
        deps.logger.info(outcome === "completed" ? "payment completed" : "payment already complete; duplicate ignored", {
            messageId: record.messageId,
            paymentId: object.paymentId,
        });
    }
}

/**
 * The order makes every retry converge (see docs/worker.md, "Idempotency and retries"):
 *  1. lease the `processing` payment (a complete one means this is a duplicate: stop);
 *  2. the idempotent writes: PostgreSQL (insert-if-absent), OpenSearch (put by payment id);
 *  3. the one write that cannot be repeated silently, the receipt;
 *  4. last, `processing` -> `complete`: until then any failure leaves the payment retryable.
 */
export async function processPayment(
    object: PayloadObject,
    messageId: string,
    leaseExpiresAt: number,
    deps: WorkerDependencies,
): Promise<PaymentOutcome> {
    const { paymentId } = object;
    if ((await deps.ledger.claim(paymentId, messageId, deps.now(), leaseExpiresAt)) === "already-complete") {
        return "duplicate";
    }
    const payment = parsePayment(await readPayload(deps.s3, object), paymentId);

    const database = await deps.database();
    const inserted = await recordTransaction(database, payment, sourceObject(object));
    if (!inserted) {
        deps.logger.info("transaction already recorded by an earlier attempt", { messageId, paymentId });
    }
    await deps.indexer.index(transactionIndexName(deps.config.openSearch.indexPrefix), paymentId, searchDocument(payment));

    const { MessageId } = await deps.ses.send(new SendEmailCommand(receiptEmail(payment, deps.config.email)));
    if (MessageId === undefined) {
        throw new Error(`SES accepted the receipt of payment ${paymentId} without a message id`);
    }
    await deps.ledger.complete(paymentId, messageId, deps.now(), MessageId);
    return "completed";
}

async function readPayload(s3: S3Client, object: PayloadObject): Promise<string> {
    try {
        const response = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }));
        if (response.Body === undefined) {
            throw new Error("empty response body");
        }
        return await response.Body.transformToString("utf-8");
    } catch (error) {
        const { errorName, errorMessage } = describeError(error);
        throw new Error(`cannot read payload ${sourceObject(object)}: ${errorName}: ${errorMessage}`, { cause: error });
    }
}

function sourceObject(object: PayloadObject): string {
    return `s3://${object.bucket}/${object.key}${object.versionId !== undefined ? `?versionId=${object.versionId}` : ""}`;
}

function searchDocument(payment: Payment): Record<string, unknown> {
    return {
        paymentId: payment.paymentId,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        customerEmail: payment.customerEmail,
        merchantReference: payment.merchantReference ?? null,
        createdAt: payment.createdAt,
        status: "complete",
    };
}

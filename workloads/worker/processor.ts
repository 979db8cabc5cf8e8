import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { randomUUID } from "crypto";
import { WorkerConfig } from "./config";
import { transactionIndexName } from "./contract";
import { against, classify, describeError, PoisonMessageError, TransientError, WorkerError } from "./errors";
import { parseNotification, PayloadObject } from "./event";
import { PaymentLedger } from "./ledger";
import { MAX_PAYLOAD_BYTES, parsePayment, Payment } from "./payment";
import { Alarms, Database, DeadLetters, Indexer, Logger } from "./ports";
import { receiptEmail } from "./receipt";
import { assertSamePayload, PayloadSource, readTransaction, recordTransaction } from "./schema";

/** Everything the handler talks to, injected so tests swap in PGlite, local services and fakes. */
export interface WorkerDependencies {
    s3: S3Client;
    ses: SESv2Client;
    ledger: PaymentLedger;
    /** Connected; the schema is the provisioner's job, not the worker's. */
    database: () => Promise<Database>;
    indexer: Indexer;
    deadLetters: DeadLetters;
    alarms: Alarms;
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
 * Processes each message on its own. A transient or configuration failure is reported, so SQS
 * redelivers it; a poison message is moved to the DLQ at once and reported done, so it is not
 * retried. Configuration errors and conflicting payloads also page via the alarm topic.
 */
export async function handleBatch(event: SQSEvent, context: InvocationContext, deps: WorkerDependencies): Promise<SQSBatchResponse> {
    const leaseExpiresAt = deps.now() + context.getRemainingTimeInMillis();
    const results = await Promise.all(
        event.Records.map(async (record): Promise<SQSBatchItemFailure | undefined> => {
            try {
                await processMessage(record, leaseExpiresAt, deps);
                return undefined;
            } catch (caught) {
                const error =
                    caught instanceof WorkerError
                        ? caught
                        : new TransientError("unexpected", describeError(caught).errorMessage, { cause: caught });
                return (await settleFailure(record, error, deps)) ? undefined : { itemIdentifier: record.messageId };
            }
        }),
    );
    return { batchItemFailures: results.filter((f): f is SQSBatchItemFailure => f !== undefined) };
}

/** Returns true when the message is dealt with (dead-lettered), false when SQS must redeliver it. */
async function settleFailure(record: SQSRecord, error: WorkerError, deps: WorkerDependencies): Promise<boolean> {
    const fields = {
        messageId: record.messageId,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
        failureClass: error.failureClass,
        reason: error.reason,
        ...describeError(error),
    };
    if (error.failureClass === "transient") {
        deps.logger.warn("message failed; it will be retried", fields);
        return false;
    }
    const page = error.failureClass === "configuration" || (error instanceof PoisonMessageError && error.alert);
    if (page) {
        await deps.alarms.page(`payments worker: ${error.reason}`, fields).catch((alarmError: unknown) => {
            deps.logger.error("could not page via the alarm topic", { ...fields, alarmError: describeError(alarmError) });
        });
    }
    if (error.failureClass === "configuration") {
        deps.logger.error("configuration error; the message will be retried once the deployment is fixed", fields);
        return false;
    }
    try {
        await deps.deadLetters.send(record, { failureClass: error.failureClass, reason: error.reason, message: error.message });
    } catch (dlqError) {
        deps.logger.error("poison message could not be dead-lettered; it will be retried", {
            ...fields,
            dlqError: describeError(dlqError),
        });
        return false;
    }
    deps.logger.error("poison message moved to the dead-letter queue", fields);
    return true;
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
 * The order makes every retry converge and sends at most one receipt (see docs/worker.md):
 *  1. read and validate the payload (poison stops here, before any state changes);
 *  2. lease the `processing` payment under a holder unique to this attempt (a `complete` one is a
 *     duplicate: check it agrees with the ledger, repair the index, stop);
 *  3. record it in PostgreSQL, or find the recorded row; a different payload is poison;
 *  4. the receipt, from the ledger's row, behind an idempotency record committed before the send;
 *  5. `processing` -> `complete` in DynamoDB: the commit point;
 *  6. index the ledger's row as complete (idempotent; a failure here is repaired by the retry's step 2).
 */
export async function processPayment(
    object: PayloadObject,
    messageId: string,
    leaseExpiresAt: number,
    deps: WorkerDependencies,
): Promise<PaymentOutcome> {
    const { paymentId } = object;
    const source = payloadSource(object);
    const parsed = parsePayment(await readPayload(deps.s3, object, source), paymentId);
    const holder = `${messageId}/${randomUUID()}`;

    const claim = await deps.ledger.claim(paymentId, holder, deps.now(), leaseExpiresAt);
    const database = await against("postgres", deps.database);
    if (claim.kind === "already-complete") {
        const recorded = await readTransaction(database, paymentId);
        if (recorded === undefined) {
            throw new PoisonMessageError("ledger-row-missing", `payment ${paymentId} is complete in DynamoDB but has no ledger row`, {
                alert: true,
            });
        }
        assertSamePayload(recorded, parsed);
        await index(deps, recorded.payment);
        return "duplicate";
    }

    let payment: Payment;
    try {
        const recorded = await recordTransaction(database, parsed, source);
        payment = recorded.payment;
        if (!recorded.inserted) {
            deps.logger.info("transaction already recorded by an earlier attempt", { messageId, paymentId });
        }
        const receipt = await sendReceiptOnce(deps, payment, holder, claim.receipt);
        await deps.ledger.complete(paymentId, holder, deps.now(), receipt);
    } catch (error) {
        await deps.ledger.release(paymentId, holder).catch(() => undefined);
        throw error;
    }
    await index(deps, payment);
    return "completed";
}

type ReceiptOutcome = { state: "sent"; messageId: string } | { state: "unconfirmed" };

async function sendReceiptOnce(
    deps: WorkerDependencies,
    payment: Payment,
    holder: string,
    recorded: { state: string; messageId?: string } | undefined,
): Promise<ReceiptOutcome> {
    const { paymentId } = payment;
    if (recorded?.state === "sent" && recorded.messageId !== undefined) return { state: "sent", messageId: recorded.messageId };
    if (recorded !== undefined || !(await deps.ledger.beginReceipt(paymentId, holder))) {
        // An earlier attempt recorded its intent and died before recording the outcome: SES may
        // have sent it. Sending again could be a second receipt, so it is not; a person checks.
        const fields = { paymentId, holder };
        deps.logger.error("an earlier attempt's receipt cannot be confirmed; not sending a second one", fields);
        await deps.alarms.page(`payments worker: receipt of ${paymentId} unconfirmed`, fields).catch(() => undefined);
        return { state: "unconfirmed" };
    }
    let messageId: string | undefined;
    try {
        ({ MessageId: messageId } = await deps.ses.send(new SendEmailCommand(receiptEmail(payment, deps.config.email))));
    } catch (error) {
        // An answer from SES means it did not take the message: withdraw the intent so a retry may
        // send. Without an answer (timeout, reset) it may have: the intent stays.
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) {
            await deps.ledger.abandonReceipt(paymentId, holder);
        }
        throw classify(error, "ses");
    }
    if (messageId === undefined) {
        throw new TransientError("ses-no-message-id", `SES accepted the receipt of payment ${paymentId} without a message id`);
    }
    return { state: "sent", messageId };
}

async function index(deps: WorkerDependencies, payment: Payment): Promise<void> {
    const name = transactionIndexName(deps.config.openSearch.indexPrefix);
    await against("opensearch", () => deps.indexer.index(name, payment.paymentId, searchDocument(payment)));
}

async function readPayload(s3: S3Client, object: PayloadObject, source: PayloadSource): Promise<Uint8Array> {
    const tooLarge = (size: number) =>
        new PoisonMessageError(
            "payload-too-large",
            `payload ${source.uri} is ${size} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit; not read`,
        );
    if (object.size !== undefined && object.size > MAX_PAYLOAD_BYTES) throw tooLarge(object.size);
    return against("s3", async () => {
        const response = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }));
        if (response.ContentLength !== undefined && response.ContentLength > MAX_PAYLOAD_BYTES) {
            (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
            throw tooLarge(response.ContentLength);
        }
        if (response.Body === undefined) throw new TransientError("s3-empty-body", `payload ${source.uri} came without a body`);
        return response.Body.transformToByteArray();
    });
}

function payloadSource(object: PayloadObject): PayloadSource {
    const uri = `s3://${object.bucket}/${object.key}${object.versionId !== undefined ? `?versionId=${object.versionId}` : ""}`;
    return { uri, ...(object.versionId !== undefined ? { versionId: object.versionId } : {}) };
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

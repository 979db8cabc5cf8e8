import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { PAYMENT_STATUS_ATTRIBUTE, PAYMENTS_TABLE_KEY, PaymentStatus } from "./contract";
import { against, PaymentBusyError, PoisonMessageError, TransientError } from "./errors";

/**
 * The payment's item in DynamoDB is the commit point of the pipeline and the idempotency record of
 * its receipt (see docs/worker.md):
 *  - a delivery attempt takes a lease under a holder unique to that attempt, re-taken by anyone only
 *    after it expires, so two deliveries of the same payment never run side by side;
 *  - before the receipt is handed to SES the attempt records `receiptState = sending` (conditional on
 *    holding the lease and on no earlier intent), so no later attempt ever sends a second receipt;
 *  - `processing` -> `complete` happens last, conditional on still holding the lease.
 */
export type ReceiptState = "sending" | "sent" | "unconfirmed";

export type ClaimOutcome =
    { kind: "claimed"; receipt: { state: ReceiptState; messageId?: string } | undefined } | { kind: "already-complete" };

const ATTR = {
    status: PAYMENT_STATUS_ATTRIBUTE,
    leaseHolder: "workerLeaseHolder",
    leaseExpiresAt: "workerLeaseExpiresAt",
    receiptState: "receiptState",
    receiptAttempt: "receiptAttempt",
    receiptMessageId: "receiptMessageId",
    completedAt: "completedAt",
} as const;

function isConditionFailure(error: unknown): boolean {
    return error instanceof ConditionalCheckFailedException || (error as { name?: unknown })?.name === "ConditionalCheckFailedException";
}

export class PaymentLedger {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
    ) {}

    /** Runs a conditional update; returns the new item, or undefined when the condition failed. */
    private async update(
        input: Omit<UpdateCommandInput, "TableName" | "Key">,
        paymentId: string,
    ): Promise<Record<string, unknown> | undefined> {
        try {
            const { Attributes } = await against("dynamodb", () =>
                this.client.send(
                    new UpdateCommand({
                        TableName: this.tableName,
                        Key: { [PAYMENTS_TABLE_KEY]: paymentId },
                        ReturnValues: "ALL_NEW",
                        ...input,
                    }),
                ),
            );
            return Attributes ?? {};
        } catch (error) {
            if (isConditionFailure((error as { cause?: unknown }).cause)) return undefined;
            throw error;
        }
    }

    /**
     * Leases a `processing` payment to `holder` (unique to this delivery attempt) until
     * `leaseExpiresAt` (epoch ms), if nobody holds an unexpired lease.
     */
    async claim(paymentId: string, holder: string, now: number, leaseExpiresAt: number): Promise<ClaimOutcome> {
        const item = await this.update(
            {
                UpdateExpression: "SET #leaseHolder = :holder, #leaseExpiresAt = :expires",
                ConditionExpression: "#status = :processing AND (attribute_not_exists(#leaseExpiresAt) OR #leaseExpiresAt < :now)",
                ExpressionAttributeNames: {
                    "#status": ATTR.status,
                    "#leaseHolder": ATTR.leaseHolder,
                    "#leaseExpiresAt": ATTR.leaseExpiresAt,
                },
                ExpressionAttributeValues: {
                    ":holder": holder,
                    ":expires": leaseExpiresAt,
                    ":processing": PaymentStatus.Processing,
                    ":now": now,
                },
            },
            paymentId,
        );
        if (item !== undefined) {
            const state = item[ATTR.receiptState] as ReceiptState | undefined;
            const messageId = item[ATTR.receiptMessageId] as string | undefined;
            return {
                kind: "claimed",
                receipt: state === undefined ? undefined : { state, ...(messageId !== undefined ? { messageId } : {}) },
            };
        }
        // The condition failed: find out why.
        const current = await this.read(paymentId);
        if (current === undefined) {
            throw new PoisonMessageError(
                "payment-not-found",
                `payment ${paymentId} is not in table ${this.tableName}; the API records it before archiving the payload`,
            );
        }
        const status = current[ATTR.status];
        if (status === PaymentStatus.Complete) return { kind: "already-complete" };
        if (status === PaymentStatus.Processing) throw new PaymentBusyError(paymentId);
        throw new PoisonMessageError(
            `payment-${String(status)}`,
            `payment ${paymentId} has status "${String(status)}"; only "${PaymentStatus.Processing}" payments are processed`,
        );
    }

    /**
     * The idempotency record of the receipt, committed before the send: true when this attempt may
     * send, false when an earlier attempt already recorded its intent (it may have sent).
     */
    async beginReceipt(paymentId: string, holder: string): Promise<boolean> {
        const item = await this.update(
            {
                UpdateExpression: "SET #receiptState = :sending, #receiptAttempt = :holder",
                ConditionExpression: "#leaseHolder = :holder AND attribute_not_exists(#receiptState)",
                ExpressionAttributeNames: {
                    "#leaseHolder": ATTR.leaseHolder,
                    "#receiptState": ATTR.receiptState,
                    "#receiptAttempt": ATTR.receiptAttempt,
                },
                ExpressionAttributeValues: { ":holder": holder, ":sending": "sending" },
            },
            paymentId,
        );
        if (item !== undefined) return true;
        const current = await this.read(paymentId);
        if (current?.[ATTR.leaseHolder] !== holder) throw this.leaseLost(paymentId);
        return false;
    }

    /** SES answered with a refusal, so nothing was sent: withdraw the intent so a later attempt may send. */
    async abandonReceipt(paymentId: string, holder: string): Promise<void> {
        await this.update(
            {
                UpdateExpression: "REMOVE #receiptState, #receiptAttempt",
                ConditionExpression: "#receiptAttempt = :holder AND #receiptState = :sending",
                ExpressionAttributeNames: { "#receiptState": ATTR.receiptState, "#receiptAttempt": ATTR.receiptAttempt },
                ExpressionAttributeValues: { ":holder": holder, ":sending": "sending" },
            },
            paymentId,
        );
    }

    /** A failed attempt lets go at once, so its retry need not wait for the lease to lapse. */
    async release(paymentId: string, holder: string): Promise<void> {
        await this.update(
            {
                UpdateExpression: "REMOVE #leaseHolder, #leaseExpiresAt",
                ConditionExpression: "#leaseHolder = :holder",
                ExpressionAttributeNames: { "#leaseHolder": ATTR.leaseHolder, "#leaseExpiresAt": ATTR.leaseExpiresAt },
                ExpressionAttributeValues: { ":holder": holder },
            },
            paymentId,
        );
    }

    /**
     * `processing` -> `complete`: the commit. Records the receipt's SES message id (or that an earlier
     * attempt's send cannot be confirmed) and releases the lease. Conditional on still holding the
     * lease, so an attempt whose lease lapsed cannot overwrite another's result; finding the payment
     * already complete is success.
     */
    async complete(
        paymentId: string,
        holder: string,
        completedAt: number,
        receipt: { state: "sent"; messageId: string } | { state: "unconfirmed" },
    ): Promise<void> {
        const item = await this.update(
            {
                UpdateExpression:
                    receipt.state === "sent"
                        ? "SET #status = :complete, #completedAt = :completedAt, #receiptState = :state, #receiptMessageId = :messageId REMOVE #leaseHolder, #leaseExpiresAt"
                        : "SET #status = :complete, #completedAt = :completedAt, #receiptState = :state REMOVE #leaseHolder, #leaseExpiresAt",
                ConditionExpression: "#status = :processing AND #leaseHolder = :holder",
                ExpressionAttributeNames: {
                    "#status": ATTR.status,
                    "#completedAt": ATTR.completedAt,
                    "#receiptState": ATTR.receiptState,
                    "#leaseHolder": ATTR.leaseHolder,
                    "#leaseExpiresAt": ATTR.leaseExpiresAt,
                    ...(receipt.state === "sent" ? { "#receiptMessageId": ATTR.receiptMessageId } : {}),
                },
                ExpressionAttributeValues: {
                    ":complete": PaymentStatus.Complete,
                    ":processing": PaymentStatus.Processing,
                    ":completedAt": new Date(completedAt).toISOString(),
                    ":state": receipt.state,
                    ":holder": holder,
                    ...(receipt.state === "sent" ? { ":messageId": receipt.messageId } : {}),
                },
            },
            paymentId,
        );
        if (item === undefined && (await this.read(paymentId))?.[ATTR.status] !== PaymentStatus.Complete) {
            throw this.leaseLost(paymentId);
        }
    }

    private leaseLost(paymentId: string): TransientError {
        return new TransientError(
            "lease-lost",
            `payment ${paymentId}: the lease of this delivery attempt expired and was taken by another`,
        );
    }

    /** Strongly consistent, to explain a failed condition with the state that failed it. */
    private async read(paymentId: string): Promise<Record<string, unknown> | undefined> {
        const { Item } = await against("dynamodb", () =>
            this.client.send(new GetCommand({ TableName: this.tableName, Key: { [PAYMENTS_TABLE_KEY]: paymentId }, ConsistentRead: true })),
        );
        return Item;
    }
}

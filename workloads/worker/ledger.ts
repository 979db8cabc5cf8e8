import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PAYMENT_STATUS_ATTRIBUTE, PAYMENTS_TABLE_KEY, PaymentStatus } from "./contract";
import { PaymentBusyError } from "./errors";

/**
 * The payment's status in DynamoDB is the commit point of the pipeline. A delivery first takes a
 * lease on the `processing` payment (so two deliveries of the same payment never run the
 * side effects side by side), and moves it to `complete` only after every side effect succeeded.
 */
export type ClaimOutcome = "claimed" | "already-complete";

const NAMES = {
    "#status": PAYMENT_STATUS_ATTRIBUTE,
    "#leaseHolder": "workerLeaseHolder",
    "#leaseExpiresAt": "workerLeaseExpiresAt",
};

function isConditionFailure(error: unknown): boolean {
    return error instanceof ConditionalCheckFailedException || (error as { name?: unknown })?.name === "ConditionalCheckFailedException";
}

export class PaymentLedger {
    constructor(
        private readonly client: DynamoDBDocumentClient,
        private readonly tableName: string,
    ) {}

    /**
     * Leases a `processing` payment to `holder` (the SQS message id, stable across redeliveries of
     * one message) until `leaseExpiresAt` (epoch ms). The same holder may take its lease again, so a
     * retry of a message whose invocation died picks up at once; another message for the same payment
     * waits until the lease lapses.
     */
    async claim(paymentId: string, holder: string, now: number, leaseExpiresAt: number): Promise<ClaimOutcome> {
        try {
            await this.client.send(
                new UpdateCommand({
                    TableName: this.tableName,
                    Key: { [PAYMENTS_TABLE_KEY]: paymentId },
                    UpdateExpression: "SET #leaseHolder = :holder, #leaseExpiresAt = :expires",
                    ConditionExpression:
                        "#status = :processing AND (attribute_not_exists(#leaseExpiresAt) OR #leaseExpiresAt < :now OR #leaseHolder = :holder)",
                    ExpressionAttributeNames: NAMES,
                    ExpressionAttributeValues: {
                        ":holder": holder,
                        ":expires": leaseExpiresAt,
                        ":processing": PaymentStatus.Processing,
                        ":now": now,
                    },
                }),
            );
            return "claimed";
        } catch (error) {
            if (!isConditionFailure(error)) {
                throw error;
            }
        }
        // The condition failed: find out why.
        const item = await this.read(paymentId);
        if (item === undefined) {
            throw new Error(`payment ${paymentId} is not in table ${this.tableName}; the API records it before archiving the payload`);
        }
        const status = item[PAYMENT_STATUS_ATTRIBUTE];
        if (status === PaymentStatus.Complete) {
            return "already-complete";
        }
        if (status === PaymentStatus.Processing) {
            throw new PaymentBusyError(paymentId, String(item[NAMES["#leaseHolder"]]));
        }
        throw new Error(`payment ${paymentId} has status "${String(status)}"; only "${PaymentStatus.Processing}" payments are processed`);
    }

    /**
     * `processing` -> `complete`, releasing the lease and recording the receipt's SES message id.
     * Conditional on still holding the lease, so a delivery whose lease lapsed cannot overwrite
     * another's result; finding the payment already complete is success.
     */
    async complete(paymentId: string, holder: string, completedAt: number, receiptMessageId: string): Promise<void> {
        try {
            await this.client.send(
                new UpdateCommand({
                    TableName: this.tableName,
                    Key: { [PAYMENTS_TABLE_KEY]: paymentId },
                    UpdateExpression: "SET #status = :complete, #completedAt = :completedAt, #receipt = :receipt REMOVE #leaseHolder, #leaseExpiresAt",
                    ConditionExpression: "#status = :processing AND #leaseHolder = :holder",
                    ExpressionAttributeNames: { ...NAMES, "#completedAt": "completedAt", "#receipt": "receiptMessageId" },
                    ExpressionAttributeValues: {
                        ":complete": PaymentStatus.Complete,
                        ":processing": PaymentStatus.Processing,
                        ":completedAt": new Date(completedAt).toISOString(),
                        ":receipt": receiptMessageId,
                        ":holder": holder,
                    },
                }),
            );
        } catch (error) {
            if (!isConditionFailure(error)) {
                throw error;
            }
            const item = await this.read(paymentId);
            if (item?.[PAYMENT_STATUS_ATTRIBUTE] !== PaymentStatus.Complete) {
                throw new Error(`payment ${paymentId} could not be completed: the lease of message ${holder} was lost`);
            }
        }
    }

    /** Strongly consistent, to explain a failed condition with the state that failed it. */
    private async read(paymentId: string): Promise<Record<string, unknown> | undefined> {
        const { Item } = await this.client.send(
            new GetCommand({ TableName: this.tableName, Key: { [PAYMENTS_TABLE_KEY]: paymentId }, ConsistentRead: true }),
        );
        return Item;
    }
}

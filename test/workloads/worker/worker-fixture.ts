import type { PGlite } from "@electric-sql/pglite";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { SendEmailCommand, SendEmailCommandInput, SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { randomUUID } from "crypto";
import { PAYMENTS_TABLE_KEY, PaymentStatus } from "../../../workloads/worker/contract";
import { PaymentLedger } from "../../../workloads/worker/ledger";
import { Payment } from "../../../workloads/worker/payment";
import { Alarms, Database, DeadLetters, Indexer, Logger } from "../../../workloads/worker/ports";
import { handleBatch, WorkerDependencies } from "../../../workloads/worker/processor";
import { migrate } from "../../../workloads/worker/schema";
import { emptyDatabase } from "../../support/pglite";
import { FakePaymentsTable } from "./fake-payments-table";

export const TABLE = "test-payments";
export const BUCKET = "test-payments-raw";
export const INDEX_PREFIX = "pr-42";
export const FROM = "receipts@payments.example.com";
export const CONFIGURATION_SET = "test-payments";

/** An in-memory OpenSearch: documents per index and id, and a switch to make it fail. */
export class FakeIndexer implements Indexer {
    readonly indices = new Map<string, Map<string, Record<string, unknown>>>();
    calls = 0;
    failure: Error | undefined;

    async index(index: string, id: string, document: Record<string, unknown>): Promise<void> {
        this.calls++;
        if (this.failure) throw this.failure;
        if (!this.indices.has(index)) this.indices.set(index, new Map());
        this.indices.get(index)!.set(id, document);
    }
}

/** Passes SQL to the real engine unless told to fail like a dropped connection. */
export class SwitchableDatabase implements Database {
    failure: Error | undefined;
    constructor(private readonly engine: PGlite) {}

    query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> {
        if (this.failure) return Promise.reject(this.failure);
        return this.engine.query<R>(sql, params);
    }
}

/** The DLQ and the alarm topic as lists of what was sent to them. */
export class CapturingNotifications implements DeadLetters, Alarms {
    readonly deadLettered: Array<{ messageId: string; body: string; failureClass: string; reason: string; message: string }> = [];
    readonly pages: Array<{ subject: string; details: Record<string, unknown> }> = [];

    async send(
        message: { messageId: string; body: string },
        failure: { failureClass: string; reason: string; message: string },
    ): Promise<void> {
        this.deadLettered.push({ messageId: message.messageId, body: message.body, ...failure });
    }

    async page(subject: string, details: Record<string, unknown>): Promise<void> {
        this.pages.push({ subject, details });
    }
}

export interface CapturedLog {
    level: "info" | "warn" | "error";
    message: string;
    fields: Record<string, unknown>;
}

/**
 * One PostgreSQL engine per test file (test/support/pglite.ts), emptied before each test;
 * the AWS SDK clients are mocked at `send`, S3 and DynamoDB backed by in-memory state.
 */
export class WorkerFixture {
    engine!: PGlite;
    database!: SwitchableDatabase;
    table!: FakePaymentsTable;
    indexer!: FakeIndexer;
    notifications!: CapturingNotifications;
    objects = new Map<string, string>();
    logs: CapturedLog[] = [];
    clock = Date.parse("2026-11-22T07:00:00Z");
    readonly s3 = mockClient(S3Client);
    readonly ses = mockClient(SESv2Client);
    readonly dynamo = mockClient(DynamoDBDocumentClient);
    private sesCount = 0;

    async start(): Promise<void> {
        this.engine = await emptyDatabase();
        await migrate(this.engine);
    }

    async stop(): Promise<void> {
        this.s3.restore();
        this.ses.restore();
        this.dynamo.restore();
        await this.engine.close();
    }

    async reset(): Promise<void> {
        await this.engine.query("TRUNCATE payment_transactions");
        this.database = new SwitchableDatabase(this.engine);
        this.table = new FakePaymentsTable(TABLE, PAYMENTS_TABLE_KEY);
        this.indexer = new FakeIndexer();
        this.notifications = new CapturingNotifications();
        this.objects = new Map();
        this.logs = [];
        this.sesCount = 0;
        for (const mock of [this.s3, this.ses, this.dynamo]) mock.reset();
        // Versioned objects live under "<bucket>/<key>?<versionId>", the current one under "<bucket>/<key>".
        this.s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string; VersionId?: string }) => {
            const body = this.objects.get(`${input.Bucket}/${input.Key}${input.VersionId ? `?${input.VersionId}` : ""}`);
            if (body === undefined)
                throw new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } });
            const bytes = new TextEncoder().encode(body);
            return { ContentLength: bytes.byteLength, Body: { transformToByteArray: async () => bytes } };
        });
        this.dynamo.on(UpdateCommand).callsFake(async (input) => this.table.update(input));
        this.dynamo.on(GetCommand).callsFake(async (input) => this.table.get(input));
        this.ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `ses-${++this.sesCount}` }));
    }

    dependencies(): WorkerDependencies {
        const logger: Logger = {
            info: (message, fields = {}) => this.logs.push({ level: "info", message, fields }),
            warn: (message, fields = {}) => this.logs.push({ level: "warn", message, fields }),
            error: (message, fields = {}) => this.logs.push({ level: "error", message, fields }),
        };
        return {
            s3: new S3Client({ region: "us-east-1" }),
            ses: new SESv2Client({ region: "us-east-1" }),
            ledger: new PaymentLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" })), TABLE),
            database: async () => this.database,
            indexer: this.indexer,
            deadLetters: this.notifications,
            alarms: this.notifications,
            config: {
                openSearch: { endpoint: "https://search.example.com", indexPrefix: INDEX_PREFIX },
                email: { fromAddress: FROM, configurationSet: CONFIGURATION_SET },
            },
            logger,
            now: () => this.clock,
        };
    }

    /** A payment as the API leaves it: `processing` in the table, its payload archived in S3. */
    submitPayment(overrides: Partial<Payment> = {}): { payment: Payment; key: string } {
        const payment: Payment = {
            paymentId: randomUUID(),
            amountMinor: 12_345,
            currency: "USD",
            customerEmail: "ada@example.com",
            createdAt: "2026-11-22T06:59:00.000Z",
            merchantReference: "order-7",
            ...overrides,
        };
        const key = `payments/2026/11/22/${payment.paymentId}.json`;
        this.table.put({ [PAYMENTS_TABLE_KEY]: payment.paymentId, status: PaymentStatus.Processing });
        this.objects.set(`${BUCKET}/${key}`, JSON.stringify(payment));
        return { payment, key };
    }

    run(records: SQSRecord[], remainingMs = 60_000) {
        return this.runWith(records, this.dependencies(), remainingMs);
    }

    runWith(records: SQSRecord[], deps: WorkerDependencies, remainingMs = 60_000) {
        const event: SQSEvent = { Records: records };
        return handleBatch(event, { getRemainingTimeInMillis: () => remainingMs }, deps);
    }

    emails(): SendEmailCommandInput[] {
        return this.ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    }

    async transactions(): Promise<Array<Record<string, unknown>>> {
        return (await this.engine.query<Record<string, unknown>>("SELECT * FROM payment_transactions ORDER BY payment_id")).rows;
    }

    indexed(paymentId: string): Record<string, unknown> | undefined {
        return this.indexer.indices.get(`${INDEX_PREFIX}-transactions`)?.get(paymentId);
    }

    status(paymentId: string): unknown {
        return this.table.item(paymentId)?.status;
    }
}

/** The SQS record Lambda delivers for an S3 notification of `key`. */
export function s3Message(
    key: string,
    options: { messageId?: string; eventName?: string; versionId?: string; size?: number } = {},
): SQSRecord {
    return sqsMessage(
        JSON.stringify({
            Records: [
                {
                    eventVersion: "2.1",
                    eventSource: "aws:s3",
                    awsRegion: "us-east-1",
                    eventName: options.eventName ?? "ObjectCreated:Put",
                    s3: {
                        s3SchemaVersion: "1.0",
                        bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
                        object: {
                            key: encodeURIComponent(key).replace(/%2F/g, "/"),
                            size: options.size ?? 100,
                            ...(options.versionId ? { versionId: options.versionId } : {}),
                        },
                    },
                },
            ],
        }),
        options.messageId,
    );
}

export function sqsMessage(body: string, messageId: string = randomUUID()): SQSRecord {
    return {
        messageId,
        receiptHandle: `handle-${messageId}`,
        body,
        attributes: {
            ApproximateReceiveCount: "1",
            SentTimestamp: "1763794800000",
            SenderId: "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: "1763794800000",
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:222222222222:test-payments-processing",
        awsRegion: "us-east-1",
    };
}

import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { expect } from "chai";
import { randomUUID } from "crypto";
import { AdminConnect, provisionDatabase } from "../../../workloads/provisioner/database";
import { PAYMENTS_TABLE_KEY, PaymentStatus } from "../../../workloads/worker/contract";
import { classify, ConfigurationError, PoisonMessageError, TransientError } from "../../../workloads/worker/errors";
import { PaymentLedger } from "../../../workloads/worker/ledger";
import { SqsDeadLetters } from "../../../workloads/worker/notify";
import { Payment } from "../../../workloads/worker/payment";
import { PostgresDatabase } from "../../../workloads/worker/postgres";
import { handleBatch, WorkerDependencies } from "../../../workloads/worker/processor";
import { LocalAws, startLocalAws } from "../../support/local-aws";
import { adminConnection, PostgresServer, startPostgres } from "../../support/postgres-server";
import { CapturingNotifications, FakeIndexer, s3Message, sqsMessage } from "./worker-fixture";

const TABLE = "pr-7-payments";
const BUCKET = "test-payments-raw";
const DATABASE = "payments_pr_7";
const WORKER_USER = "payments_worker";
const INDEX = "payments-pr-7-transactions";

/**
 * The worker against real services: PostgreSQL from Debian (provisioned by the provisioner's code,
 * the worker logged in as its INSERT/SELECT-only role), dynalite, s3rver, aws-ses-v2-local and
 * sqslite. OpenSearch has no local implementation on npm; it stays the in-memory index.
 */
describe("worker on real services (PostgreSQL, dynalite, s3rver, aws-ses-v2-local, sqslite)", function () {
    this.timeout(120_000);
    let pg: PostgresServer;
    let aws: LocalAws;
    let s3: S3Client;
    let documents: DynamoDBDocumentClient;
    let sqs: SQSClient;
    let dlqUrl: string;
    const databases: PostgresDatabase[] = [];
    let indexer: FakeIndexer;
    let notifications: CapturingNotifications;

    const admin: AdminConnect = (database) => adminConnection(pg)(database);
    const workerDatabase = (database = DATABASE, user = WORKER_USER) => {
        const db = new PostgresDatabase({ host: pg.host, port: pg.port, database, user });
        databases.push(db);
        return db;
    };

    before(async () => {
        [pg, aws] = await Promise.all([startPostgres(), startLocalAws()]);
        await provisionDatabase(admin, { database: DATABASE, workerUser: WORKER_USER, dropOnDelete: true }, "create");
        const config = aws.clientConfig;
        s3 = new S3Client({ ...config, endpoint: aws.s3Endpoint, forcePathStyle: true });
        await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
        const dynamo = new DynamoDBClient({ ...config, endpoint: aws.dynamodbEndpoint });
        documents = DynamoDBDocumentClient.from(dynamo);
        await dynamo.send(
            new CreateTableCommand({
                TableName: TABLE,
                BillingMode: "PAY_PER_REQUEST",
                KeySchema: [{ AttributeName: PAYMENTS_TABLE_KEY, KeyType: "HASH" }],
                AttributeDefinitions: [{ AttributeName: PAYMENTS_TABLE_KEY, AttributeType: "S" }],
            }),
        );
        sqs = new SQSClient({ ...config, endpoint: aws.sqsEndpoint, ...aws.sqsProtocol });
        dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "pr-7-payments-processing-dlq" }))).QueueUrl!;
    });

    after(async () => {
        await Promise.all(databases.map((db) => db.end().catch(() => undefined)));
        await Promise.all([pg?.stop(), aws?.stop()]);
    });

    beforeEach(async () => {
        indexer = new FakeIndexer();
        notifications = new CapturingNotifications();
        await aws.clearEmails();
        const db = await admin(DATABASE);
        await db.query("TRUNCATE payment_transactions").finally(() => db.end());
    });

    /** One function instance: its own clients and its own single-connection pool, as in Lambda. */
    function instance(overrides: Partial<WorkerDependencies> = {}): WorkerDependencies {
        const config = aws.clientConfig;
        const database = workerDatabase();
        return {
            s3: new S3Client({ ...config, endpoint: aws.s3Endpoint, forcePathStyle: true }),
            ses: new SESv2Client({ ...config, endpoint: aws.sesEndpoint }),
            ledger: new PaymentLedger(
                DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: aws.dynamodbEndpoint })),
                TABLE,
            ),
            database: async () => database,
            indexer,
            deadLetters: new SqsDeadLetters(new SQSClient({ ...config, endpoint: aws.sqsEndpoint, ...aws.sqsProtocol }), dlqUrl),
            alarms: notifications,
            config: {
                openSearch: { endpoint: "https://search.invalid", indexPrefix: "payments-pr-7" },
                email: { fromAddress: "receipts@test.payments.example.com", configurationSet: "test-payments-receipts" },
            },
            logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
            now: Date.now,
            ...overrides,
        };
    }

    async function submit(
        overrides: Partial<Payment> = {},
        status: string = PaymentStatus.Processing,
    ): Promise<{ payment: Payment; message: SQSRecord }> {
        const payment: Payment = {
            paymentId: randomUUID(),
            amountMinor: 1_000 + Math.floor(Math.random() * 100_000),
            currency: "EUR",
            customerEmail: "ada@example.com",
            createdAt: "2026-11-22T06:59:00Z",
            ...overrides,
        };
        const key = `payments/2026/11/22/${payment.paymentId}.json`;
        await documents.send(new PutCommand({ TableName: TABLE, Item: { [PAYMENTS_TABLE_KEY]: payment.paymentId, status } }));
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(payment) }));
        return { payment, message: s3Message(key) };
    }

    const run = (deps: WorkerDependencies, records: SQSRecord[]) =>
        handleBatch({ Records: records }, { getRemainingTimeInMillis: () => 60_000 }, deps);

    /** SQS redelivers what an instance reports failed; bounded, as a test must be. */
    async function untilDelivered(deps: WorkerDependencies, records: SQSRecord[], rounds = 20): Promise<void> {
        let pending = records;
        for (let round = 0; round < rounds && pending.length > 0; round++) {
            const failed = new Set((await run(deps, pending)).batchItemFailures.map((f) => f.itemIdentifier));
            pending = pending.filter((r) => failed.has(r.messageId));
            if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(pending, "messages still failing after every redelivery").to.be.empty;
    }

    async function ledgerRows(): Promise<Array<{ payment_id: string; amount_minor: string }>> {
        const db = await admin(DATABASE);
        try {
            return (await db.query("SELECT payment_id, amount_minor::text AS amount_minor FROM payment_transactions")).rows as Array<{
                payment_id: string;
                amount_minor: string;
            }>;
        } finally {
            await db.end();
        }
    }

    async function deadLetters(): Promise<Array<{ body: string; attributes: Record<string, string> }>> {
        const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 0 }),
        );
        return Messages.map((m) => ({
            body: m.Body ?? "",
            attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""])),
        }));
    }

    it("5 instances delivered the same batch of 10 payments at once: exactly 10 receipts and 10 ledger rows", async () => {
        const batch = await Promise.all(Array.from({ length: 10 }, () => submit()));
        const instances = Array.from({ length: 5 }, () => instance());

        await Promise.all(
            instances.map((deps) =>
                untilDelivered(
                    deps,
                    batch.map((b) => ({ ...b.message, messageId: randomUUID() })),
                ),
            ),
        );

        expect(await aws.emails()).to.have.length(10);
        expect(await ledgerRows()).to.have.length(10);
        for (const { payment } of batch) {
            const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { [PAYMENTS_TABLE_KEY]: payment.paymentId } }));
            expect(Item).to.include({ status: PaymentStatus.Complete, receiptState: "sent" });
        }
    });

    it("a conflicting second payload reaches neither the index nor email: it is dead-lettered with its reason and pages", async () => {
        const { payment, message } = await submit({ amountMinor: 1_000 });
        await untilDelivered(instance(), [message]);
        await s3.send(
            new PutObjectCommand({
                Bucket: BUCKET,
                Key: `payments/2026/11/22/${payment.paymentId}.json`,
                Body: JSON.stringify({ ...payment, amountMinor: 999_999 }),
            }),
        );
        const indexed = { ...indexer.indices.get(INDEX)?.get(payment.paymentId) };

        const conflicting = s3Message(`payments/2026/11/22/${payment.paymentId}.json`);
        expect((await run(instance(), [conflicting])).batchItemFailures).to.be.empty;

        expect(await aws.emails()).to.have.length(1);
        expect(indexer.indices.get(INDEX)?.get(payment.paymentId)).to.deep.equal(indexed);
        expect((await ledgerRows())[0].amount_minor).to.equal("1000");
        expect(notifications.pages.map((p) => p.subject)).to.include("payments worker: conflicting-payload");
        const dead = (await deadLetters()).find((d) => d.body === conflicting.body);
        expect(dead?.attributes).to.include({
            FailureClass: "poison",
            FailureReason: "conflicting-payload",
            SourceMessageId: conflicting.messageId,
        });
    });

    it("classifies what the real services answer", async () => {
        const failure = async (service: Parameters<typeof classify>[1], call: () => Promise<unknown>) => {
            const error = await call().then(
                () => undefined,
                (e: unknown) => classify(e, service),
            );
            expect(error, `${service} call should fail`).to.not.equal(undefined);
            return error!;
        };
        // The worker's role may only INSERT and SELECT: an UPDATE is 42501, a deployment problem.
        const worker = workerDatabase();
        expect(await failure("postgres", () => worker.query("UPDATE payment_transactions SET currency = 'USD'")))
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "sqlstate-42501");
        expect(await failure("postgres", () => worker.query("DELETE FROM payment_transactions"))).to.be.instanceOf(ConfigurationError);
        expect(await failure("postgres", () => worker.query("CREATE TABLE scratch (id int)")))
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "sqlstate-42501");
        expect(await failure("postgres", () => worker.query("SELECT $1::text", ["a\u0000b"])))
            .to.be.instanceOf(PoisonMessageError)
            .with.property("reason", "sqlstate-22021");
        expect(await failure("postgres", () => workerDatabase("payments_pr_999").query("SELECT 1")))
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "sqlstate-3D000");
        expect(await failure("postgres", () => workerDatabase(DATABASE, "nobody").query("SELECT 1")))
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "sqlstate-28000");
        expect(
            await failure("postgres", () => new PostgresDatabase({ host: "127.0.0.1", port: 1, user: WORKER_USER }).query("SELECT 1")),
        ).to.be.instanceOf(TransientError);

        const deps = instance();
        expect(
            await failure("dynamodb", () =>
                new PaymentLedger(documents, "no-such-table").claim(randomUUID(), "h", Date.now(), Date.now() + 1),
            ),
        )
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "dynamodb-ResourceNotFoundException");
        expect(await failure("s3", () => deps.s3.send(new PutObjectCommand({ Bucket: "no-such-bucket", Key: "k", Body: "x" }))))
            .to.be.instanceOf(ConfigurationError)
            .with.property("reason", "s3-NoSuchBucket");

        // SES refusing the message itself (400) is poison: the DLQ at once, no retry, nothing complete.
        const { payment, message } = await submit();
        const refusing = instance({ config: { ...deps.config, email: { fromAddress: "", configurationSet: "x" } } });
        expect((await run(refusing, [message])).batchItemFailures).to.be.empty;
        const dead = (await deadLetters()).find((d) => d.body === message.body);
        expect(dead?.attributes.FailureClass).to.equal("poison");
        expect(dead?.attributes.FailureReason).to.match(/^ses-/);
        const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { [PAYMENTS_TABLE_KEY]: payment.paymentId } }));
        expect(Item?.status).to.equal(PaymentStatus.Processing);
        expect(indexer.indices.get(INDEX)?.get(payment.paymentId)).to.equal(undefined);
    });

    it("a burst of 100 payments with duplicate notifications and poison: every row once, the exact sum, one email each, only the poison dead-lettered", async () => {
        const submitted = await Promise.all(Array.from({ length: 100 }, () => submit()));
        const duplicates = submitted.slice(0, 10).map((s) => ({ ...s.message, messageId: randomUUID() }));
        const poison = [sqsMessage("{not json"), sqsMessage(JSON.stringify({ Records: [] }))];
        const messages = [...submitted.map((s) => s.message), ...duplicates, ...poison].sort(() => Math.random() - 0.5);
        const instances = Array.from({ length: 3 }, () => instance());
        const batches = Array.from({ length: Math.ceil(messages.length / 10) }, (_, i) => messages.slice(i * 10, i * 10 + 10));

        await Promise.all(
            instances.map(async (deps, i) => {
                for (const batch of batches.filter((_, b) => b % instances.length === i)) await untilDelivered(deps, batch);
            }),
        );

        const rows = await ledgerRows();
        expect(rows).to.have.length(100);
        expect(rows.reduce((sum, r) => sum + BigInt(r.amount_minor), 0n)).to.equal(
            submitted.reduce((sum, s) => sum + BigInt(s.payment.amountMinor), 0n),
        );
        expect(await aws.emails()).to.have.length(100);
        const bodies = (await deadLetters()).map((d) => d.body);
        for (const p of poison) expect(bodies).to.include(p.body);
    });

    it("redelivery after the database killed the worker's connection converges", async () => {
        const deps = instance();
        const first = await submit();
        await untilDelivered(deps, [first.message]);
        const db = await admin("postgres");
        await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [WORKER_USER]).finally(() => db.end());

        const batch = await Promise.all(Array.from({ length: 5 }, () => submit()));
        await untilDelivered(
            deps,
            batch.map((b) => b.message),
        );

        expect(await ledgerRows()).to.have.length(6);
        expect(await aws.emails()).to.have.length(6);
    });

    it("replays a dead-lettered payment once its cause is fixed", async () => {
        const { payment, message } = await submit({}, "cancelled");
        expect((await run(instance(), [message])).batchItemFailures).to.be.empty;
        const dead = (await deadLetters()).find((d) => d.body === message.body);
        expect(dead?.attributes.FailureReason).to.equal("payment-cancelled");

        // The cause fixed (the payment reinstated), the replayed body completes it.
        await documents.send(
            new PutCommand({ TableName: TABLE, Item: { [PAYMENTS_TABLE_KEY]: payment.paymentId, status: PaymentStatus.Processing } }),
        );
        await untilDelivered(instance(), [sqsMessage(dead!.body)]);
        expect(await aws.emails()).to.have.length(1);
    });

    it("provisioning: PR teardown drops the PR's database; creating again converges", async () => {
        const spec = { database: "payments_pr_8", workerUser: WORKER_USER, dropOnDelete: true };
        expect((await provisionDatabase(admin, spec, "create")).applied).to.have.length.greaterThan(0);
        expect((await provisionDatabase(admin, spec, "update")).applied).to.deep.equal([]);
        const grants = await admin("payments_pr_8");
        const { rows } = await grants
            .query(
                "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_name = 'payment_transactions' ORDER BY 1",
                [WORKER_USER],
            )
            .finally(() => grants.end());
        expect(rows.map((r) => r.privilege_type)).to.deep.equal(["INSERT", "SELECT"]);

        expect((await provisionDatabase(admin, spec, "delete")).dropped).to.equal(true);
        const db = await admin("postgres");
        const left = await db.query("SELECT 1 FROM pg_database WHERE datname = 'payments_pr_8'").finally(() => db.end());
        expect(left.rows).to.be.empty;
        expect((await provisionDatabase(admin, { ...spec, database: DATABASE, dropOnDelete: false }, "delete")).dropped).to.equal(false);
    });

    it("provisioning: a PR's own database user goes with its database; a shared user stays", async () => {
        const own = { database: "payments_pr_9", workerUser: "payments_pr_9", dropOnDelete: true };
        await provisionDatabase(admin, own, "create");
        await provisionDatabase(admin, own, "delete");
        const db = await admin("postgres");
        const roles = await db
            .query("SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1", [["payments_pr_9", WORKER_USER]])
            .finally(() => db.end());
        expect(roles.rows.map((r) => r.rolname)).to.deep.equal([WORKER_USER]);
    });
});

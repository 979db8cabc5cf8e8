import { GetObjectCommand } from "@aws-sdk/client-s3";
import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "chai";
import { PAYMENTS_TABLE_KEY, PaymentStatus } from "../../../workloads/worker/contract";
import { BUCKET, CONFIGURATION_SET, FROM, s3Message, sqsMessage, WorkerFixture } from "./worker-fixture";

describe("worker handler", () => {
    const fx = new WorkerFixture();

    before(async () => fx.start());
    after(async () => fx.stop());
    beforeEach(async () => fx.reset());

    const throttled = () =>
        new DynamoDBServiceException({ name: "ProvisionedThroughputExceededException", $fault: "client", message: "throttled", $metadata: {} });

    describe("happy path", () => {
        it("records, indexes, emails and completes the payment, reporting no failures", async () => {
            const { payment, key } = fx.submitPayment();

            const response = await fx.run([s3Message(key)]);

            expect(response).to.deep.equal({ batchItemFailures: [] });
            const rows = await fx.transactions();
            expect(rows).to.have.length(1);
            expect(rows[0]).to.include({ payment_id: payment.paymentId, currency: "USD", customer_email: "ada@example.com", merchant_reference: "order-7" });
            expect(Number(rows[0].amount_minor)).to.equal(12_345);
            expect(rows[0].source_object).to.equal(`s3://${BUCKET}/${key}`);
            expect(fx.indexed(payment.paymentId)).to.include({ paymentId: payment.paymentId, amountMinor: 12_345, currency: "USD" });

            const [email, ...more] = fx.emails();
            expect(more).to.be.empty;
            expect(email.FromEmailAddress).to.equal(FROM);
            expect(email.ConfigurationSetName).to.equal(CONFIGURATION_SET);
            expect(email.Destination?.ToAddresses).to.deep.equal(["ada@example.com"]);
            expect(email.Content?.Simple?.Subject?.Data).to.contain("$123.45");
            expect(email.EmailTags).to.deep.equal([{ Name: "payment_id", Value: payment.paymentId }]);

            const item = fx.table.item(payment.paymentId)!;
            expect(item.status).to.equal(PaymentStatus.Complete);
            expect(item.receiptMessageId).to.equal("ses-1");
            expect(item).to.not.have.any.keys("workerLeaseHolder", "workerLeaseExpiresAt");
        });

        it("reads the exact object version that raised the event", async () => {
            const { key } = fx.submitPayment();
            await fx.run([s3Message(key, { versionId: "v3" })]);
            expect(fx.s3.commandCalls(GetObjectCommand)[0].args[0].input).to.deep.equal({ Bucket: BUCKET, Key: key, VersionId: "v3" });
        });

        it("ignores the S3 test event and non-create events without failing them", async () => {
            const { payment, key } = fx.submitPayment();
            const response = await fx.run([
                sqsMessage(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: BUCKET })),
                s3Message(key, { eventName: "ObjectRemoved:Delete" }),
            ]);
            expect(response.batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);
            expect(fx.emails()).to.be.empty;
        });
    });

    describe("duplicates", () => {
        it("treats a redelivered message of a completed payment as a no-op: no second insert, index or email", async () => {
            const { key } = fx.submitPayment();
            const message = s3Message(key);
            await fx.run([message]);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.be.empty;
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.emails()).to.have.length(1);
            expect(fx.indexer.calls).to.equal(1);
            expect(fx.logs.map((l) => l.message)).to.include("payment already complete; duplicate ignored");
        });

        it("treats a second S3 notification for the same object (a new message) as a no-op", async () => {
            const { key } = fx.submitPayment();
            await fx.run([s3Message(key)]);
            const response = await fx.run([s3Message(key)]);
            expect(response.batchItemFailures).to.be.empty;
            expect(fx.emails()).to.have.length(1);
        });

        it("lets only one of two concurrent deliveries run; the other is retried and then finds the payment complete", async () => {
            const { key } = fx.submitPayment();
            const first = s3Message(key, { messageId: "first" });
            const second = s3Message(key, { messageId: "second" });

            const response = await fx.run([first, second]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "second" }]);
            expect(fx.emails()).to.have.length(1);
            expect((await fx.run([second])).batchItemFailures).to.be.empty;
            expect(fx.emails()).to.have.length(1);
            expect(await fx.transactions()).to.have.length(1);
        });

        it("lets another message take over a payment whose lease lapsed (its worker died)", async () => {
            const { payment, key } = fx.submitPayment();
            fx.table.put({ [PAYMENTS_TABLE_KEY]: payment.paymentId, status: "processing", workerLeaseHolder: "dead", workerLeaseExpiresAt: fx.clock - 1 });
            expect((await fx.run([s3Message(key)])).batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
        });

        it("retries a payment while another message's lease is live", async () => {
            const { payment, key } = fx.submitPayment();
            fx.table.put({ [PAYMENTS_TABLE_KEY]: payment.paymentId, status: "processing", workerLeaseHolder: "alive", workerLeaseExpiresAt: fx.clock + 1 });
            const message = s3Message(key);
            expect((await fx.run([message])).batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.emails()).to.be.empty;
        });
    });

    describe("poison messages", () => {
        const poisonBodies: Record<string, string> = {
            "a body that is not JSON": "{not json",
            "JSON that is not an S3 notification": JSON.stringify({ hello: "world" }),
            "a record without an object key": JSON.stringify({ Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: BUCKET } } }] }),
            "a key that carries no payment id": s3Message("payments/readme.txt").body,
        };
        for (const [what, body] of Object.entries(poisonBodies)) {
            it(`reports ${what} as a failed item and touches nothing`, async () => {
                const message = sqsMessage(body);
                const response = await fx.run([message]);
                expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
                expect(fx.s3.commandCalls(GetObjectCommand)).to.be.empty;
                expect(fx.dynamo.commandCalls(UpdateCommand)).to.be.empty;
                expect(fx.logs.find((l) => l.level === "error")?.fields.errorName).to.equal("PoisonMessageError");
            });
        }

        it("reports a payload that breaks the contract, listing every problem, and writes nothing", async () => {
            const { payment, key } = fx.submitPayment({ amountMinor: 12.5, currency: "usd" });
            const message = s3Message(key);
            const response = await fx.run([message]);
            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            const error = fx.logs.find((l) => l.level === "error")!;
            expect(error.fields.errorMessage).to.contain("amountMinor").and.contain("currency");
            expect(await fx.transactions()).to.be.empty;
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);
        });

        it("reports a payload whose payment id differs from its object key", async () => {
            const { key } = fx.submitPayment();
            fx.objects.set(`${BUCKET}/${key}`, JSON.stringify({ ...JSON.parse(fx.objects.get(`${BUCKET}/${key}`)!), paymentId: "6f1c1f5e-8b0a-4b8e-9a43-0b6d1b2c3d4e" }));
            const response = await fx.run([s3Message(key)]);
            expect(response.batchItemFailures).to.have.length(1);
            expect(fx.logs.find((l) => l.level === "error")?.fields.errorMessage).to.contain("does not match the object key");
        });
    });

    describe("each dependency failing leaves the payment retryable, and the retry converges", () => {
        it("S3: a missing payload object fails the item; once the object is there the retry completes", async () => {
            const { payment, key } = fx.submitPayment();
            const payload = fx.objects.get(`${BUCKET}/${key}`)!;
            fx.objects.delete(`${BUCKET}/${key}`);
            const message = s3Message(key);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.logs.find((l) => l.level === "warn")?.fields.errorMessage).to.contain("NoSuchKey").and.contain(key);
            expect(await fx.transactions()).to.be.empty;
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);

            fx.objects.set(`${BUCKET}/${key}`, payload);
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
        });

        it("DynamoDB: a failing table fails the item before any side effect", async () => {
            const { payment, key } = fx.submitPayment();
            fx.dynamo.on(UpdateCommand).rejects(throttled());
            const message = s3Message(key);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.s3.commandCalls(GetObjectCommand)).to.be.empty;
            expect(await fx.transactions()).to.be.empty;
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);
        });

        it("DynamoDB: a payment the table does not know fails the item", async () => {
            const { payment, key } = fx.submitPayment();
            fx.table.items.delete(payment.paymentId);
            const response = await fx.run([s3Message(key)]);
            expect(response.batchItemFailures).to.have.length(1);
            expect(fx.dynamo.commandCalls(GetCommand)[0].args[0].input).to.include({ ConsistentRead: true });
            expect(fx.logs.find((l) => l.level === "warn")?.fields.errorMessage).to.contain("is not in table");
        });

        it("PostgreSQL: a failing database fails the item before indexing or emailing", async () => {
            const { payment, key } = fx.submitPayment();
            fx.database.failure = new Error("Connection terminated unexpectedly");
            const message = s3Message(key);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.indexer.calls).to.equal(0);
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);

            fx.database.failure = undefined;
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(await fx.transactions()).to.have.length(1);
        });

        it("OpenSearch: a failing index fails the item after the (kept) row; the retry adds no second row and sends one email", async () => {
            const { payment, key } = fx.submitPayment();
            fx.indexer.failure = new Error("503 Service Unavailable");
            const message = s3Message(key);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);

            fx.indexer.failure = undefined;
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.indexed(payment.paymentId)).to.not.equal(undefined);
            expect(fx.emails()).to.have.length(1);
            expect(fx.logs.map((l) => l.message)).to.include("transaction already recorded by an earlier attempt");
        });

        it("SES: a failed send leaves the payment processing; the retry sends exactly one receipt", async () => {
            const { payment, key } = fx.submitPayment();
            fx.ses
                .on(SendEmailCommand)
                .rejectsOnce(Object.assign(new Error("Maximum sending rate exceeded."), { name: "TooManyRequestsException" }))
                .resolves({ MessageId: "ses-retry" });
            const message = s3Message(key);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);

            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.emails()).to.have.length(2, "one rejected attempt, one delivered receipt");
            expect(fx.table.item(payment.paymentId)!.receiptMessageId).to.equal("ses-retry");
        });

        it("DynamoDB: failing to mark the payment complete fails the item; the retry completes it (the one case that re-sends the receipt)", async () => {
            const { payment, key } = fx.submitPayment();
            fx.dynamo.on(UpdateCommand).callsFake(async (input) => {
                if (String(input.UpdateExpression).includes("#status")) throw throttled();
                return fx.table.update(input);
            });
            const message = s3Message(key);

            expect((await fx.run([message])).batchItemFailures).to.deep.equal([{ itemIdentifier: message.messageId }]);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);

            fx.dynamo.on(UpdateCommand).callsFake(async (input) => fx.table.update(input));
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
            expect(await fx.transactions()).to.have.length(1);
            // Receipts are at-least-once: SES has no idempotency key (docs/worker.md, "Idempotency and retries").
            expect(fx.emails()).to.have.length(2);
        });
    });

    it("reports only the failed messages of a mixed batch", async () => {
        const ok = fx.submitPayment();
        const missing = fx.submitPayment();
        fx.objects.delete(`${BUCKET}/${missing.key}`);
        const duplicate = fx.submitPayment();
        await fx.run([s3Message(duplicate.key)]);
        const messages = {
            ok: s3Message(ok.key, { messageId: "ok" }),
            poison: sqsMessage("garbage", "poison"),
            missing: s3Message(missing.key, { messageId: "missing" }),
            duplicate: s3Message(duplicate.key, { messageId: "duplicate" }),
            test: sqsMessage(JSON.stringify({ Event: "s3:TestEvent" }), "test"),
        };

        const response = await fx.run(Object.values(messages));

        expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).to.deep.equal(["missing", "poison"]);
        expect(fx.status(ok.payment.paymentId)).to.equal(PaymentStatus.Complete);
        expect(fx.emails()).to.have.length(2);
    });
});

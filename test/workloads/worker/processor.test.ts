import { GetObjectCommand } from "@aws-sdk/client-s3";
import { SendEmailCommand, SESv2ServiceException } from "@aws-sdk/client-sesv2";
import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "chai";
import { PAYMENTS_TABLE_KEY, PaymentStatus } from "../../../workloads/worker/contract";
import { MAX_PAYLOAD_BYTES } from "../../../workloads/worker/payment";
import { BUCKET, CONFIGURATION_SET, FROM, s3Message, sqsMessage, WorkerFixture } from "./worker-fixture";

describe("worker handler", () => {
    const fx = new WorkerFixture();

    before(async () => fx.start());
    after(async () => fx.stop());
    beforeEach(async () => fx.reset());

    const sesError = (name: string, httpStatusCode: number, message = name) =>
        new SESv2ServiceException({ name, $fault: httpStatusCode >= 500 ? "server" : "client", message, $metadata: { httpStatusCode } });
    const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
        response.batchItemFailures.map((f) => f.itemIdentifier);

    describe("happy path", () => {
        it("records (with the payload digest), emails, commits and then indexes the payment", async () => {
            const { payment, key } = fx.submitPayment();
            fx.objects.set(`${BUCKET}/${key}?v1`, fx.objects.get(`${BUCKET}/${key}`)!);
            let statusWhenIndexed: unknown;
            const index = fx.indexer.index.bind(fx.indexer);
            fx.indexer.index = async (...args) => {
                statusWhenIndexed = fx.status(payment.paymentId);
                return index(...args);
            };

            const response = await fx.run([s3Message(key, { versionId: "v1" })]);

            expect(response).to.deep.equal({ batchItemFailures: [] });
            const rows = await fx.transactions();
            expect(rows).to.have.length(1);
            expect(rows[0]).to.include({
                payment_id: payment.paymentId,
                currency: "USD",
                customer_email: "ada@example.com",
                merchant_reference: "order-7",
                source_version: "v1",
            });
            expect(rows[0].payload_sha256).to.match(/^[0-9a-f]{64}$/);
            expect(rows[0].source_object).to.equal(`s3://${BUCKET}/${key}?versionId=v1`);
            expect(fx.indexed(payment.paymentId)).to.include({
                paymentId: payment.paymentId,
                amountMinor: 12_345,
                currency: "USD",
                status: "complete",
            });
            expect(statusWhenIndexed).to.equal(PaymentStatus.Complete, "nothing says complete before DynamoDB does");

            const [email, ...more] = fx.emails();
            expect(more).to.be.empty;
            expect(email.FromEmailAddress).to.equal(FROM);
            expect(email.ConfigurationSetName).to.equal(CONFIGURATION_SET);
            expect(email.Destination?.ToAddresses).to.deep.equal(["ada@example.com"]);
            expect(email.Content?.Simple?.Subject?.Data).to.contain("$123.45");
            expect(email.EmailTags).to.deep.equal([{ Name: "payment_id", Value: payment.paymentId }]);

            const item = fx.table.item(payment.paymentId)!;
            expect(item).to.include({ status: PaymentStatus.Complete, receiptState: "sent", receiptMessageId: "ses-1" });
            expect(item).to.not.have.any.keys("workerLeaseHolder", "workerLeaseExpiresAt");
        });

        it("reads the exact object version that raised the event", async () => {
            const { key } = fx.submitPayment();
            fx.objects.set(`${BUCKET}/${key}?v3`, fx.objects.get(`${BUCKET}/${key}`)!);
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

    describe("duplicate and concurrent deliveries", () => {
        it("treats a redelivered message of a completed payment as a no-op: no second row or email", async () => {
            const { key } = fx.submitPayment();
            const message = s3Message(key);
            await fx.run([message]);

            const response = await fx.run([message]);

            expect(response.batchItemFailures).to.be.empty;
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.emails()).to.have.length(1);
            expect(fx.logs.map((l) => l.message)).to.include("payment already complete; duplicate ignored");
        });

        it("lets only one of two concurrent deliveries run; the other is retried and then finds the payment complete", async () => {
            const { key } = fx.submitPayment();
            const first = s3Message(key, { messageId: "first" });
            const second = s3Message(key, { messageId: "second" });

            const response = await fx.run([first, second]);

            expect(response.batchItemFailures).to.have.length(1);
            expect(fx.emails()).to.have.length(1);
            expect((await fx.run([first, second])).batchItemFailures).to.be.empty;
            expect(fx.emails()).to.have.length(1);
            expect(await fx.transactions()).to.have.length(1);
        });

        it("does not let the same message re-take a live lease: the lease belongs to one delivery attempt", async () => {
            const { payment, key } = fx.submitPayment();
            const message = s3Message(key);
            fx.table.put({
                [PAYMENTS_TABLE_KEY]: payment.paymentId,
                status: "processing",
                workerLeaseHolder: `${message.messageId}/earlier-attempt`,
                workerLeaseExpiresAt: fx.clock + 1,
            });

            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.emails()).to.be.empty;
            expect(fx.logs.find((l) => l.level === "warn")?.fields.reason).to.equal("lease-held");
        });

        it("lets another delivery take over once the lease lapsed (its worker died)", async () => {
            const { payment, key } = fx.submitPayment();
            fx.table.put({
                [PAYMENTS_TABLE_KEY]: payment.paymentId,
                status: "processing",
                workerLeaseHolder: "dead",
                workerLeaseExpiresAt: fx.clock - 1,
            });
            expect((await fx.run([s3Message(key)])).batchItemFailures).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
        });
    });

    describe("at most one receipt", () => {
        it("never sends a second receipt when an earlier attempt recorded its intent and died: completes it as unconfirmed and pages", async () => {
            const { payment, key } = fx.submitPayment();
            fx.table.put({
                [PAYMENTS_TABLE_KEY]: payment.paymentId,
                status: "processing",
                workerLeaseHolder: "dead",
                workerLeaseExpiresAt: fx.clock - 1,
                receiptState: "sending",
                receiptAttempt: "dead",
            });

            expect((await fx.run([s3Message(key)])).batchItemFailures).to.be.empty;

            expect(fx.emails()).to.be.empty;
            expect(fx.table.item(payment.paymentId)).to.include({ status: PaymentStatus.Complete, receiptState: "unconfirmed" });
            expect(fx.notifications.pages.map((p) => p.subject)).to.deep.equal([
                `payments worker: receipt of ${payment.paymentId} unconfirmed`,
            ]);
        });

        it("retries a throttled send (SES answered: nothing was sent) and sends exactly one receipt", async () => {
            const { payment, key } = fx.submitPayment();
            fx.ses.on(SendEmailCommand).rejectsOnce(sesError("TooManyRequestsException", 429)).resolves({ MessageId: "ses-retry" });
            const message = s3Message(key);

            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.notifications.deadLettered, JSON.stringify(fx.notifications.deadLettered)).to.be.empty;
            expect(fx.table.item(payment.paymentId)).to.not.have.property("receiptState");

            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.table.item(payment.paymentId)).to.include({ status: PaymentStatus.Complete, receiptMessageId: "ses-retry" });
            expect(fx.emails()).to.have.length(2, "one refused attempt, one delivered receipt");
        });

        it("does not re-send after a send that got no answer (it may have gone out)", async () => {
            const { payment, key } = fx.submitPayment();
            fx.ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
            const message = s3Message(key);

            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            fx.clock += 120_000; // the attempt's lease lapses
            expect((await fx.run([message])).batchItemFailures).to.be.empty;

            expect(fx.emails()).to.have.length(1);
            expect(fx.table.item(payment.paymentId)).to.include({ status: PaymentStatus.Complete, receiptState: "unconfirmed" });
        });

        it("does not re-send when the commit failed after the send", async () => {
            const { payment, key } = fx.submitPayment();
            fx.dynamo.on(UpdateCommand).callsFake(async (input) => {
                if (String(input.UpdateExpression).includes("#status = :complete")) {
                    throw new DynamoDBServiceException({
                        name: "ProvisionedThroughputExceededException",
                        $fault: "client",
                        message: "throttled",
                        $metadata: { httpStatusCode: 400 },
                    });
                }
                return fx.table.update(input);
            });
            const message = s3Message(key);
            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.indexed(payment.paymentId)).to.equal(undefined, "not indexed before the commit");

            fx.dynamo.on(UpdateCommand).callsFake(async (input) => fx.table.update(input));
            fx.clock += 120_000;
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.emails()).to.have.length(1);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
        });
    });

    describe("one truth per payment", () => {
        it("dead-letters a second, different payload for a completed payment and pages; nothing reaches the index or email", async () => {
            const { payment, key } = fx.submitPayment({ amountMinor: 1_000 });
            await fx.run([s3Message(key, { versionId: undefined })]);
            fx.objects.set(`${BUCKET}/${key}?v2`, JSON.stringify({ ...payment, amountMinor: 999_999 }));
            const indexed = { ...fx.indexed(payment.paymentId) };
            const second = s3Message(key, { versionId: "v2" });

            expect((await fx.run([second])).batchItemFailures).to.be.empty;

            expect(fx.notifications.deadLettered).to.have.length(1);
            expect(fx.notifications.deadLettered[0]).to.include({
                messageId: second.messageId,
                failureClass: "poison",
                reason: "conflicting-payload",
                body: second.body,
            });
            expect(fx.notifications.pages.map((p) => p.subject)).to.deep.equal(["payments worker: conflicting-payload"]);
            expect(fx.emails()).to.have.length(1);
            expect(fx.indexed(payment.paymentId)).to.deep.equal(indexed);
            expect(Number((await fx.transactions())[0].amount_minor)).to.equal(1_000);
        });

        it("dead-letters a different payload that arrives while the first is mid-way, and the first completes with its own amount", async () => {
            const { payment, key } = fx.submitPayment({ amountMinor: 1_000 });
            fx.ses.on(SendEmailCommand).rejectsOnce(sesError("TooManyRequestsException", 429)).resolves({ MessageId: "ses-a" });
            const first = s3Message(key);
            await fx.run([first]); // recorded, send throttled, lease held until it lapses
            fx.clock += 120_000;
            fx.objects.set(`${BUCKET}/${key}?v2`, JSON.stringify({ ...payment, amountMinor: 999_999 }));

            const second = s3Message(key, { versionId: "v2" });
            expect((await fx.run([second])).batchItemFailures).to.be.empty;
            expect(fx.notifications.deadLettered.map((d) => d.reason)).to.deep.equal(["conflicting-payload"]);

            fx.clock += 120_000;
            expect((await fx.run([first])).batchItemFailures).to.be.empty;
            const emails = fx.emails().slice(1);
            expect(emails).to.have.length(1);
            expect(emails[0].Content?.Simple?.Subject?.Data).to.contain("$10.00");
            expect(fx.indexed(payment.paymentId)).to.include({ amountMinor: 1_000 });
        });

        it("accepts a byte-identical second object (a re-upload) as a duplicate", async () => {
            const { key } = fx.submitPayment();
            await fx.run([s3Message(key)]);
            fx.objects.set(`${BUCKET}/${key}?v2`, fx.objects.get(`${BUCKET}/${key}`)!);
            expect((await fx.run([s3Message(key, { versionId: "v2" })])).batchItemFailures).to.be.empty;
            expect(fx.notifications.deadLettered).to.be.empty;
        });
    });

    describe("poison goes to the DLQ at once, with its reason", () => {
        const poisonBodies: Record<string, string> = {
            "a body that is not JSON": "{not json",
            "JSON that is not an S3 notification": JSON.stringify({ hello: "world" }),
            "a record without an object key": JSON.stringify({
                Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: BUCKET } } }],
            }),
            "a key that carries no payment id": s3Message("payments/readme.txt").body,
        };
        for (const [what, body] of Object.entries(poisonBodies)) {
            it(`dead-letters ${what} and touches nothing`, async () => {
                const message = sqsMessage(body);
                const response = await fx.run([message]);
                expect(response.batchItemFailures).to.be.empty;
                expect(fx.notifications.deadLettered.map((d) => d.failureClass)).to.deep.equal(["poison"]);
                expect(fx.s3.commandCalls(GetObjectCommand)).to.be.empty;
                expect(fx.dynamo.commandCalls(UpdateCommand)).to.be.empty;
            });
        }

        it("dead-letters a payload that breaks the contract, listing every problem, and writes nothing", async () => {
            const { payment, key } = fx.submitPayment({
                amountMinor: 12.5,
                currency: "XTS",
                createdAt: "2026-02-30T00:00:00Z",
                customerEmail: "a@b..com",
            });
            const response = await fx.run([s3Message(key)]);
            expect(response.batchItemFailures).to.be.empty;
            const [dead] = fx.notifications.deadLettered;
            expect(dead.reason).to.equal("invalid-payload");
            expect(dead.message).to.contain("amountMinor").and.contain("currency").and.contain("createdAt").and.contain("customerEmail");
            expect(await fx.transactions()).to.be.empty;
            expect(fx.emails()).to.be.empty;
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);
        });

        it("refuses an object the event says is too large without reading it", async () => {
            const { key } = fx.submitPayment();
            await fx.run([s3Message(key, { size: 10 * 1024 * 1024 })]);
            expect(fx.notifications.deadLettered.map((d) => d.reason)).to.deep.equal(["payload-too-large"]);
            expect(fx.s3.commandCalls(GetObjectCommand)).to.be.empty;
        });

        it("refuses an object larger than the limit when S3 reports it, before reading the body", async () => {
            const { key } = fx.submitPayment({ merchantReference: "x".repeat(MAX_PAYLOAD_BYTES) });
            await fx.run([s3Message(key)]);
            expect(fx.notifications.deadLettered.map((d) => d.reason)).to.deep.equal(["payload-too-large"]);
        });

        it("dead-letters an address SES refuses (400), without retrying it; the index never says complete", async () => {
            const { payment, key } = fx.submitPayment();
            fx.ses.on(SendEmailCommand).rejects(sesError("MessageRejected", 400, "Illegal address"));
            const response = await fx.run([s3Message(key)]);
            expect(response.batchItemFailures).to.be.empty;
            expect(fx.notifications.deadLettered.map((d) => d.reason)).to.deep.equal(["ses-MessageRejected"]);
            expect(fx.indexed(payment.paymentId)).to.equal(undefined);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Processing);
        });

        it("dead-letters a payment the table does not know, or one that is cancelled", async () => {
            const missing = fx.submitPayment();
            fx.table.items.delete(missing.payment.paymentId);
            const cancelled = fx.submitPayment();
            fx.table.put({ [PAYMENTS_TABLE_KEY]: cancelled.payment.paymentId, status: "cancelled" });
            await fx.run([s3Message(missing.key), s3Message(cancelled.key)]);
            expect(fx.notifications.deadLettered.map((d) => d.reason).sort()).to.deep.equal(["payment-cancelled", "payment-not-found"]);
            expect(fx.emails()).to.be.empty;
        });

        it("keeps a poison message on the queue when the DLQ cannot take it", async () => {
            fx.notifications.send = async () => {
                throw new Error("DLQ unavailable");
            };
            const message = sqsMessage("{not json");
            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
        });
    });

    describe("transient and configuration failures are retried; configuration errors page", () => {
        it("PostgreSQL: a dropped connection is transient; the retry converges to one row and one receipt", async () => {
            const { payment, key } = fx.submitPayment();
            fx.database.failure = new Error("Connection terminated unexpectedly");
            const message = s3Message(key);

            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.logs.find((l) => l.level === "warn")?.fields.failureClass).to.equal("transient");
            expect(fx.emails()).to.be.empty;

            fx.database.failure = undefined;
            fx.clock += 120_000;
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(await fx.transactions()).to.have.length(1);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);
        });

        it("PostgreSQL: a missing privilege (42501) is a configuration error: paged, retried, not dead-lettered", async () => {
            const { key } = fx.submitPayment();
            fx.database.failure = Object.assign(new Error("permission denied for table payment_transactions"), { code: "42501" });
            const message = s3Message(key);
            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.notifications.pages.map((p) => p.subject)).to.deep.equal(["payments worker: sqlstate-42501"]);
            expect(fx.notifications.deadLettered).to.be.empty;
        });

        it("OpenSearch: a failing index after the commit is retried, and the retry repairs the index without a second receipt", async () => {
            const { payment, key } = fx.submitPayment();
            fx.indexer.failure = Object.assign(new Error("Service Unavailable"), { meta: { statusCode: 503 } });
            const message = s3Message(key);

            expect(failedIds(await fx.run([message]))).to.deep.equal([message.messageId]);
            expect(fx.status(payment.paymentId)).to.equal(PaymentStatus.Complete);

            fx.indexer.failure = undefined;
            expect((await fx.run([message])).batchItemFailures).to.be.empty;
            expect(fx.indexed(payment.paymentId)).to.include({ status: "complete" });
            expect(fx.emails()).to.have.length(1);
        });

        it("OpenSearch: 403 (no role mapping) is a configuration error", async () => {
            const { key } = fx.submitPayment();
            fx.indexer.failure = Object.assign(new Error("no permissions for [indices:data/write/index]"), {
                meta: { statusCode: 403, body: { error: { type: "security_exception" } } },
            });
            await fx.run([s3Message(key)]);
            expect(fx.notifications.pages.map((p) => p.subject)).to.deep.equal(["payments worker: opensearch-security_exception"]);
        });
    });

    it("reports only the retryable messages of a mixed batch", async () => {
        const ok = fx.submitPayment();
        const busy = fx.submitPayment();
        fx.table.put({
            [PAYMENTS_TABLE_KEY]: busy.payment.paymentId,
            status: "processing",
            workerLeaseHolder: "other",
            workerLeaseExpiresAt: fx.clock + 1,
        });
        const duplicate = fx.submitPayment();
        await fx.run([s3Message(duplicate.key)]);
        const messages = {
            ok: s3Message(ok.key, { messageId: "ok" }),
            poison: sqsMessage("garbage", "poison"),
            busy: s3Message(busy.key, { messageId: "busy" }),
            duplicate: s3Message(duplicate.key, { messageId: "duplicate" }),
            test: sqsMessage(JSON.stringify({ Event: "s3:TestEvent" }), "test"),
        };

        const response = await fx.run(Object.values(messages));

        expect(failedIds(response)).to.deep.equal(["busy"]);
        expect(fx.notifications.deadLettered.map((d) => d.messageId)).to.deep.equal(["poison"]);
        expect(fx.status(ok.payment.paymentId)).to.equal(PaymentStatus.Complete);
        expect(fx.emails()).to.have.length(2);
    });
});

import type { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import { PoisonMessageError } from "../../../workloads/worker/errors";
import { MIGRATIONS, migrate, recordTransaction } from "../../../workloads/worker/schema";
import { emptyDatabase } from "../../support/pglite";

describe("worker schema (PostgreSQL via PGlite)", () => {
    let db: PGlite;
    before(async () => {
        db = await emptyDatabase();
    });
    after(async () => db.close());

    it("applies every migration once and nothing on the next cold start", async () => {
        expect(await migrate(db)).to.deep.equal(MIGRATIONS.map((m) => m.version));
        expect(await migrate(db)).to.deep.equal([]);
        const { rows } = await db.query<{ version: number }>("SELECT version FROM worker_schema_migrations ORDER BY version");
        expect(rows.map((r) => r.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
    });

    it("records a transaction once, whatever the number of deliveries", async () => {
        const payment = {
            paymentId: "0b6d1b2c-3d4e-4f5a-8b9c-0d1e2f3a4b5c",
            amountMinor: 9_007_199_254_740_991,
            currency: "USD",
            customerEmail: "a@b.co",
            createdAt: "2026-11-22T06:00:00.000Z",
        };
        const digest = "a".repeat(64);
        expect(await recordTransaction(db, { payment, digest }, { uri: "s3://b/k" })).to.deep.equal({ payment, inserted: true });
        expect(await recordTransaction(db, { payment, digest }, { uri: "s3://b/k?versionId=2", versionId: "2" })).to.deep.equal({
            payment,
            inserted: false,
        });
        const conflict = await recordTransaction(
            db,
            { payment: { ...payment, amountMinor: 1 }, digest: "b".repeat(64) },
            { uri: "s3://b/k" },
        ).catch((e: unknown) => e);
        expect(conflict).to.be.instanceOf(PoisonMessageError).with.property("reason", "conflicting-payload");
        const { rows } = await db.query<{ amount_minor: unknown; merchant_reference: unknown }>(
            "SELECT amount_minor::text AS amount_minor, merchant_reference FROM payment_transactions",
        );
        expect(rows).to.deep.equal([{ amount_minor: "9007199254740991", merchant_reference: null }]);
    });

    it("leaves no half-applied schema when a migration fails", async () => {
        const fresh = await emptyDatabase();
        try {
            // A foreign table of the same name without created_at: the index statement fails.
            await fresh.exec("CREATE TABLE payment_transactions (payment_id uuid)");
            const error = await migrate(fresh).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error, "index on a missing column must fail").to.be.instanceOf(Error);
            const { rows } = await fresh.query("SELECT to_regclass('worker_schema_migrations') AS t");
            expect(rows).to.deep.equal([{ t: null }]);
        } finally {
            await fresh.close();
        }
    });
});

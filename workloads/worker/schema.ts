import { Database } from "./ports";
import { Payment } from "./payment";

/**
 * Ordered, append-only schema migrations. A released migration is never edited: add a new one.
 * Every statement is safe to re-run, so a migration interrupted half-way converges on retry.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; description: string; statements: string[] }> = [
    {
        version: 1,
        description: "payment transactions",
        statements: [
            `CREATE TABLE IF NOT EXISTS payment_transactions (
                payment_id        uuid        PRIMARY KEY,
                amount_minor      bigint      NOT NULL CHECK (amount_minor > 0),
                currency          char(3)     NOT NULL,
                customer_email    text        NOT NULL,
                merchant_reference text,
                created_at        timestamptz NOT NULL,
                source_object     text        NOT NULL,
                recorded_at       timestamptz NOT NULL DEFAULT now()
            )`,
            `CREATE INDEX IF NOT EXISTS payment_transactions_created_at_idx ON payment_transactions (created_at)`,
        ],
    },
];

/** An arbitrary constant: the advisory lock that serialises migrations across concurrent workers. */
const MIGRATION_LOCK_KEY = 4_031_777_201;

/**
 * Brings the schema up to date. Many worker instances cold-start at once, so the work runs in one
 * transaction under an advisory lock: the first applies the migrations, the rest wait and find
 * nothing to do. Needs a single connection (`db` must not spread statements over a pool).
 * Returns the versions it applied.
 */
export async function migrate(db: Database): Promise<number[]> {
    await db.query("BEGIN");
    try {
        await db.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        await db.query(
            `CREATE TABLE IF NOT EXISTS worker_schema_migrations (
                version     integer     PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )`,
        );
        const { rows } = await db.query<{ version: number }>("SELECT version FROM worker_schema_migrations");
        const applied = new Set(rows.map((r) => Number(r.version)));
        const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
        for (const migration of pending) {
            for (const statement of migration.statements) {
                await db.query(statement);
            }
            await db.query("INSERT INTO worker_schema_migrations (version, description) VALUES ($1, $2)", [
                migration.version,
                migration.description,
            ]);
        }
        await db.query("COMMIT");
        return pending.map((m) => m.version);
    } catch (error) {
        await db.query("ROLLBACK").catch(() => undefined);
        throw error;
    }
}

/**
 * Records the transaction once: a redelivered message finds the row and changes nothing.
 * Returns whether this call inserted it.
 */
export async function recordTransaction(db: Database, payment: Payment, sourceObject: string): Promise<boolean> {
    const { rows } = await db.query(
        `INSERT INTO payment_transactions
            (payment_id, amount_minor, currency, customer_email, merchant_reference, created_at, source_object)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (payment_id) DO NOTHING
         RETURNING payment_id`,
        [
            payment.paymentId,
            payment.amountMinor,
            payment.currency,
            payment.customerEmail,
            payment.merchantReference ?? null,
            payment.createdAt,
            sourceObject,
        ],
    );
    return rows.length === 1;
}

import { CURRENCIES } from "./currencies";
import { against, PoisonMessageError } from "./errors";
import { ParsedPayment, Payment } from "./payment";
import { Database } from "./ports";

/** The ledger table: the worker may INSERT and SELECT it, nothing else (see workloads/provisioner). */
export const LEDGER_TABLE = "payment_transactions";

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
    {
        version: 2,
        description: "one truth per payment: payload digest and object version; ISO 4217 allow-list",
        statements: [
            `ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS payload_sha256 text CHECK (payload_sha256 ~ '^[0-9a-f]{64}$')`,
            `ALTER TABLE payment_transactions ADD COLUMN IF NOT EXISTS source_version text`,
            `ALTER TABLE payment_transactions DROP CONSTRAINT IF EXISTS payment_transactions_currency_iso4217`,
            `ALTER TABLE payment_transactions ADD CONSTRAINT payment_transactions_currency_iso4217 CHECK (currency IN (${CURRENCIES.map((c) => `'${c}'`).join(", ")}))`,
        ],
    },
];

/** An arbitrary constant: the advisory lock that serialises concurrent migrations of one database. */
const MIGRATION_LOCK_KEY = 4_031_777_201;

/**
 * Brings the schema up to date; run by the provisioner (the migration identity), never by the
 * worker. The work runs in one transaction under an advisory lock, so two overlapping deployments
 * apply each migration once and a failure leaves nothing half-applied. Needs a single connection
 * (`db` must not spread statements over a pool). Returns the versions it applied.
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

/** Where a payload came from: the bucket, key and (on a versioned bucket) the exact version. */
export interface PayloadSource {
    uri: string;
    versionId?: string;
}

interface LedgerRow {
    payment_id: string;
    amount_minor: string | number | bigint;
    currency: string;
    customer_email: string;
    merchant_reference: string | null;
    created_at: Date | string;
    payload_sha256: string | null;
}

const COLUMNS = "payment_id, amount_minor, currency, customer_email, merchant_reference, created_at, payload_sha256";

function fromRow(row: LedgerRow): Payment {
    return {
        paymentId: row.payment_id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency.trim(),
        customerEmail: row.customer_email,
        createdAt: new Date(row.created_at).toISOString(),
        ...(row.merchant_reference !== null ? { merchantReference: row.merchant_reference } : {}),
    };
}

/** What the ledger holds for a payment, or undefined. */
export async function readTransaction(db: Database, paymentId: string): Promise<{ payment: Payment; digest: string | null } | undefined> {
    const { rows } = await against("postgres", () =>
        db.query<LedgerRow>(`SELECT ${COLUMNS} FROM ${LEDGER_TABLE} WHERE payment_id = $1`, [paymentId]),
    );
    return rows.length === 0 ? undefined : { payment: fromRow(rows[0]), digest: rows[0].payload_sha256 };
}

/**
 * The ledger's truth must be the payload's: a second payload for the same payment is accepted only
 * if its digest is the one recorded. Rows from before digests were kept are compared field by field.
 */
export function assertSamePayload(recorded: { payment: Payment; digest: string | null }, parsed: ParsedPayment): void {
    const same =
        recorded.digest !== null ? recorded.digest === parsed.digest : JSON.stringify(recorded.payment) === JSON.stringify(parsed.payment);
    if (!same) {
        throw new PoisonMessageError(
            "conflicting-payload",
            `payment ${parsed.payment.paymentId}: this payload (sha256 ${parsed.digest}) differs from the one the ledger recorded (sha256 ${recorded.digest ?? "none"}); it is neither indexed nor receipted`,
            { alert: true },
        );
    }
}

/**
 * Records the transaction once, with the digest of its payload and its source version, and returns
 * what the ledger holds: the caller indexes and emails that, never the payload in hand. A second,
 * different payload for the same payment is poison (and an alert).
 */
export async function recordTransaction(
    db: Database,
    parsed: ParsedPayment,
    source: PayloadSource,
): Promise<{ payment: Payment; inserted: boolean }> {
    const { payment, digest } = parsed;
    const { rows } = await against("postgres", () =>
        db.query<LedgerRow>(
            `INSERT INTO ${LEDGER_TABLE}
                (payment_id, amount_minor, currency, customer_email, merchant_reference, created_at, source_object, source_version, payload_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (payment_id) DO NOTHING
             RETURNING ${COLUMNS}`,
            [
                payment.paymentId,
                payment.amountMinor,
                payment.currency,
                payment.customerEmail,
                payment.merchantReference ?? null,
                payment.createdAt,
                source.uri,
                source.versionId ?? null,
                digest,
            ],
        ),
    );
    if (rows.length === 1) return { payment: fromRow(rows[0]), inserted: true };
    const recorded = await readTransaction(db, payment.paymentId);
    if (recorded === undefined) {
        throw new PoisonMessageError(
            "ledger-row-vanished",
            `payment ${payment.paymentId} conflicted on insert but has no row; the ledger was changed by hand`,
        );
    }
    assertSamePayload(recorded, parsed);
    return { payment: recorded.payment, inserted: false };
}

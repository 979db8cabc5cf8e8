import { Database } from "../worker/ports";
import { LEDGER_TABLE, migrate } from "../worker/schema";

/**
 * What the migration identity (the provisioning function, logged in as the RDS master user) makes of
 * one environment's database. The worker never migrates: it logs in as `workerUser`, which may
 * CONNECT to its own database and INSERT and SELECT the ledger, and nothing else (no UPDATE, DELETE,
 * TRUNCATE, no CREATE anywhere), so a compromised or buggy worker cannot rewrite history.
 */
export interface DatabaseSpec {
    /** `payments` or `payments_pr_<n>`. */
    database: string;
    /** `payments_worker`: one login role per instance, shared by every database on it. */
    workerUser: string;
    /** Drop the database when the environment goes (PRs); shared and production data are kept. */
    dropOnDelete: boolean;
}

export type LifecycleAction = "create" | "update" | "delete";

/** A connection as the master user to one database of the instance. */
export type AdminConnect = (database: string) => Promise<Database & { end(): Promise<void> }>;

/** The instance's own maintenance database, present on every PostgreSQL (and RDS) server. */
const MAINTENANCE_DATABASE = "postgres";
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(kind: string, value: string): string {
    if (!IDENTIFIER.test(value)) {
        throw new Error(`${kind} "${value}" is not a plain lower-case PostgreSQL identifier (a-z, 0-9, _; at most 63)`);
    }
    return `"${value}"`;
}

async function withConnection<T>(connect: AdminConnect, database: string, use: (db: Database) => Promise<T>): Promise<T> {
    const db = await connect(database);
    try {
        return await use(db);
    } finally {
        await db.end();
    }
}

/** Creates or converges the database, the worker's role and its grants; on delete drops a PR's database. Idempotent. */
export async function provisionDatabase(
    connect: AdminConnect,
    spec: DatabaseSpec,
    action: LifecycleAction,
): Promise<{ database: string; applied: number[]; dropped: boolean }> {
    const database = identifier("database", spec.database);
    const worker = identifier("worker user", spec.workerUser);
    if (action === "delete") {
        if (!spec.dropOnDelete) return { database: spec.database, applied: [], dropped: false };
        // WITH (FORCE) ends the worker's open sessions (PostgreSQL 13+): a PR teardown must not wait on them.
        await withConnection(connect, MAINTENANCE_DATABASE, async (db) => {
            await db.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
            // A PR's worker logs in as a user named like its database (workloads/tenancy.ts), which goes
            // with it; a user shared with other databases stays.
            if (spec.workerUser === spec.database) await db.query(`DROP ROLE IF EXISTS ${worker}`);
        });
        return { database: spec.database, applied: [], dropped: true };
    }
    await withConnection(connect, MAINTENANCE_DATABASE, async (db) => {
        const role = await db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [spec.workerUser]);
        if (role.rows.length === 0) {
            await db.query(`CREATE ROLE ${worker} LOGIN`).catch(ignore("42710")); // duplicate_object: a concurrent PR made it
        }
        // IAM authentication on RDS: the role logs in with a signed token, never a password.
        const rdsIam = await db.query("SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'");
        if (rdsIam.rows.length === 1) await db.query(`GRANT rds_iam TO ${worker}`);
        const exists = await db.query("SELECT 1 FROM pg_database WHERE datname = $1", [spec.database]);
        if (exists.rows.length === 0) {
            await db.query(`CREATE DATABASE ${database}`).catch(ignore("42P04")); // duplicate_database
        }
        await db.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
        await db.query(`GRANT CONNECT ON DATABASE ${database} TO ${worker}`);
    });
    const applied = await withConnection(connect, spec.database, async (db) => {
        await db.query("REVOKE ALL ON SCHEMA public FROM PUBLIC");
        const versions = await migrate(db);
        await db.query(`GRANT USAGE ON SCHEMA public TO ${worker}`);
        await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${worker}`);
        await db.query(`GRANT SELECT, INSERT ON ${LEDGER_TABLE} TO ${worker}`);
        return versions;
    });
    return { database: spec.database, applied, dropped: false };
}

function ignore(sqlState: string): (error: unknown) => void {
    return (error) => {
        if ((error as { code?: unknown }).code !== sqlState) throw error;
    };
}

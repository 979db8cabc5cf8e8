import { Signer } from "@aws-sdk/rds-signer";
import { Pool, PoolConfig } from "pg";
import { WorkerConfig } from "./config";
import { Database } from "./ports";

/**
 * PostgreSQL over TLS (certificate verified against the RDS CA the runtime loads through
 * NODE_EXTRA_CA_CERTS) with IAM authentication: a fresh 15-minute token is signed for every new
 * connection, so no password exists anywhere.
 *
 * One connection per function instance: statements of concurrent messages queue on it, which
 * keeps the instance's connection count at the function's reserved concurrency.
 */
export function iamConnection(config: WorkerConfig["database"], region: string): PoolConfig {
    const signer = new Signer({ hostname: config.host, port: config.port, username: config.user, region });
    return {
        host: config.host,
        port: config.port,
        database: config.name,
        user: config.user,
        password: () => signer.getAuthToken(),
        ssl: { rejectUnauthorized: true },
    };
}

export class PostgresDatabase implements Database {
    private readonly pool: Pool;

    /** `connection`: where and as whom (`iamConnection` in Lambda, a loopback server in tests). */
    constructor(connection: PoolConfig) {
        this.pool = new Pool({
            ...connection,
            max: 1,
            connectionTimeoutMillis: 5_000,
            // Lambda freezes idle instances; a connection that outlives its RDS session is dropped and redialled.
            idleTimeoutMillis: 60_000,
            query_timeout: 10_000,
        });
        // An idle connection that RDS closes must not crash the instance; the pool redials.
        this.pool.on("error", () => undefined);
    }

    async query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> {
        const result = await this.pool.query(sql, params);
        return { rows: result.rows as R[] };
    }

    async end(): Promise<void> {
        await this.pool.end();
    }
}

/**
 * `npm run bench:worker`: payments per second through the worker's processing core (handleBatch:
 * lease, read, validate, ledger insert, index, receipt, commit) on a real PostgreSQL server from
 * Debian, started on loopback for the run. DynamoDB, S3, SES and OpenSearch are in-process stand-ins,
 * so the figure is the worker's own cost plus PostgreSQL's, not a network's.
 */
import { performance } from "perf_hooks";
import { Pool } from "pg";
import { startPostgres } from "../support/postgres-server";
import { migrate } from "../../workloads/worker/schema";
import { Database } from "../../workloads/worker/ports";
import { s3Message, WorkerFixture } from "../workloads/worker/worker-fixture";

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 4000);
const BATCH = 10;
const INSTANCES = 5;

async function main(): Promise<void> {
    const server = await startPostgres();
    const pools: Pool[] = [];
    const fx = new WorkerFixture();
    try {
        const connect = (): Database & { pool: Pool } => {
            const pool = new Pool({ host: server.host, port: server.port, user: server.user, database: "postgres", max: 1 });
            pools.push(pool);
            return { pool, query: async (sql, params) => ({ rows: (await pool.query(sql, params)).rows }) };
        };
        await migrate(connect());
        await fx.start();
        await fx.reset();
        const messages = Array.from({ length: PAYMENTS }, () => s3Message(fx.submitPayment().key));
        const batches: (typeof messages)[] = [];
        for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
        const instances = Array.from({ length: INSTANCES }, () => ({ ...fx.dependencies(), database: (db => async () => db)(connect()) }));
        const start = performance.now();
        let next = 0;
        let failed = 0;
        await Promise.all(
            instances.map(async (deps) => {
                while (next < batches.length) {
                    const batch = batches[next++];
                    const response = await fx.runWith(batch, deps);
                    failed += response.batchItemFailures.length;
                }
            }),
        );
        const seconds = (performance.now() - start) / 1000;
        const { rows } = await pools[0].query("SELECT count(*)::int AS n FROM payment_transactions");
        console.log(`${PAYMENTS} payments in batches of ${BATCH} on ${INSTANCES} instances: ${seconds.toFixed(2)} s, ${(PAYMENTS / seconds).toFixed(0)} payments/s (${rows[0].n} rows, ${failed} failures)`);
    } finally {
        await fx.stop().catch(() => undefined);
        await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
        await server.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

/**
 * `npm run bench:worker`: payments per second through the worker's processing core (handleBatch:
 * read, validate, lease, ledger insert, receipt intent, receipt, commit, index) on a real PostgreSQL server from
 * Debian, started on loopback for the run. DynamoDB, S3, SES and OpenSearch are in-process stand-ins,
 * so the figure is the worker's own cost plus PostgreSQL's, not a network's.
 */
import { performance } from "perf_hooks";
import { provisionDatabase } from "../../workloads/provisioner/database";
import { PostgresDatabase } from "../../workloads/worker/postgres";
import { adminConnection, startPostgres } from "../support/postgres-server";
import { s3Message, WorkerFixture } from "../workloads/worker/worker-fixture";

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 4000);
const BATCH = 10;
const INSTANCES = 5;

async function main(): Promise<void> {
    const server = await startPostgres();
    const databases: PostgresDatabase[] = [];
    const fx = new WorkerFixture();
    const admin = adminConnection(server);
    try {
        // As in an environment: the provisioner migrates and grants, the worker logs in as its INSERT/SELECT role.
        await provisionDatabase(admin, { database: "payments", workerUser: "payments_worker", dropOnDelete: false }, "create");
        const connect = () => {
            const db = new PostgresDatabase({ host: server.host, port: server.port, user: "payments_worker", database: "payments" });
            databases.push(db);
            return db;
        };
        await fx.start();
        await fx.reset();
        const messages = Array.from({ length: PAYMENTS }, () => s3Message(fx.submitPayment().key));
        const batches: (typeof messages)[] = [];
        for (let i = 0; i < messages.length; i += BATCH) batches.push(messages.slice(i, i + BATCH));
        const instances = Array.from({ length: INSTANCES }, () => ({
            ...fx.dependencies(),
            database: (
                (db) => async () =>
                    db
            )(connect()),
        }));
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
        const { rows } = await connect().query<{ n: number }>("SELECT count(*)::int AS n FROM payment_transactions");
        console.log(
            `${PAYMENTS} payments in batches of ${BATCH} on ${INSTANCES} instances: ${seconds.toFixed(2)} s, ${(PAYMENTS / seconds).toFixed(0)} payments/s (${rows[0].n} rows, ${failed} failures)`,
        );
    } finally {
        await fx.stop().catch(() => undefined);
        await Promise.all(databases.map((db) => db.end().catch(() => undefined)));
        await server.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

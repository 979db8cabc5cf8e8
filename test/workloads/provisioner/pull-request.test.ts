import { expect } from "chai";
import { ZodError } from "zod";
import { handler } from "../../../workloads/provisioner";
import { AdminConnect, provisionDatabase } from "../../../workloads/provisioner/database";
import { pullRequestSpecs } from "../../../workloads/provisioner/pull-request";
import { adminConnection, PostgresServer, startPostgres } from "../../support/postgres-server";

const MASTER_ROLE = "arn:aws:iam::902105368459:role/test-search-master";

describe("provisioner: platform/test's PR provisioner takes a PR number and nothing else", () => {
    it("derives every name it creates from the number", () => {
        expect(pullRequestSpecs(7, MASTER_ROLE)).to.deep.equal({
            database: { database: "payments_pr_7", workerUser: "payments_pr_7", dropOnDelete: true },
            search: {
                roleName: "payments-pr-7-worker",
                index: "payments-pr-7-transactions",
                backendRoles: ["arn:aws:iam::902105368459:role/pr-7-payments-worker"],
                dropIndexOnDelete: true,
            },
        });
    });

    describe("refuses, before touching any service, every request but a PR number", () => {
        const settings = {
            PROVISIONER_SCOPE: "pull-requests",
            DB_HOST: "test-postgres.example.internal",
            DB_PORT: "5432",
            MASTER_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:902105368459:secret:rds!db-1",
            SEARCH_ENDPOINT: "https://vpc-test-search.example.internal",
            SEARCH_MASTER_ROLE_ARN: MASTER_ROLE,
        };
        const saved: Record<string, string | undefined> = {};
        before(() => {
            for (const [key, value] of Object.entries(settings)) {
                saved[key] = process.env[key];
                process.env[key] = value;
            }
        });
        after(() => {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
        });

        const tf = { action: "delete" };
        const refused: [string, unknown][] = [
            // What a full environment's own provisioner takes: a shared database by name.
            [
                "a database request",
                {
                    kind: "database",
                    host: "h",
                    port: 5432,
                    masterSecretArn: "arn:x",
                    database: "payments",
                    workerUser: "payments_worker",
                    dropOnDelete: true,
                    tf,
                },
            ],
            [
                "a search request",
                {
                    kind: "search",
                    endpoint: "https://x",
                    masterRoleArn: "arn:x",
                    roleName: "all_access",
                    index: "*",
                    backendRoles: ["arn:x"],
                    dropIndexOnDelete: true,
                    tf,
                },
            ],
            ["a name beside the number", { kind: "pull-request", pullRequest: 7, database: "payments", tf }],
            ["a number as text", { kind: "pull-request", pullRequest: "7", tf }],
            ["zero", { kind: "pull-request", pullRequest: 0, tf }],
            ["a negative number", { kind: "pull-request", pullRequest: -7, tf }],
            ["a fraction", { kind: "pull-request", pullRequest: 7.5, tf }],
            ["more than seven digits", { kind: "pull-request", pullRequest: 10_000_000, tf }],
            ["no lifecycle", { kind: "pull-request", pullRequest: 7 }],
        ];
        for (const [what, event] of refused) {
            it(what, async () => {
                const error = await handler(event).then(
                    () => undefined,
                    (e: unknown) => e,
                );
                expect(error, what).to.be.instanceOf(ZodError);
            });
        }
    });
});

describe("provisioner: a PR's teardown drops its own database and user, nothing shared (real PostgreSQL)", function () {
    this.timeout(120_000);
    let pg: PostgresServer;
    const admin: AdminConnect = (database) => adminConnection(pg)(database);
    const existing = async () => {
        const db = await admin("postgres");
        try {
            const databases = await db.query("SELECT datname FROM pg_database WHERE datname LIKE 'payments%' ORDER BY 1");
            const roles = await db.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'payments%' ORDER BY 1");
            return { databases: databases.rows.map((r) => r.datname), roles: roles.rows.map((r) => r.rolname) };
        } finally {
            await db.end();
        }
    };

    before(async () => {
        pg = await startPostgres();
    });
    after(async () => {
        await pg?.stop();
    });

    it("creates payments_pr_11 beside the test environment's data and drops only it", async () => {
        await provisionDatabase(admin, { database: "payments", workerUser: "payments_worker", dropOnDelete: false }, "create");
        const { database } = pullRequestSpecs(11, MASTER_ROLE);
        await provisionDatabase(admin, database, "create");
        expect(await existing()).to.deep.equal({ databases: ["payments", "payments_pr_11"], roles: ["payments_pr_11", "payments_worker"] });

        expect((await provisionDatabase(admin, database, "delete")).dropped).to.equal(true);
        expect(await existing()).to.deep.equal({ databases: ["payments"], roles: ["payments_worker"] });
    });
});

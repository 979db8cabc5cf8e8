import { execFile, ExecFileOptions } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import type { AdminConnect } from "../../workloads/provisioner/database";

/**
 * A throwaway PostgreSQL server from the Debian `postgresql` package, on a loopback port, in a
 * temporary directory. PostgreSQL refuses to run as root, so as root every server command runs as
 * the `postgres` OS user (which the package creates). Every wait has a deadline.
 */
export interface PostgresServer {
    host: string;
    port: number;
    /** The superuser (trust authentication on loopback only). */
    user: string;
    stop(): Promise<void>;
}

const START_DEADLINE_MS = 30_000;
const COMMAND_DEADLINE_MS = 60_000;

export function postgresBinDir(): string | undefined {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const versions = fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a));
    return versions.length > 0 ? path.join(root, versions[0], "bin") : undefined;
}

function run(file: string, args: string[], options: ExecFileOptions & { asPostgres: boolean }): Promise<string> {
    const [command, argv] = options.asPostgres ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
    return new Promise((resolve, reject) => {
        execFile(
            command,
            argv,
            { ...options, timeout: options.timeout ?? COMMAND_DEADLINE_MS, encoding: "utf8" },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`${[file, ...args].join(" ")} failed: ${error.message}\n${String(stderr)}`));
                } else {
                    resolve(String(stdout));
                }
            },
        );
    });
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export async function startPostgres(): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (bin === undefined) {
        throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does this when it is missing)");
    }
    const asPostgres = process.getuid?.() === 0;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-pg-"));
    const data = path.join(dir, "data");
    if (asPostgres) {
        fs.chmodSync(dir, 0o755);
        await run("chown", ["postgres:postgres", dir], { asPostgres: false });
    }
    const user = asPostgres ? "postgres" : os.userInfo().username;
    await run(path.join(bin, "initdb"), ["-D", data, "-U", user, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"], { asPostgres });
    const port = await freePort();
    const settings = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-c unix_socket_directories=${dir}`,
        // A test server: durability is not what is under test, speed is.
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=100",
    ].join(" ");
    await run(
        path.join(bin, "pg_ctl"),
        ["-D", data, "-l", path.join(dir, "server.log"), "-o", settings, "-w", "-t", String(START_DEADLINE_MS / 1000), "start"],
        {
            asPostgres,
            timeout: START_DEADLINE_MS + 5_000,
        },
    );
    let stopped = false;
    return {
        host: "127.0.0.1",
        port,
        user,
        async stop() {
            if (stopped) return;
            stopped = true;
            await run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "20", "stop"], {
                asPostgres,
                timeout: 25_000,
            }).catch(() => undefined);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** The provisioner's view of the server: the superuser connected to one database (as RDS's master user would be). */
export function adminConnection(server: PostgresServer): AdminConnect {
    return async (database) => {
        const client = new Client({ host: server.host, port: server.port, user: server.user, database, connectionTimeoutMillis: 5_000 });
        await client.connect();
        return { query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }), end: () => client.end() };
    };
}

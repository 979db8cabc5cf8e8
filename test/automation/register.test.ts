import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_DIR_VARIABLE, readEntry } from "../../lib/disk-cache";
import { NAMESPACE, OPTIONS, transpile, transpileKey } from "../../automation/register";
import { REPO_ROOT } from "../../lib/repository";

const REGISTER = path.join(REPO_ROOT, "automation", "register.js");
/** Prints what the module computed and whether this process had to load the transpiler (SWC) to run it. */
const PROBE = (value: string) =>
    `const answer: string = ${JSON.stringify(value)};\nconsole.log(answer, require.cache[${JSON.stringify(require.resolve("@swc/core"))}] ? "transpiled" : "cached");\n`;
const PLAN_DEADLINE_MS = 600_000;

function entries(cacheDir: string): string[] {
    const dir = path.join(cacheDir, NAMESPACE);
    return fs.existsSync(dir)
        ? fs
              .readdirSync(dir, { recursive: true, encoding: "utf8" })
              .filter((f) => f.endsWith(".json"))
              .map((f) => path.join(dir, f))
        : [];
}

describe("the require hook's transpile cache (automation/register.js)", () => {
    let scratch: string;
    let cacheDir: string;
    let program: string;

    const run = () => {
        const result = spawnSync(process.execPath, ["-r", REGISTER, program], {
            env: { ...process.env, [CACHE_DIR_VARIABLE]: cacheDir },
            encoding: "utf8",
            timeout: 60_000,
        });
        expect(result.status, result.stderr).to.equal(0);
        return result.stdout.trim();
    };

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-cache-"));
        cacheDir = path.join(scratch, "cache");
        program = path.join(scratch, "probe.ts");
        fs.writeFileSync(program, PROBE("first"));
    });
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("transpiles a file once: the next process runs it from the cache without loading the transpiler", () => {
        expect(run()).to.equal("first transpiled");
        expect(entries(cacheDir)).to.have.length(1);
        expect(run()).to.equal("first cached");
    });

    it("transpiles a changed source again and runs the new code", () => {
        run();
        fs.writeFileSync(program, PROBE("second"));
        expect(run()).to.equal("second transpiled");
        expect(run()).to.equal("second cached");
    });

    it("keys entries by the transpiler's options and version too", () => {
        const source = fs.readFileSync(program, "utf8");
        const ES2015 = { ...OPTIONS, jsc: { ...OPTIONS.jsc, target: "es2015" as const } };
        const previous = process.env[CACHE_DIR_VARIABLE];
        process.env[CACHE_DIR_VARIABLE] = cacheDir;
        try {
            const modern = transpile(program, source);
            const older = transpile(program, source, ES2015);
            expect(entries(cacheDir)).to.have.length(2);
            expect(readEntry(NAMESPACE, transpileKey("probe.ts", source))).to.equal(modern);
            expect(readEntry(NAMESPACE, transpileKey("probe.ts", source, ES2015))).to.equal(older);
        } finally {
            process.env[CACHE_DIR_VARIABLE] = previous;
            if (previous === undefined) {
                delete process.env[CACHE_DIR_VARIABLE];
            }
        }
        expect(transpileKey("probe.ts", source, OPTIONS, "0.0.1")).not.to.equal(transpileKey("probe.ts", source, OPTIONS));
    });

    it("maps a stack trace to the TypeScript line (node --enable-source-maps, as the CLIs run), from the cache too", () => {
        // Types and a parameter property shift the output's lines against the source's.
        fs.writeFileSync(
            program,
            "interface Amount {\n    cents: number;\n}\nclass Ledger {\n    constructor(private readonly amount: Amount) {}\n    settle(): never {\n        throw new Error(`cannot settle ${this.amount.cents}`);\n    }\n}\nnew Ledger({ cents: 5 }).settle();\n",
        );
        const trace = () =>
            spawnSync(process.execPath, ["--enable-source-maps", "-r", REGISTER, program], {
                env: { ...process.env, [CACHE_DIR_VARIABLE]: cacheDir },
                encoding: "utf8",
                timeout: 60_000,
            }).stderr;
        for (const stderr of [trace(), trace()]) {
            expect(stderr).to.include("Error: cannot settle 5");
            expect(stderr).to.include(`${program}:7:15`);
            expect(stderr).to.include(`${program}:10:26`);
        }
        expect(entries(cacheDir)).to.have.length(1);
    });

    it("ignores a damaged entry, transpiles again and rewrites it", () => {
        run();
        const [entry] = entries(cacheDir);
        const whole = fs.readFileSync(entry, "utf8");
        fs.writeFileSync(entry, whole.slice(0, whole.length / 2));
        expect(run()).to.equal("first transpiled");
        expect(fs.readFileSync(entry, "utf8")).to.equal(whole);
        fs.writeFileSync(entry, whole.replace("first", "forged"));
        expect(run()).to.equal("first transpiled");
        expect(run()).to.equal("first cached");
    });

    it("runs the program when the cache cannot be written (a cache directory under a file): only slower", () => {
        const blocker = path.join(scratch, "a-file");
        fs.writeFileSync(blocker, "");
        cacheDir = path.join(blocker, "cache");
        expect(run()).to.equal("first transpiled");
        expect(run()).to.equal("first transpiled");
    });

    it("lets two plans started at once with an empty cache both succeed, with the same result", async function () {
        this.timeout(PLAN_DEADLINE_MS + 10_000);
        const plan = () =>
            new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
                const child = spawn(
                    process.execPath,
                    ["-r", REGISTER, path.join(REPO_ROOT, "automation", "cli", "plan.ts"), "--env", "pr-7", "--json"],
                    {
                        cwd: REPO_ROOT,
                        env: { ...process.env, [CACHE_DIR_VARIABLE]: cacheDir },
                        stdio: ["ignore", "pipe", "pipe"],
                        timeout: PLAN_DEADLINE_MS,
                    },
                );
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (chunk) => (stdout += chunk));
                child.stderr.on("data", (chunk) => (stderr += chunk));
                child.on("close", (code) => resolve({ code, stdout, stderr }));
            });
        const [one, two] = await Promise.all([plan(), plan()]);
        // Both produce the plan (1 only reports a mandatory violation or failing flow in it).
        expect(one.code, one.stderr).to.be.oneOf([0, 1]);
        expect(two.code, two.stderr).to.equal(one.code);
        expect(one.stdout).to.equal(two.stdout);
        expect(JSON.parse(one.stdout).summary.resources).to.be.greaterThan(0);
        // Both filled the cache: every program module and the worker bundle have entries.
        expect(entries(cacheDir).length).to.be.greaterThan(50);
        expect(fs.readdirSync(path.join(cacheDir, "worker-bundle"))).to.not.be.empty;
    });
});

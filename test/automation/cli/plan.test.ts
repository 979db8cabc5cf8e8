import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli } from "../../../automation/cli/plan";
import { spawnSync } from "child_process";
import { PlanDocument } from "../../../plan-model/types";
import { REPO_ROOT } from "../../../lib/repository";

/** Engine fixture: exercises config, secrets and references, and breaks several guardrails on purpose. */
const BASIC = path.join(__dirname, "..", "..", "fixtures", "engine", "basic");
const NEVER_SETTLES = path.join(__dirname, "..", "..", "fixtures", "never-settles");

async function plan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runPlanCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
}

describe("npm run plan", () => {
    it("prints exactly one JSON document per the contract for a compliant program, and exits 0", async () => {
        const { code, stdout, stderr } = await plan("--program", REPO_ROOT, "--stack", "mgmt", "--json");
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
        const doc = JSON.parse(stdout) as PlanDocument;
        expect(doc).to.include.keys("env", "stacks", "summary", "estimates");
        expect(doc.env).to.equal("mgmt");
        const [stack] = doc.stacks;
        expect(stack).to.include({ project: "payments-bootstrap", stack: "mgmt" });
        expect(stack.resources[0]).to.have.all.keys(
            "urn",
            "type",
            "name",
            "custom",
            "parent",
            "provider",
            "inputs",
            "protect",
            "retainOnDelete",
            "dependencies",
        );
        expect(stack.violations).to.deep.equal([]);
        expect(doc.summary).to.deep.include({ stacks: 1, resources: stack.resources.length, mandatory: 0, advisory: 0 });
        expect(doc.summary.flows).to.include({ failing: 0 });
    });

    it("reports the policy pack's violations and exits 1 on a mandatory one", async () => {
        const { code, stdout } = await plan("--program", BASIC, "--stack", "dev", "--json");
        expect(code).to.equal(1);
        const doc = JSON.parse(stdout) as PlanDocument;
        const bucket = doc.stacks[0].resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        expect(doc.stacks[0].violations).to.deep.include({
            policy: "s3-public-access-block",
            enforcementLevel: "mandatory",
            urn: bucket.urn,
            message: "Bucket dev-assets-bucket has no BucketPublicAccessBlock.",
        });
        expect(doc.summary.mandatory)
            .to.equal(doc.stacks[0].violations.filter((v) => v.enforcementLevel === "mandatory").length)
            .and.to.be.greaterThan(0);
    });

    it("exits with those codes as a process too, with invalid config giving 2", function () {
        const run = (...argv: string[]) =>
            spawnSync(
                process.execPath,
                ["-r", path.join(REPO_ROOT, "automation", "register.js"), path.join(REPO_ROOT, "automation", "cli", "plan.ts"), ...argv],
                { cwd: REPO_ROOT, encoding: "utf8" },
            );
        const invalid = run("--program", REPO_ROOT, "--stack", "mgmt", "--config", "payments-bootstrap:managementAccountId=12", "--json");
        expect(invalid.status, invalid.stderr).to.equal(2);
        expect(invalid.stdout).to.equal("");
        expect(invalid.stderr).to.include("payments-bootstrap:managementAccountId").and.to.include("fix:");
        expect(run("--program", BASIC, "--stack", "dev", "--json").status).to.equal(1);
    });

    it("passes --config overrides to the program", async () => {
        const { stdout } = await plan("--program", BASIC, "--stack", "dev", "--config", "basic:bucketPrefix=cli", "--json");
        const doc = JSON.parse(stdout) as PlanDocument;
        expect(doc.stacks[0].resources.map((r) => r.name)).to.include("cli-bucket");
    });

    it("writes the document to --out and a readable tree to stdout", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
        const { code, stdout } = await plan("--program", BASIC, "--stack", "dev", "--out", out);
        expect(code).to.equal(1);
        expect(stdout)
            .to.include("basic/dev")
            .and.to.include("+ aws:s3/bucket:Bucket  dev-assets-bucket")
            .and.to.include("Resources by type:")
            .and.to.include("[mandatory] s3-encryption")
            .and.to.include("Estimates")
            .and.to.match(/Summary: 1 stacks, \d+ resources/);
        expect((JSON.parse(fs.readFileSync(out, "utf8")) as PlanDocument).stacks).to.have.length(1);
    });

    describe("bad usage exits 2 with a clear message and no document", () => {
        const cases: [string, string[], RegExp][] = [
            ["an unknown environment", ["--env", "staging"], /Unknown environment "staging".*mgmt, test, preprod, prod, or pr-<n>/],
            ["a malformed PR environment", ["--env", "pr-0"], /Unknown environment "pr-0"/],
            ["a missing stack file", ["--program", BASIC, "--stack", "qa"], /Stack file for basic\/qa not found: .*Pulumi\.qa\.yaml/],
            ["unparseable config", ["--program", BASIC, "--stack", "broken"], /not valid YAML.*Pulumi\.broken\.yaml/s],
            ["a missing program", ["--program", path.join(BASIC, "nowhere"), "--stack", "dev"], /Pulumi project file not found/],
            ["an unknown option", ["--env", "test", "--colour"], /unknown option "--colour"/],
            ["no target", ["--json"], /--env or --program is required/],
            ["--program without --stack", ["--program", BASIC], /--program needs --stack/],
            ["a flag without its value", ["--env"], /--env needs a value/],
            ["a bad --config pair", ["--program", BASIC, "--stack", "dev", "--config", "novalue"], /--config takes key=value/],
            [
                "review options without --base",
                ["--env", "test", "--markdown", "review.md", "--fail-on-danger"],
                /--markdown goes with --base.*\n.*--fail-on-danger goes with --base/,
            ],
            [
                "--report with --base",
                ["--env", "test", "--base", "HEAD", "--report", "pci.md"],
                /--report goes with a plan, not a change review/,
            ],
            [
                "a review's --out that cannot be written",
                ["--env", "all", "--base", "HEAD", "--out", path.join(os.tmpdir(), "no-such-dir-for-plan", "review.json")],
                /--out .* cannot be written .*nothing was run/,
            ],
            [
                "a review's --markdown that cannot be written",
                ["--env", "all", "--base", "HEAD", "--markdown", path.join(os.tmpdir(), "no-such-dir-for-plan", "review.md")],
                /--markdown .* cannot be written .*nothing was run/,
            ],
        ];
        for (const [what, argv, message] of cases) {
            it(what, async () => {
                const { code, stdout, stderr } = await plan(...argv);
                expect(code).to.equal(2);
                expect(stdout).to.equal("");
                expect(stderr).to.match(message);
            });
        }
    });

    describe("as a process", function () {
        const run = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
            spawnSync(
                process.execPath,
                ["-r", path.join(REPO_ROOT, "automation", "register.js"), path.join(REPO_ROOT, "automation", "cli", "plan.ts"), ...argv],
                {
                    cwd: REPO_ROOT,
                    encoding: "utf8",
                    env: { ...process.env, PLAN_STACK_TRACES: "", ...env },
                    // A guard for the test run only: the plan must end by itself long before this.
                    timeout: 90_000,
                },
            );

        it("fails with exit 3 naming the outputs that never settle, and removes a stale --out", function () {
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "plan.json");
            fs.writeFileSync(out, '{"env": "an earlier, successful plan"}');
            const result = run(["--program", NEVER_SETTLES, "--stack", "dev", "--json", "--out", out]);
            expect(result.signal, "ended by itself").to.equal(null);
            expect(result.status, result.stderr).to.equal(3);
            expect(result.stdout).to.equal("");
            expect(result.stderr)
                .to.contain("never-settles/dev never finished synthesizing")
                .and.to.contain("these stack outputs never settled: endpoint");
            expect(result.stderr).not.to.contain("settled,");
            expect(fs.existsSync(out), "no stale --out for a gate to read").to.equal(false);
        });

        it("exits 2 with the key and the fix for a missing required key or a wrongly typed --config value, without a trace", function () {
            const missing = run(["--program", BASIC, "--stack", "missing", "--json"]);
            expect(missing.status, missing.stderr).to.equal(2);
            expect(missing.stderr)
                .to.contain("basic:bucketPrefix")
                .and.to.contain("fix: set the key in")
                .and.to.contain("Pulumi.missing.yaml");
            const typed = run(["--program", BASIC, "--stack", "dev", "--config", "basic:replicas=many", "--json"]);
            expect(typed.status, typed.stderr).to.equal(2);
            expect(typed.stderr).to.contain("'basic:replicas' value 'many' is not a valid number").and.to.contain("fix:");
            for (const result of [missing, typed]) {
                expect(result.stderr)
                    .not.to.match(/\n\s+at /)
                    .and.not.to.contain("synthesize.ts");
            }
        });

        it("PLAN_STACK_TRACES=1 shows where in the program the error was raised", function () {
            const result = run(["--program", BASIC, "--stack", "dev", "--config", "basic:replicas=many"], { PLAN_STACK_TRACES: "1" });
            expect(result.status).to.equal(2);
            expect(result.stderr)
                .to.contain("program stack traces")
                .and.to.match(/at .*basic[\\/]index\.ts/);
        });

        it("--help prints the usage on stdout and exits 0", function () {
            const result = run(["--help"]);
            expect(result.status).to.equal(0);
            expect(result.stdout).to.contain("npm run plan -- --env").and.to.contain("--out FILE");
            expect(result.stderr).to.equal("");
        });
    });

    it("refuses an --out it could not write before planning, and a repeated flag", async () => {
        const missingDir = path.join(os.tmpdir(), "no-such-dir-for-plan", "plan.json");
        const unwritable = await plan("--program", BASIC, "--stack", "dev", "--out", missingDir);
        expect(unwritable.code).to.equal(2);
        expect(unwritable.stderr).to.contain("--out").and.to.contain("does not exist").and.to.contain("nothing was run");
        const repeated = await plan("--env", "test", "--env", "prod");
        expect(repeated.code).to.equal(2);
        expect(repeated.stderr).to.contain("--env was given 2 times");
    });

    it("a review whose base names no commit fails before planning and leaves no earlier --out or --markdown behind", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-files-"));
        try {
            const [out, markdown] = [path.join(dir, "review.json"), path.join(dir, "review.md")];
            fs.writeFileSync(out, "{}");
            fs.writeFileSync(markdown, "an earlier review");
            const failed = await plan("--env", "pr-42", "--base", "no-such-ref", "--out", out, "--markdown", markdown);
            expect(failed.code).to.equal(2);
            expect(failed.stderr).to.contain("--base no-such-ref names no commit");
            expect([fs.existsSync(out), fs.existsSync(markdown)]).to.deep.equal([false, false]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("gives up on a synthesis at its deadline, naming the unsettled outputs", async () => {
        const previous = process.env.PLAN_SYNTHESIS_TIMEOUT;
        process.env.PLAN_SYNTHESIS_TIMEOUT = "1s";
        try {
            const { code, stderr } = await plan("--program", NEVER_SETTLES, "--stack", "dev");
            expect(code).to.equal(3);
            expect(stderr).to.contain("these stack outputs never settled: endpoint").and.to.contain("PLAN_SYNTHESIS_TIMEOUT");
        } finally {
            if (previous === undefined) {
                delete process.env.PLAN_SYNTHESIS_TIMEOUT;
            } else {
                process.env.PLAN_SYNTHESIS_TIMEOUT = previous;
            }
        }
    });

    it("exits 2 naming the referenced stack when the plan has not synthesized it", async () => {
        const { code, stderr } = await plan("--program", BASIC, "--stack", "downstream");
        expect(code).to.equal(2);
        expect(stderr).to.include("acme/basic/dev");
    });
});

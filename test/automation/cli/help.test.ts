import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import { runEnvCli } from "../../../automation/cli/env";
import { runPrCli } from "../../../automation/cli/pr";
import type { CliIo } from "../../../automation/cli/framework";
import { AutomationApiEngine } from "../../../automation/driver/automation-engine";
import { REPO_ROOT } from "../../../lib/repository";
import { tempRepo } from "../driver/fixtures";

/** Every CLI of the repository, as `npm run <name>` starts it. */
const CLIS: Record<string, string> = {
    plan: "automation/cli/plan.ts",
    pr: "automation/cli/pr.ts",
    env: "automation/cli/env.ts",
    replay: "automation/replay.ts",
    bench: "automation/bench.ts",
};

function run(file: string, argv: string[]) {
    return spawnSync(process.execPath, ["-r", path.join(REPO_ROOT, "automation", "register.js"), path.join(REPO_ROOT, file), ...argv], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        // A guard for the test run only: each of these answers at once.
        timeout: 90_000,
    });
}

function capture(): CliIo & { out: string; err: string } {
    const io = { out: "", err: "", env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
    return io;
}

describe("every CLI, the same way", function () {
    for (const [name, file] of Object.entries(CLIS)) {
        it(`npm run ${name} -- --help: the usage on stdout, exit 0`, function () {
            const result = run(file, ["--help"]);
            expect(result.status, result.stderr).to.equal(0);
            expect(result.stdout).to.match(/^Usage:/);
            expect(result.stderr).to.equal("");
        });

        it(`npm run ${name} -- --bogus: exit 2 naming the option and --help, no stack trace`, function () {
            const result = run(file, name === "pr" || name === "env" ? ["preview", "--bogus"] : ["--bogus"]);
            expect(result.status).to.equal(2);
            expect(result.stderr).to.contain('unknown option "--bogus"').and.to.contain("--help");
            expect(result.stderr).not.to.match(/\n\s+at /);
            expect(result.stdout).to.equal("");
        });
    }

    it("pr and env name the broken YAML file with its lines, without a trace", async function () {
        const repo = tempRepo();
        try {
            fs.writeFileSync(
                path.join(repo, "workloads", "Pulumi.pr.yaml"),
                "config:\n  workloads:imageTag: [unclosed\n    nested: : value\n",
            );
            fs.writeFileSync(path.join(repo, "workloads", "Pulumi.test.yaml"), "config: {\n");
            const pr = capture();
            expect(
                await runPrCli(["preview", "--pr", "7", "--offline", "--state-dir", path.join(repo, ".state")], pr, { repoRoot: repo }),
            ).to.equal(2);
            expect(pr.err)
                .to.contain("workloads/Pulumi.pr.yaml is not valid YAML")
                .and.to.match(/line \d/)
                .and.not.to.contain("YAMLParseError")
                .and.not.to.match(/\n\s+at /);
            const env = capture();
            expect(
                await runEnvCli(["preview", "--env", "test", "--layer", "workloads", "--chart-version", "1.2.3", "--offline"], env, {
                    repoRoot: repo,
                }),
            ).to.equal(2);
            expect(env.err)
                .to.contain("workloads/Pulumi.test.yaml is not valid YAML")
                .and.not.to.match(/\n\s+at /);
        } finally {
            fs.rmSync(repo, { recursive: true, force: true });
        }
    });

    it("without the Pulumi CLI, a real-mode command exits 2 saying how to install it or go offline", async function () {
        const io = capture();
        const engine = new AutomationApiEngine({ pulumiRoot: path.join(REPO_ROOT, "no-pulumi-here") });
        expect(await runPrCli(["list"], io, { engine })).to.equal(2);
        expect(io.err).to.contain("the Pulumi CLI is not installed in").and.to.contain("PAYMENTS_PULUMI_ROOT").and.to.contain("--offline");
        expect(io.err)
            .not.to.contain("ENOENT")
            .and.not.to.match(/\n\s+at /);
    });
});

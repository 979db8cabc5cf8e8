import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { runEnvCli } from "../../../automation/cli/env";
import type { CliIo } from "../../../automation/cli/framework";
import { runPrCli } from "../../../automation/cli/pr";
import { AutomationApiEngine } from "../../../automation/driver/automation-engine";
import type { DriverContext } from "../../../automation/driver/context";
import { LAYERS } from "../../../lib/environments";
import { REPO_ROOT } from "../../../lib/repository";

const STAND_IN = path.join(REPO_ROOT, "test", "fixtures", "pulumi-cli");
const SHA = "0123abc";

/**
 * A checkout as the Automation API sees it: each layer's directory with its Pulumi.yaml and stack
 * files (the workspace writes Pulumi.pr-<n>.yaml there, so not into this checkout) and an entry
 * that runs the layer's real program; the real policy pack.
 */
function workspaceRoot(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "stand-in-"));
    for (const layer of LAYERS) {
        const dir = path.join(root, layer);
        fs.mkdirSync(dir);
        for (const file of fs.readdirSync(path.join(REPO_ROOT, layer)).filter((f) => /^Pulumi\..*yaml$/.test(f))) {
            fs.copyFileSync(path.join(REPO_ROOT, layer, file), path.join(dir, file));
        }
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            `module.exports = require(${JSON.stringify(path.join(REPO_ROOT, layer, "index.ts"))});\n`,
        );
    }
    fs.symlinkSync(path.join(REPO_ROOT, "policy-pack"), path.join(root, "policy-pack"));
    return root;
}

function capture(): CliIo & { out: string; err: string } {
    const io = { out: "", err: "", env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
    return io;
}

describe("pr and env through LocalWorkspace and the stand-in pulumi CLI, end to end", function () {
    this.timeout(15 * 60_000);
    let root: string;
    let state: string;
    let ctx: Partial<DriverContext>;

    function stateFile(project: string, stack: string): string {
        return path.join(state, "organization", project, `${stack}.json`);
    }

    function pulumi(args: string[], cwd: string) {
        return spawnSync(path.join(STAND_IN, "bin", "pulumi"), args, {
            cwd,
            encoding: "utf8",
            env: { ...process.env, FAKE_PULUMI_STATE: state },
            timeout: 120_000,
        });
    }

    before(async function () {
        root = workspaceRoot();
        state = path.join(root, ".pulumi-state");
        const engine = new AutomationApiEngine({
            repoRoot: root,
            pulumiRoot: STAND_IN,
            stackOrg: "organization",
            env: { FAKE_PULUMI_STATE: state },
        });
        ctx = { engine, repoRoot: root, lockRetry: { timeoutMs: 1_000, initialDelayMs: 100 } };
        // What every environment reads: the organization and the hub.
        await engine.up({ project: "foundation", stack: "org" });
        await engine.up({ project: "platform", stack: "mgmt" });
    });
    after(function () {
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("env up runs platform/test then workloads/test; env preview then changes nothing", async function () {
        const up = capture();
        expect(await runEnvCli(["up", "--env", "test"], up, ctx), up.err).to.equal(0);
        expect(up.out).to.contain("Update of platform/test: succeeded").and.to.contain("Update of workloads/test: succeeded");
        expect(fs.existsSync(stateFile("platform", "test"))).to.equal(true);
        const preview = capture();
        expect(await runEnvCli(["preview", "--env", "test"], preview, ctx), preview.err).to.equal(0);
        expect(preview.out).to.contain("Preview of platform/test").and.to.contain("Preview of workloads/test");
        // Each stack's second synthesis (another process, references read back from the stand-in's records) equals its first.
        expect(preview.out.match(/0 to create, 0 to update, 0 to replace, 0 to delete, \d+ unchanged/g)).to.have.length(2);
    });

    it("pr up creates workloads/pr-<n> from the template; preview and list see it; gc and down destroy and remove it", async function () {
        for (const pr of ["7", "8"]) {
            const up = capture();
            expect(await runPrCli(["up", "--pr", pr, "--sha", SHA], up, ctx), up.err).to.equal(0);
            expect(up.out).to.contain(`PR environment pr-${pr}: succeeded`);
        }
        const record = JSON.parse(fs.readFileSync(stateFile("workloads", "pr-7"), "utf8")) as { resources: { type: string }[] };
        expect(record.resources.length).to.be.greaterThan(10);
        expect(fs.readFileSync(path.join(root, "workloads", "Pulumi.pr-7.yaml"), "utf8")).to.contain(`workloads:imageTag: ${SHA}`);

        const preview = capture();
        expect(await runPrCli(["preview", "--pr", "7", "--sha", SHA], preview, ctx), preview.err).to.equal(0);
        expect(preview.out).to.match(/0 to create, 0 to update, 0 to replace, 0 to delete/);

        const list = capture();
        expect(await runPrCli(["list", "--json"], list, ctx), list.err).to.equal(0);
        expect((JSON.parse(list.out) as { pr: number; resourceCount: number }[]).map((s) => s.pr)).to.deep.equal([7, 8]);

        const gc = capture();
        expect(await runPrCli(["gc", "--max-age", "3d", "--open", "7"], gc, ctx), gc.err).to.equal(0);
        expect(gc.out).to.contain("destroyed pr-8: PR closed");
        expect(fs.existsSync(stateFile("workloads", "pr-8"))).to.equal(false);

        const down = capture();
        expect(await runPrCli(["down", "--pr", "7"], down, ctx), down.err).to.equal(0);
        expect(down.out).to.contain("PR environment pr-7: destroyed");
        expect(fs.existsSync(stateFile("workloads", "pr-7"))).to.equal(false);
        expect(fs.existsSync(path.join(root, "workloads", "Pulumi.pr-7.yaml")), "stack rm removes its config").to.equal(false);
    });

    it("accepts only the pinned CLI's flags, keeps org/project/stack apart, and refuses a missing policy pack", function () {
        const cwd = path.join(root, "platform");
        const unknown = pulumi(["up", "--yes", "--skip-preview", "--stack", "organization/platform/test", "--no-such-flag"], cwd);
        expect(unknown.status).to.equal(255);
        expect(unknown.stderr).to.contain("unknown flag: --no-such-flag");
        const otherProject = pulumi(["stack", "select", "--stack", "organization/workloads/test"], cwd);
        expect(otherProject.status).to.equal(255);
        expect(otherProject.stderr).to.contain(`provided project name "workloads" doesn't match Pulumi.yaml`);
        const otherOrg = pulumi(["stack", "select", "--stack", "acme/platform/test"], cwd);
        expect(otherOrg.status, "acme's platform/test is not organization's").to.equal(255);
        const pack = pulumi(["preview", "--stack", "organization/platform/test", "--policy-pack", path.join(root, "no-pack")], cwd);
        expect(pack.status).to.equal(255);
        expect(pack.stderr).to.contain("could not load policy pack").and.to.contain("no-pack");
    });

    it("cancel stops the update holding the stack's lock and releases it", async function () {
        const holder = spawn(
            process.execPath,
            ["-e", "process.on('SIGINT', () => process.exit(130)); setInterval(() => undefined, 1000)"],
            { stdio: "ignore" },
        );
        const lock = path.join(state, "organization", "platform", "test.lock");
        fs.writeFileSync(
            lock,
            JSON.stringify({ pid: holder.pid, host: os.hostname(), operation: "up", startedAt: new Date().toISOString() }),
        );
        const exited = new Promise<number | null>((resolve) => holder.on("exit", (code) => resolve(code)));
        const cancel = pulumi(["cancel", "--yes", "--stack", "organization/platform/test"], path.join(root, "platform"));
        expect(cancel.status, cancel.stderr).to.equal(0);
        expect(await exited).to.equal(130);
        expect(fs.existsSync(lock)).to.equal(false);
    });
});

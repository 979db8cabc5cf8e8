import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

import { refuseNpmBannerBeforeJson } from "../../../automation/cli/framework";
import { REPO_ROOT } from "../../../lib/repository";

const BASIC = path.join(REPO_ROOT, "test", "fixtures", "engine", "basic");

/**
 * npm as a person or a workflow starts it in this checkout: the repository's .npmrc decides the
 * loglevel, not the npm that runs this suite (`npm test -s` would pass its own loglevel down).
 */
function npm(args: string[], cwd = REPO_ROOT, extraEnv: NodeJS.ProcessEnv = {}) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|lifecycle|package|command)/i.test(key)));
    // A guard for the test run only: each of these answers by itself well within it.
    return spawnSync("npm", args, { cwd, encoding: "utf8", env: { ...env, ...extraEnv }, timeout: 180_000 });
}

/** A loopback port nothing listens on: connections to it are refused at once. */
async function deadPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("npm with the repository's .npmrc (#17 item 12)", function () {
    this.timeout(240_000);

    it("a bare `npm run plan -- --json` into a pipe refuses with the fix instead of printing a document behind npm's banner", function () {
        const run = npm(["run", "plan", "--", "--program", BASIC, "--stack", "dev", "--json"]);
        expect(run.status, run.stderr).to.equal(2);
        expect(run.stderr).to.contain("banner").and.to.contain("npm run -s plan --").and.to.contain("--out FILE");
        expect(run.stdout, "no JSON after the banner").not.to.contain("{");
    });

    it("`npm run -s plan -- --json`: no banner, stdout is exactly one JSON document", function () {
        const run = npm(["run", "-s", "plan", "--", "--program", BASIC, "--stack", "dev", "--json"]);
        expect(run.status, run.stderr).to.equal(1);
        expect(run.stdout).not.to.contain("> payments-estate@");
        expect((JSON.parse(run.stdout) as { summary: { mandatory: number } }).summary.mandatory).to.be.greaterThan(0);
    });

    it("a misspelt script prints npm's error", function () {
        const run = npm(["run", "plna"]);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.contain('Missing script: "plna"');
    });

    it("an unreachable registry prints npm's error", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "npmrc-"));
        try {
            fs.copyFileSync(path.join(REPO_ROOT, ".npmrc"), path.join(dir, ".npmrc"));
            fs.writeFileSync(
                path.join(dir, "package.json"),
                JSON.stringify({ name: "registry-probe", version: "1.0.0", private: true, dependencies: { "left-pad": "1.3.0" } }),
            );
            const registry = `http://127.0.0.1:${await deadPort()}/`;
            // An empty cache, so npm must ask the registry; no retries, so the refusal is final at once.
            const run = npm(["install", "--no-audit", "--no-fund"], dir, {
                npm_config_registry: registry,
                npm_config_cache: path.join(dir, "cache"),
                npm_config_fetch_retries: "0",
            });
            expect(run.status).not.to.equal(0);
            expect(run.stderr)
                .to.contain("npm error")
                .and.to.match(/ECONNREFUSED|request to .*127\.0\.0\.1/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lets --json through at a terminal, under `npm run -s`, with npm's json config, and outside npm", function () {
        const npmRun = { npm_lifecycle_event: "plan", npm_command: "run", npm_config_loglevel: "warn" };
        expect(() => refuseNpmBannerBeforeJson("plan", { env: npmRun })).to.throw(/npm run -s plan/);
        expect(() => refuseNpmBannerBeforeJson("plan", { env: npmRun, stdoutIsTerminal: true })).not.to.throw();
        expect(() => refuseNpmBannerBeforeJson("plan", { env: { ...npmRun, npm_config_loglevel: "silent" } })).not.to.throw();
        expect(() => refuseNpmBannerBeforeJson("plan", { env: { ...npmRun, npm_config_json: "true" } })).not.to.throw();
        // A plan started by `npm run bench` (or by `npm test`) has no banner of its own on its stdout.
        expect(() => refuseNpmBannerBeforeJson("plan", { env: { ...npmRun, npm_lifecycle_event: "bench" } })).not.to.throw();
        expect(() => refuseNpmBannerBeforeJson("plan", { env: {} })).not.to.throw();
    });
});

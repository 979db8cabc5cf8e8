import { expect } from "chai";
import { spawnSync } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { runEnvCli } from "../../../automation/cli/env";
import { runPrCli } from "../../../automation/cli/pr";
import { parsePrList } from "../../../automation/driver/args";
import { UsageError } from "../../../automation/cli/framework";
import { parseDuration } from "../../../automation/deadline";
import type { CliIo } from "../../../automation/cli/framework";
import {
    ConcurrentUpdateError,
    OperationCancelledError,
    StackLockedError,
    UpdateFailedError,
    type Engine,
    type StackRef,
} from "../../../automation/driver/engine";
import { envRun } from "../../../automation/driver/env";
import { TargetRefusedError, assertPullRequestTarget } from "../../../automation/driver/guard";
import { COMMENT_MARKER } from "../../../automation/driver/markdown";
import type { FailureInjector } from "../../../automation/driver/offline-changes";
import { DEFAULT_STATE_DIR, OfflineEngine } from "../../../automation/driver/offline-engine";
import type { DriverContext } from "../../../automation/driver/context";
import { prDown, prGc, prList, prListTable, prUp } from "../../../automation/driver/pr";
import { StackStillLockedError } from "../../../automation/driver/retry";
import { withCancellation } from "../../../automation/driver/signals";
import { REPO_ROOT } from "../../../lib/repository";
import { synthesizeStack } from "../../../automation/plan/plan";
import { PROD_ACCOUNT, TEST_ACCOUNT, fakePlan, tempRepo, type FakePlanOptions } from "./fixtures";

const SHA = "0123abc";

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
    const io = {
        out: "",
        err: "",
        env,
        stdout: (text: string) => void (io.out += text),
        stderr: (text: string) => void (io.err += text),
    };
    return io;
}

describe("PR environment driver (offline engine, synthetic plan)", function () {
    let repo: string;
    let stateDir: string;
    let logs: string;

    function context(options: { failWhen?: FailureInjector; plan?: FakePlanOptions; now?: Date } = {}): DriverContext {
        return {
            engine: new OfflineEngine({ stateDir, plan: fakePlan(options.plan), failWhen: options.failWhen }),
            log: (text) => void (logs += text),
            repoRoot: repo,
            lockRetry: { attempts: 3, initialDelayMs: 1, sleep: async () => undefined },
            now: options.now ? () => options.now as Date : undefined,
            signals: new EventEmitter(),
        };
    }

    beforeEach(function () {
        repo = tempRepo();
        stateDir = path.join(repo, ".plan-state");
        logs = "";
    });
    afterEach(function () {
        fs.rmSync(repo, { recursive: true, force: true });
    });

    describe("the target guard", function () {
        const rules = { testAccountId: TEST_ACCOUNT };
        const refusal = (ref: StackRef, accounts: string[] = [], pr?: number): string => {
            try {
                assertPullRequestTarget({ ref, accounts }, { ...rules, pr });
            } catch (error) {
                expect(error).to.be.instanceOf(TargetRefusedError);
                return (error as Error).message;
            }
            throw new Error("expected a refusal");
        };

        it("lets a workloads/pr-<n> stack in the test account through and returns its PR number", function () {
            expect(
                assertPullRequestTarget({ ref: { project: "workloads", stack: "pr-42" }, accounts: [TEST_ACCOUNT] }, { ...rules, pr: 42 }),
            ).to.equal(42);
        });

        it("refuses full environments, other projects, another PR's stack and foreign accounts", function () {
            expect(refusal({ project: "workloads", stack: "prod" })).to.contain('"prod" is not named pr-<n>');
            expect(refusal({ project: "workloads", stack: "pr-07" })).to.contain("not named pr-<n>");
            expect(refusal({ project: "platform", stack: "pr-7" })).to.contain('project is "platform"');
            expect(refusal({ project: "workloads", stack: "pr-8" }, [], 7)).to.contain("not the stack of PR 7");
            expect(refusal({ project: "workloads", stack: "pr-7" }, [TEST_ACCOUNT, PROD_ACCOUNT])).to.contain(`account(s) ${PROD_ACCOUNT}`);
        });

        it("refuses when the test account itself is unknown", function () {
            expect(() =>
                assertPullRequestTarget({ ref: { project: "workloads", stack: "pr-7" }, accounts: [] }, { testAccountId: "" }),
            ).to.throw(TargetRefusedError, "12-digit");
        });
    });

    it("brings a PR environment up with a Markdown report, and a second run changes nothing", async function () {
        const first = await prUp(context(), { pr: 7, sha: SHA, chartVersion: "1.4.2" });
        expect(first.url).to.equal("https://pr-7.test.payments.example.com");
        expect(first.markdown).to.contain("PR environment pr-7: succeeded");
        expect(first.markdown).to.contain("**URL:** https://pr-7.test.payments.example.com");
        expect(first.markdown).to.contain("| resources | 4 |");
        expect(first.markdown).to.contain("4 to create");
        expect(first.markdown).to.contain("| `databasePassword` | [secret] |");
        expect(first.markdown).to.contain("no violations");
        expect(first.markdown).to.match(/\| elapsed \| \d+\.\d s \|/);
        expect(first.markdown).to.contain("chart | 1.4.2");
        expect(logs).to.contain("aws:sqs/queue:Queue");

        const second = await prUp(context(), { pr: 7, sha: SHA, chartVersion: "1.4.2" });
        expect(second.markdown).to.contain("PR environment pr-7: no changes");
        expect(second.result.counts).to.include({ create: 0, update: 0, delete: 0, same: 4 });
    });

    it("passes the template plus the PR's image and chart version as the stack's config", async function () {
        const calls: NonNullable<FakePlanOptions["calls"]> = [];
        await prUp(context({ plan: { calls } }), { pr: 7, sha: SHA, chartVersion: "1.4.2" });
        const overrides = calls.find((c) => c.env === "pr-7")?.overrides["workloads/pr-7"];
        expect(overrides).to.deep.include({
            "workloads:imageTag": SHA,
            "workloads:chartVersion": "1.4.2",
            "workloads:canary": { enabled: false },
        });
    });

    it("refuses to bring up a PR stack whose config deploys outside the test account", async function () {
        const template = path.join(repo, "workloads", "Pulumi.pr.yaml");
        fs.writeFileSync(template, fs.readFileSync(template, "utf8").replace(TEST_ACCOUNT, PROD_ACCOUNT));
        const error = await prUp(context(), { pr: 7, sha: SHA }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TargetRefusedError);
        expect((error as Error).message).to.contain(PROD_ACCOUNT);
        expect(await context().engine.stackExists({ project: "workloads", stack: "pr-7" })).to.equal(false);
    });

    it("names the failed resources in the report of a failed up and leaves the stack", async function () {
        const failQueue: FailureInjector = (step) => (step.type === "aws:sqs/queue:Queue" ? "AccessDenied" : undefined);
        const error = await prUp(context({ failWhen: failQueue }), { pr: 7, sha: SHA }).catch((e: unknown) => e);
        expect((error as Error & { markdown: string }).markdown).to.contain("PR environment pr-7: failed");
        expect((error as Error & { markdown: string }).markdown).to.contain(
            "urn:pulumi:pr-7::workloads::aws:sqs/queue:Queue::pr-7-processing",
        );
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([7]);
    });

    it("retries a locked stack with backoff, then reports it clearly", async function () {
        fs.mkdirSync(path.join(stateDir, "workloads"), { recursive: true });
        fs.writeFileSync(
            path.join(stateDir, "workloads", "pr-7.lock"),
            JSON.stringify({ pid: 1, host: "other-runner", operation: "up", startedAt: "2026-11-22T05:00:00Z" }),
        );
        const error = await prUp(context(), { pr: 7, sha: SHA }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(StackStillLockedError);
        expect((error as Error).message)
            .to.contain("still locked after 3 attempts")
            .and.to.contain("other-runner");
        expect(logs.match(/retry \d/g)).to.deep.equal(["retry 1", "retry 2"]);

        fs.rmSync(path.join(stateDir, "workloads", "pr-7.lock"));
        expect((await prUp(context(), { pr: 7, sha: SHA })).result.counts.create).to.equal(4);
    });

    it("tears a PR environment down, and a second down finds nothing to do", async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        const first = await prDown(context(), 7);
        expect(first).to.include({ existed: true, retried: false });
        expect(first.markdown).to.contain("4 resources deleted");
        const second = await prDown(context(), 7);
        expect(second).to.include({ existed: false });
        expect(await prList(context())).to.deep.equal([]);
    });

    it("retries a failed destroy once after a refresh", async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        let failures = 0;
        const failOnce: FailureInjector = (step) =>
            step.op === "delete" && step.type === "aws:sqs/queue:Queue" && failures++ === 0 ? "DependencyViolation" : undefined;
        const report = await prDown(context({ failWhen: failOnce }), 7);
        expect(report.retried).to.equal(true);
        expect(logs).to.contain("refreshing workloads/pr-7 and retrying the destroy once");
        expect(await prList(context())).to.deep.equal([]);
    });

    it("gives up after the retried destroy fails too, keeping the stack", async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        const alwaysFail: FailureInjector = (step) =>
            step.op === "delete" && step.type === "aws:sqs/queue:Queue" ? "DependencyViolation" : undefined;
        const error = await prDown(context({ failWhen: alwaysFail }), 7).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UpdateFailedError);
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([7]);
    });

    it("refuses to destroy a PR stack that deploys into another account", async function () {
        await context({ plan: { prAccount: PROD_ACCOUNT } }).engine.up({ project: "workloads", stack: "pr-9" });
        const error = await prDown(context(), 9).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TargetRefusedError);
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([9]);
    });

    it("garbage-collects closed and old PR environments, going on past a failure and reporting it", async function () {
        for (const pr of [1, 2, 3, 4]) {
            await prUp(context(), { pr, sha: SHA });
        }
        // pr-3 was created four days ago.
        const record = path.join(stateDir, "workloads", "pr-3.json");
        const state = JSON.parse(fs.readFileSync(record, "utf8")) as { createdAt: string };
        fs.writeFileSync(record, JSON.stringify({ ...state, createdAt: new Date(Date.now() - 4 * 86_400_000).toISOString() }));
        const failPr4: FailureInjector = (step) => (step.op === "delete" && step.ref.stack === "pr-4" ? "AccessDenied" : undefined);

        const report = await prGc(context({ failWhen: failPr4 }), { maxAgeMs: parseDuration("3d"), open: [1, 3], concurrency: 2 });
        expect(report.destroyed.map((d) => d.pr)).to.deep.equal([2, 3]);
        expect(report.destroyed.find((d) => d.pr === 3)?.reason).to.contain("older than 3 d");
        expect(report.destroyed.find((d) => d.pr === 2)?.reason).to.equal("PR closed");
        expect(report.kept).to.deep.equal([1]);
        expect(report.failed.map((f) => f.pr)).to.deep.equal([4]);
        expect(report.markdown).to.contain("**failed** pr-4");
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([1, 4]);
    });

    it("lists PR stacks with age, last update and resource count, ignoring full environments", async function () {
        await prUp(context(), { pr: 12, sha: SHA });
        await context().engine.up({ project: "workloads", stack: "test" });
        const later = new Date(Date.now() + 2 * 3_600_000);
        const [stack, ...rest] = await prList(context({ now: later }));
        expect(rest).to.deep.equal([]);
        expect(stack).to.include({ pr: 12, stack: "pr-12", resourceCount: 4, updateInProgress: false });
        expect(stack.ageMs).to.be.greaterThan(2 * 3_600_000 - 60_000);
        expect(stack.lastUpdate).to.be.a("string");
    });

    it("aborts on the first SIGINT/SIGTERM and cancels in the backend on the second", async function () {
        const cancelled: StackRef[] = [];
        const engine = { cancel: async (ref: StackRef) => void cancelled.push(ref) } as unknown as Engine;
        const signals = new EventEmitter();
        const ref: StackRef = { project: "workloads", stack: "pr-7" };
        const seen = await withCancellation(
            engine,
            ref,
            (signal, running) =>
                running(async () => {
                    signals.emit("SIGTERM");
                    const abortedAfterFirst = signal.aborted;
                    signals.emit("SIGINT");
                    return abortedAfterFirst;
                }),
            { signals, log: () => undefined },
        );
        expect(seen).to.equal(true);
        expect(cancelled).to.deep.equal([ref]);
        expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).to.equal(0);
    });

    it("a SIGINT while waiting for another update's lock stops the wait at once; a second signal cancels nothing and leaves the lock", async function () {
        const lock = path.join(stateDir, "workloads", "pr-7.lock");
        fs.mkdirSync(path.dirname(lock), { recursive: true });
        const other = JSON.stringify({ pid: process.ppid, host: os.hostname(), operation: "up", startedAt: "2026-11-22T05:00:00Z" });
        fs.writeFileSync(lock, other);
        const ctx = context();
        const signals = ctx.signals as EventEmitter;
        const cancelled: StackRef[] = [];
        const engine = ctx.engine;
        const watched: DriverContext = {
            ...ctx,
            engine: Object.assign(Object.create(engine) as Engine, { cancel: async (ref: StackRef) => void cancelled.push(ref) }),
            // A real wait: the signals arrive while the retry sleeps.
            lockRetry: { timeoutMs: 60_000, initialDelayMs: 30_000 },
        };
        const started = Date.now();
        const pending = prUp(watched, { pr: 7, sha: SHA }).catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 50));
        while (!logs.includes("retry 1")) {
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        signals.emit("SIGINT");
        signals.emit("SIGTERM");
        const error = await pending;
        expect(Date.now() - started).to.be.lessThan(20_000);
        expect(error).to.be.instanceOf(OperationCancelledError);
        expect((error as Error).message).to.contain("while it waited for another update's lock; nothing was changed");
        expect(cancelled, "no backend cancel for an update this run does not hold").to.deep.equal([]);
        expect(logs).to.contain("nothing to cancel, no lock touched");
        expect(fs.readFileSync(lock, "utf8")).to.equal(other);
    });

    it("the offline engine's cancel releases only its own lock, never another holder's", async function () {
        const lock = path.join(stateDir, "workloads", "pr-7.lock");
        fs.mkdirSync(path.dirname(lock), { recursive: true });
        const other = JSON.stringify({ pid: process.ppid, host: os.hostname(), operation: "up", startedAt: "2026-11-22T05:00:00Z" });
        fs.writeFileSync(lock, other);
        const error = await context()
            .engine.cancel({ project: "workloads", stack: "pr-7" })
            .catch((e: unknown) => e);
        expect((error as Error).message)
            .to.contain(`pid ${process.ppid}`)
            .and.to.contain("not by this process: its lock is left alone");
        expect(fs.readFileSync(lock, "utf8")).to.equal(other);
    });

    it("takes over a lock whose holder died on this host, and lists such a lock as stale", async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        const lock = path.join(stateDir, "workloads", "pr-7.lock");
        const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
        fs.writeFileSync(lock, JSON.stringify({ pid: dead, host: os.hostname(), operation: "up", startedAt: "2026-11-22T05:00:00Z" }));
        const [listed] = await prList(context());
        expect(listed.updateInProgress).to.equal(false);
        expect(listed.staleLock).to.contain(`pid ${dead}`).and.to.contain(`rm ${lock}`);
        expect(prListTable([listed]))
            .to.contain("stale lock")
            .and.not.to.contain("updating");
        expect((await prUp(context(), { pr: 7, sha: "4567def" })).result.counts.update).to.be.greaterThan(0);
        expect(fs.existsSync(lock)).to.equal(false);
    });

    it("reports an unreadable lock at once, with the file to remove, instead of waiting on it", async function () {
        const lock = path.join(stateDir, "workloads", "pr-7.lock");
        fs.mkdirSync(path.dirname(lock), { recursive: true });
        fs.writeFileSync(lock, "{not json");
        const io = capture();
        const started = Date.now();
        const ctx = { ...context(), lockRetry: { timeoutMs: 60_000, initialDelayMs: 30_000 } };
        expect(await runPrCli(["up", "--pr", "7", "--sha", SHA], io, ctx)).to.equal(2);
        expect(Date.now() - started).to.be.lessThan(20_000);
        expect(io.err)
            .to.contain(`rm ${lock}`)
            .and.not.to.contain("pulumi cancel")
            .and.not.to.match(/\n\s+at /);
    });

    describe("a damaged registry entry", function () {
        for (const [what, content] of [
            ["truncated", '{"project": "workloads", "stack": "pr-7", "crea'],
            ["{}", "{}"],
            ["null", "null"],
            ["[]", "[]"],
        ] as const) {
            it(`${what}: named with its file, never overwritten, and other PRs still work`, async function () {
                await prUp(context(), { pr: 7, sha: SHA });
                await prUp(context(), { pr: 8, sha: SHA });
                const file = path.join(stateDir, "workloads", "pr-7.json");
                fs.writeFileSync(file, content);
                const up = capture();
                expect(await runPrCli(["up", "--pr", "7", "--sha", SHA], up, context())).to.equal(2);
                expect(up.err).to.contain(file).and.to.contain(`rm ${file}`).and.not.to.contain("TypeError");
                expect(fs.readFileSync(file, "utf8"), "never overwritten").to.equal(content);
                const list = capture();
                expect(await runPrCli(["list"], list, context())).to.equal(0);
                expect(list.out).to.contain("unreadable").and.to.contain("pr-8");
                expect((await prDown(context(), 8)).existed).to.equal(true);
            });
        }
    });

    it('refuses --open "" (an unset variable) and destroys nothing; --open none means no PR is open', async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        for (const open of ["", ","]) {
            const io = capture();
            expect(await runPrCli(["gc", "--max-age", "3d", "--open", open], io, context())).to.equal(2);
            expect(io.err).to.match(/--open/);
        }
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([7]);
        expect(await runPrCli(["gc", "--max-age", "3d", "--open", "none"], capture(), context())).to.equal(0);
        expect(await prList(context())).to.deep.equal([]);
    });

    it("checks --markdown and GITHUB_STEP_SUMMARY before it changes anything", async function () {
        for (const [argv, env, label] of [
            [["--markdown", path.join(repo, "missing-dir", "comment.md")], {}, "--markdown"],
            [[], { GITHUB_STEP_SUMMARY: path.join(repo, "missing-dir", "summary.md") }, "GITHUB_STEP_SUMMARY"],
        ] as const) {
            const io = capture({ ...env });
            expect(await runPrCli(["up", "--pr", "7", "--sha", SHA, ...argv], io, context())).to.equal(2);
            expect(io.err).to.contain(label).and.to.contain("does not exist").and.not.to.contain("ENOENT");
            expect(await prList(context()), "nothing was created").to.deep.equal([]);
        }
    });

    it("a failed delete keeps what the failed resource needs (its provider) and the stack", async function () {
        await prUp(context(), { pr: 7, sha: SHA });
        const failTable: FailureInjector = (step) =>
            step.type === "aws:dynamodb/table:Table" && step.op === "delete" ? "ResourceInUseException" : undefined;
        const error = await context({ failWhen: failTable })
            .engine.destroy({ project: "workloads", stack: "pr-7" })
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UpdateFailedError);
        const record = JSON.parse(fs.readFileSync(path.join(stateDir, "workloads", "pr-7.json"), "utf8")) as {
            resources: { type: string }[];
        };
        expect(record.resources.map((r) => r.type)).to.deep.equal(["pulumi:providers:aws", "aws:dynamodb/table:Table"]);
    });

    it("an empty PAYMENTS_OFFLINE_STATE_DIR is unset: the registry stays out of the current directory", function () {
        const previous = process.env.PAYMENTS_OFFLINE_STATE_DIR;
        process.env.PAYMENTS_OFFLINE_STATE_DIR = "";
        try {
            expect(new OfflineEngine().stateDir).to.equal(DEFAULT_STATE_DIR).and.not.to.equal(process.cwd());
        } finally {
            if (previous === undefined) {
                delete process.env.PAYMENTS_OFFLINE_STATE_DIR;
            } else {
                process.env.PAYMENTS_OFFLINE_STATE_DIR = previous;
            }
        }
    });

    describe("promotions", function () {
        it("refuses prod without --confirm prod and runs nothing", async function () {
            const calls: NonNullable<FakePlanOptions["calls"]> = [];
            const error = await envRun(context({ plan: { calls } }), { action: "up", env: "prod" }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(UsageError);
            expect((error as Error).message).to.contain("--confirm prod");
            expect(calls).to.deep.equal([]);
        });

        it("runs platform then workloads, pinning the chart version on the workloads stack", async function () {
            const calls: NonNullable<FakePlanOptions["calls"]> = [];
            const report = await envRun(context({ plan: { calls } }), {
                action: "up",
                env: "prod",
                chartVersion: "2.0.0",
                confirm: "prod",
            });
            expect(report.results.map((r) => `${r.ref.project}/${r.ref.stack}`)).to.deep.equal(["platform/prod", "workloads/prod"]);
            expect(calls.map((c) => c.env)).to.deep.equal(["prod", "prod"]);
            expect(calls[0].overrides, "the platform stack runs on its stack file alone").to.deep.equal({});
            expect(calls[1].overrides["workloads/prod"]).to.include({
                "workloads:chartVersion": "2.0.0",
                "workloads:imageTag": "template",
            });
            expect(report.markdown).to.contain("Update of platform/prod").and.to.contain("Update of workloads/prod");
        });

        it("previews prod without confirmation and rejects bad arguments", async function () {
            const report = await envRun(context(), { action: "preview", env: "prod", layer: "workloads" });
            expect(report.results.map((r) => r.kind)).to.deep.equal(["preview"]);
            for (const request of [
                { action: "up" as const, env: "pr-7" },
                { action: "up" as const, env: "test", layer: "foundation" },
                { action: "up" as const, env: "test", confirm: "prod" },
                { action: "up" as const, env: "test", layer: "platform", chartVersion: "1.0.0" },
            ]) {
                expect(await envRun(context(), request).catch((e: unknown) => e)).to.be.instanceOf(UsageError);
            }
        });
    });

    describe("the CLIs", function () {
        it("pr up prints the report, appends it to the step summary and writes the comment file", async function () {
            const summary = path.join(repo, "summary.md");
            const comment = path.join(repo, "comment.md");
            const io = capture({ GITHUB_STEP_SUMMARY: summary });
            const code = await runPrCli(["up", "--pr", "7", "--sha", SHA, "--markdown", comment], io, context());
            expect(code, io.err).to.equal(0);
            expect(io.out).to.contain("PR environment pr-7: succeeded");
            expect(fs.readFileSync(summary, "utf8")).to.contain("https://pr-7.test.payments.example.com");
            expect(fs.readFileSync(comment, "utf8").startsWith(COMMENT_MARKER)).to.equal(true);
        });

        it("exits 2 with a clear message for bad usage", async function () {
            const cases: [string[], string][] = [
                [[], "a command is required"],
                [["deploy"], 'unknown command "deploy"'],
                [["up", "--sha", SHA], "--pr is required"],
                [["up", "--pr", "seven", "--sha", SHA], "--pr must be a pull request number"],
                [["up", "--pr", "7", "--sha", "HEAD"], "--sha must be a lower-case hex commit SHA"],
                [["up", "--pr", "7", "--sha", SHA, "--chart-version", "latest"], "--chart-version must be a published chart version"],
                [["up", "--pr", "7", "--sha", SHA, "--force"], "--force"],
                [["gc", "--max-age", "3 days"], "--max-age must be a duration"],
                [["gc", "--max-age", "3d", "--open", "1,x"], "--open must be a pull request number"],
                [["up", "--pr", "7", "--pr", "8", "--sha", SHA], "--pr was given 2 times: give it once"],
                [["list", "--offline=false"], "--offline takes no value"],
                [["up", "--pr", "7", "--sha", SHA, "--lock-timeout", "soon"], "--lock-timeout must be a duration"],
            ];
            for (const [argv, message] of cases) {
                const io = capture();
                expect(await runPrCli(argv, io, context()), argv.join(" ")).to.equal(2);
                expect(io.err, argv.join(" ")).to.contain(message);
            }
        });

        it("exits 2 when the target is refused and 1 when gc could not destroy everything", async function () {
            await context({ plan: { prAccount: PROD_ACCOUNT } }).engine.up({ project: "workloads", stack: "pr-9" });
            const refused = capture();
            expect(await runPrCli(["down", "--pr", "9"], refused, context())).to.equal(2);
            expect(refused.err).to.contain("refusing to touch workloads/pr-9");

            const gc = capture();
            expect(await runPrCli(["gc", "--max-age", "3d", "--open", "none"], gc, context())).to.equal(1);
            expect(gc.err).to.contain("could not be destroyed: pr-9");
        });

        it("pr up on a program whose output never settles fails naming the output, records nothing and reports no success", async function () {
            const summary = path.join(repo, "summary.md");
            const engine = new OfflineEngine({
                stateDir,
                // The PR's stack is a program that never settles; the rest of the plan is as usual.
                plan: async (env, options) => {
                    await synthesizeStack(path.join(REPO_ROOT, "test", "fixtures", "never-settles"), "dev");
                    return fakePlan()(env, options);
                },
            });
            const io = capture({ GITHUB_STEP_SUMMARY: summary });
            // A CLI process ends such a synthesis as soon as nothing is left to run; inside this test
            // process something always is, so the deadline does.
            const limit = process.env.PLAN_SYNTHESIS_TIMEOUT;
            process.env.PLAN_SYNTHESIS_TIMEOUT = "2s";
            let code: number;
            try {
                code = await runPrCli(["up", "--pr", "7", "--sha", SHA], io, { ...context(), engine });
            } finally {
                if (limit === undefined) {
                    delete process.env.PLAN_SYNTHESIS_TIMEOUT;
                } else {
                    process.env.PLAN_SYNTHESIS_TIMEOUT = limit;
                }
            }
            expect(code).to.equal(1);
            expect(io.err).to.contain("never settled").and.to.contain("endpoint");
            expect(io.out).not.to.contain("succeeded");
            expect(fs.existsSync(path.join(stateDir, "workloads", "pr-7.json")), "no stack record").to.equal(false);
            expect(fs.existsSync(summary) ? fs.readFileSync(summary, "utf8") : "").not.to.contain("succeeded");
        });

        it("pr list --json prints the stacks as JSON", async function () {
            await prUp(context(), { pr: 5, sha: SHA });
            const io = capture();
            expect(await runPrCli(["list", "--json"], io, context())).to.equal(0);
            expect((JSON.parse(io.out) as { pr: number }[]).map((s) => s.pr)).to.deep.equal([5]);
        });

        it("env refuses prod without confirmation with exit 2", async function () {
            const io = capture();
            expect(await runEnvCli(["up", "--env", "prod"], io, context())).to.equal(2);
            expect(io.err).to.contain("refusing to update prod without --confirm prod");
        });

        it("parses --open lists and durations", function () {
            expect(parsePrList("3, 1,3")).to.deep.equal([1, 3]);
            expect(parseDuration("72h")).to.equal(parseDuration("3d"));
            expect(() => parseDuration("0d")).to.throw(UsageError);
        });
    });

    it("treats StackLockedError as the Automation API's ConcurrentUpdateError", function () {
        expect(new ConcurrentUpdateError({ project: "workloads", stack: "pr-7" }, "runner")).to.be.instanceOf(StackLockedError);
    });
});

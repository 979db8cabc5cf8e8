/**
 * The whole PR lifecycle through the offline engine with the real offline plan (the workloads
 * program synthesized from workloads/Pulumi.pr.yaml with the policy pack), in a temporary registry.
 */
import { expect } from "chai";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { runEnvCli } from "../../../automation/cli/env";
import { UpdateFailedError, isNoOp, type StackRef } from "../../../automation/driver/engine";
import { TargetRefusedError, assertPullRequestTarget } from "../../../automation/driver/guard";
import type { FailureInjector } from "../../../automation/driver/offline-changes";
import { OfflineEngine, type PlanEnvironment } from "../../../automation/driver/offline-engine";
import type { DriverContext } from "../../../automation/driver/context";
import { prDown, prGc, prList, prPreview, prUp } from "../../../automation/driver/pr";
import { StackStillLockedError } from "../../../automation/driver/retry";
import { planEnvironment } from "../../../automation/plan/plan";
import { accountFromArn } from "../../../lib/arn";
import { REPO_ROOT } from "../../../lib/repository";

const SHA = "5f2c9e1a0b7d4c3e8f6a1b2c3d4e5f6a7b8c9d0e";
const NEXT_SHA = "0000000000000000000000000000000000000002";
const PR7: StackRef = { project: "workloads", stack: "pr-7" };

/** One synthesis per environment and config for the whole file: every engine below shares it. */
function sharedPlan(): PlanEnvironment {
    const memo = new Map<string, ReturnType<PlanEnvironment>>();
    return (env, options) => {
        const key = `${env} ${JSON.stringify(options?.configOverrides ?? {})}`;
        if (!memo.has(key)) {
            memo.set(key, planEnvironment(env, options));
        }
        return memo.get(key) as ReturnType<PlanEnvironment>;
    };
}

describe("PR environment lifecycle (offline engine, real plan)", function () {
    this.timeout(300_000);
    const plan = sharedPlan();
    let stateDir: string;
    let repo: string;
    let testAccount: string;
    let logs: string;

    const context = (failWhen?: FailureInjector): DriverContext => ({
        engine: new OfflineEngine({ stateDir, plan, failWhen }),
        log: (text) => void (logs += text),
        repoRoot: repo,
        lockRetry: { attempts: 2, initialDelayMs: 1, sleep: async () => undefined },
        signals: new EventEmitter(),
    });

    before(async function () {
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-lifecycle-"));
        // The driver reads the real template; the offline organization derives its account ids from
        // the accounts' emails, so the template's role is pointed at that organization's test account.
        const foundation = (await plan("mgmt")).stacks.find((s) => s.project === "foundation");
        testAccount = (foundation?.outputs.accountIds as Record<string, string>).test;
        repo = path.join(stateDir, "repo");
        fs.mkdirSync(path.join(repo, "workloads"), { recursive: true });
        const template = fs.readFileSync(path.join(REPO_ROOT, "workloads", "Pulumi.pr.yaml"), "utf8");
        const roleArn = /workloads:deploymentRoleArn: (\S+)/.exec(template)?.[1] ?? "";
        fs.writeFileSync(
            path.join(repo, "workloads", "Pulumi.pr.yaml"),
            template.replace(roleArn, roleArn.replace(accountFromArn(roleArn) ?? "", testAccount)),
        );
    });
    beforeEach(function () {
        logs = "";
    });
    after(function () {
        fs.rmSync(stateDir, { recursive: true, force: true });
    });

    it("brings pr-7 up with its URL, outputs, counts and policy results, and a second up changes nothing", async function () {
        const first = await prUp(context(), { pr: 7, sha: SHA });
        expect(first.result.counts.create).to.be.greaterThan(20);
        expect(first.result.policyViolations.filter((v) => v.enforcementLevel === "mandatory")).to.deep.equal([]);
        expect(first.url).to.match(/^https:\/\/pr-7\.[a-z0-9.-]+$/);
        expect(first.markdown).to.contain(`**URL:** ${first.url}`).and.to.contain(`commit | ${SHA}`);
        expect(first.markdown).to.not.match(/BEGIN CERTIFICATE|password/i);
        // The platform's PR ceiling and its first limits, from the same offline plan.
        expect(first.result.capacity?.livePullRequests).to.be.at.least(200);
        expect(first.markdown).to.contain(`**Capacity**: ${first.result.capacity!.livePullRequests} live PR environments`);
        const secrets = Object.entries(first.result.outputs).filter(([, o]) => o.secret);
        for (const [key] of secrets) {
            expect(first.markdown, key).to.contain(`| \`${key}\` | [secret] |`);
        }

        const second = await prUp(context(), { pr: 7, sha: SHA });
        expect(isNoOp(second.result.counts), JSON.stringify(second.result.changes.filter((c) => c.op !== "same"))).to.equal(true);
        expect(second.markdown).to.contain("pr-7: no changes");
    });

    it("lists pr-7 and previews a new commit as an update with policy results", async function () {
        const [listed] = await prList(context());
        expect(listed).to.include({ pr: 7, stack: "pr-7", updateInProgress: false });
        expect(listed.resourceCount).to.be.greaterThan(20);

        const preview = await prPreview(context(), { pr: 7, sha: NEXT_SHA });
        expect(preview.result.counts.update).to.be.greaterThan(0);
        expect(preview.result.counts.create + preview.result.counts.delete).to.equal(0);
        expect(preview.markdown).to.contain("Preview of PR environment pr-7").and.to.contain("**Policy:**");
    });

    it("refuses a non-PR stack and prod without confirmation", async function () {
        const accounts = await context().engine.deploymentAccounts(PR7);
        expect(accounts).to.deep.equal([testAccount]);
        expect(() =>
            assertPullRequestTarget({ ref: { project: "workloads", stack: "test" }, accounts }, { testAccountId: testAccount }),
        ).to.throw(TargetRefusedError);
        let err = "";
        const code = await runEnvCli(["up", "--env", "prod", "--offline", "--state-dir", stateDir], {
            stdout: () => undefined,
            stderr: (t) => void (err += t),
            env: {},
        });
        expect(code).to.equal(2);
        expect(err).to.contain("--confirm prod");
    });

    it("reports lock contention after retrying", async function () {
        const lock = path.join(stateDir, "workloads", "pr-7.lock");
        fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: "another-runner", operation: "up", startedAt: new Date().toISOString() }));
        try {
            const error = await prUp(context(), { pr: 7, sha: SHA }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(StackStillLockedError);
            expect((error as Error).message).to.contain("another-runner");
        } finally {
            fs.rmSync(lock, { force: true });
        }
    });

    it("names a failing resource, keeps the stack, and completes on the next run", async function () {
        // The new image reaches the cluster through the Argo CD Applications: make their update fail.
        const failApplications: FailureInjector = (step) =>
            step.type.endsWith(":Application") ? "admission webhook denied the request" : undefined;
        const error = await prUp(context(failApplications), { pr: 7, sha: NEXT_SHA }).catch((e: unknown) => e);
        expect(error).to.have.property("markdown").that.contains("pr-7: failed").and.contains(":Application");
        const failed = (error as { cause: UpdateFailedError }).cause.failedResources;
        expect(failed).to.have.length.greaterThan(0);
        expect(failed.every((f) => f.type.endsWith(":Application") && f.message === "admission webhook denied the request")).to.equal(true);
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([7]);
        const retry = await prUp(context(), { pr: 7, sha: NEXT_SHA });
        expect(
            retry.result.changes
                .filter((c) => c.op !== "same")
                .map((c) => c.urn)
                .sort(),
        ).to.deep.equal(failed.map((f) => f.urn).sort());
    });

    it("tears pr-7 down, and a second down is a no-op", async function () {
        const first = await prDown(context(), 7);
        expect(first).to.include({ existed: true });
        expect(await context().engine.stackExists(PR7)).to.equal(false);
        expect(await prDown(context(), 7)).to.include({ existed: false });
    });

    it("garbage-collects closed and old PR environments and keeps open, young ones", async function () {
        for (const pr of [7, 8, 9]) {
            await prUp(context(), { pr, sha: SHA });
        }
        const record = path.join(stateDir, "workloads", "pr-9.json");
        const state = JSON.parse(fs.readFileSync(record, "utf8")) as Record<string, unknown>;
        fs.writeFileSync(record, JSON.stringify({ ...state, createdAt: new Date(Date.now() - 5 * 86_400_000).toISOString() }));

        const report = await prGc(context(), { maxAgeMs: 3 * 86_400_000, open: [7, 9] });
        expect(report.destroyed.map((d) => [d.pr, d.reason.split(" ")[0]])).to.deep.equal([
            [8, "PR"],
            [9, "older"],
        ]);
        expect(report.kept).to.deep.equal([7]);
        expect(report.failed).to.deep.equal([]);
        expect((await prList(context())).map((s) => s.pr)).to.deep.equal([7]);
    });
});

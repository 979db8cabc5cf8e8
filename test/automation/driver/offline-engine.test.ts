import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import {
    EngineError,
    OperationCancelledError,
    PolicyViolationError,
    StackLockedError,
    StackNotFoundError,
    UpdateFailedError,
    isNoOp,
    type StackRef,
} from "../../../automation/driver/engine";
import type { FailureInjector } from "../../../automation/driver/offline-changes";
import { OfflineEngine } from "../../../automation/driver/offline-engine";
import { TEST_ACCOUNT, fakePlan } from "./fixtures";

const PR: StackRef = { project: "workloads", stack: "pr-7" };
const QUEUE = "urn:pulumi:pr-7::workloads::aws:sqs/queue:Queue::pr-7-processing";
const WORKER = "urn:pulumi:pr-7::workloads::aws:lambda/function:Function::pr-7-worker";

describe("OfflineEngine", function () {
    let stateDir: string;
    const engine = (failWhen?: FailureInjector, plan = fakePlan()): OfflineEngine => new OfflineEngine({ stateDir, plan, failWhen });

    beforeEach(function () {
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "offline-engine-"));
    });
    afterEach(function () {
        fs.rmSync(stateDir, { recursive: true, force: true });
    });

    it("creates every planned resource, then a second up with the same inputs changes nothing", async function () {
        const first = await engine().up(PR, { config: { "workloads:imageTag": "abc1234" } });
        expect(first.counts).to.include({ create: 4, same: 0 });
        expect(first.resourceCount).to.equal(4);
        const second = await engine().up(PR, { config: { "workloads:imageTag": "abc1234" } });
        expect(isNoOp(second.counts)).to.equal(true);
        expect(second.counts.same).to.equal(4);
    });

    it("updates only what a new input changes", async function () {
        await engine().up(PR, { config: { "workloads:imageTag": "abc1234" } });
        const next = await engine().up(PR, { config: { "workloads:imageTag": "def5678" } });
        expect(next.changes.filter((c) => c.op !== "same")).to.deep.equal([
            { urn: WORKER, type: "aws:lambda/function:Function", op: "update" },
        ]);
    });

    it("masks secret outputs and keeps the plan behind the result", async function () {
        const result = await engine().up(PR);
        expect(result.outputs.databasePassword).to.deep.equal({ value: "[secret]", secret: true });
        expect(result.outputs.tableName).to.deep.equal({ value: "pr-7-payments", secret: false });
        expect(result.planned?.stack).to.equal("pr-7");
    });

    it("refuses an update while another process holds the stack's lock", async function () {
        fs.mkdirSync(path.join(stateDir, "workloads"), { recursive: true });
        const holder = { pid: 4242, host: "runner-elsewhere", operation: "up", startedAt: "2026-11-22T05:00:00Z" };
        fs.writeFileSync(path.join(stateDir, "workloads", "pr-7.lock"), JSON.stringify(holder));
        const error = await engine()
            .up(PR)
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(StackLockedError);
        expect((error as Error).message).to.contain("pid 4242 on runner-elsewhere");
        expect(await engine().stackExists(PR)).to.equal(false);
    });

    it("locks out a concurrent update of the same stack in flight", async function () {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const slowPlan = fakePlan();
        const slow = new OfflineEngine({ stateDir, plan: async (env, options) => (await gate, slowPlan(env, options)) });
        const first = slow.up(PR);
        const second = await engine()
            .up(PR)
            .catch((e: unknown) => e);
        expect(second).to.be.instanceOf(StackLockedError);
        release();
        expect((await first).counts.create).to.equal(4);
        expect(fs.existsSync(path.join(stateDir, "workloads", "pr-7.lock"))).to.equal(false);
    });

    it("takes over a lock left by a process that died on this host", async function () {
        fs.mkdirSync(path.join(stateDir, "workloads"), { recursive: true });
        const holder = { pid: 2 ** 22 + 12345, host: os.hostname(), operation: "up", startedAt: "2026-11-22T05:00:00Z" };
        fs.writeFileSync(path.join(stateDir, "workloads", "pr-7.lock"), JSON.stringify(holder));
        expect((await engine().up(PR)).counts.create).to.equal(4);
    });

    it("names a failing resource, skips what depends on it, keeps the rest, and finishes on the next run", async function () {
        const failQueue: FailureInjector = (step) => (step.urn === QUEUE ? "AccessDenied: sqs:CreateQueue" : undefined);
        const error = await engine(failQueue)
            .up(PR)
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UpdateFailedError);
        const failed = error as UpdateFailedError;
        expect(failed.failedResources).to.deep.equal([
            { urn: QUEUE, type: "aws:sqs/queue:Queue", message: "AccessDenied: sqs:CreateQueue" },
        ]);
        expect(failed.message).to.contain(QUEUE);
        expect(failed.result?.resourceCount).to.equal(2);

        const [summary] = await engine().listStacks("workloads");
        expect(summary.resourceCount).to.equal(2);
        const retry = await engine().up(PR);
        expect(retry.changes.filter((c) => c.op === "create").map((c) => c.urn)).to.deep.equal([QUEUE, WORKER]);
    });

    it("stops a mandatory policy violation before any change", async function () {
        const violations = [
            { policy: "sqs-encrypted", enforcementLevel: "mandatory" as const, urn: QUEUE, message: "queue is not encrypted" },
        ];
        const error = await engine(undefined, fakePlan({ violations }))
            .up(PR)
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(PolicyViolationError);
        expect(await engine().stackExists(PR)).to.equal(false);
        const preview = await engine(undefined, fakePlan({ violations })).preview(PR);
        expect(preview.policyViolations).to.deep.equal(violations);
    });

    it("stops between steps when the operation is aborted, recording what was done and releasing the lock", async function () {
        const controller = new AbortController();
        const abortAfterTable: FailureInjector = (step) => {
            if (step.type === "aws:dynamodb/table:Table") {
                controller.abort();
            }
            return undefined;
        };
        const error = await engine(abortAfterTable)
            .up(PR, { signal: controller.signal })
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(OperationCancelledError);
        expect((await engine().listStacks("workloads"))[0]).to.include({ resourceCount: 2, updateInProgress: false });
    });

    it("destroys everything, then removes the empty stack", async function () {
        await engine().up(PR);
        const destroyed = await engine().destroy(PR);
        expect(destroyed.counts.delete).to.equal(4);
        expect(destroyed.changes.map((c) => c.urn)[0]).to.equal(WORKER);
        await engine().removeStack(PR);
        expect(await engine().stackExists(PR)).to.equal(false);
        expect(
            await engine()
                .destroy(PR)
                .catch((e: unknown) => e),
        ).to.be.instanceOf(StackNotFoundError);
    });

    it("refuses to remove a stack that still has resources", async function () {
        await engine().up(PR);
        const error = await engine()
            .removeStack(PR)
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(EngineError);
        expect((error as Error).message).to.contain("still has 4 resources");
    });

    it("reports the accounts a stack deploys into and remembers the platform outputs it planned", async function () {
        await engine().up(PR);
        expect(await engine().deploymentAccounts(PR)).to.deep.equal([TEST_ACCOUNT]);
        const calls: { env: string }[] = [];
        const outputs = await engine(undefined, fakePlan({ calls: calls as never })).platformOutputs("test");
        expect(outputs).to.include({ accountId: TEST_ACCOUNT, domainName: "test.payments.example.com" });
        expect(calls, "answered from the registry, no new synthesis").to.deep.equal([]);
    });

    it("fails steps whose URN matches PAYMENTS_OFFLINE_FAIL_URN", async function () {
        process.env.PAYMENTS_OFFLINE_FAIL_URN = "sqs/queue";
        try {
            const error = await new OfflineEngine({ stateDir, plan: fakePlan() }).up(PR).catch((e: unknown) => e);
            expect((error as UpdateFailedError).failedResources.map((f) => f.urn)).to.deep.equal([QUEUE]);
        } finally {
            delete process.env.PAYMENTS_OFFLINE_FAIL_URN;
        }
    });
});

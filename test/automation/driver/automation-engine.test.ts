import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { AutomationApiEngine } from "../../../automation/driver/automation-engine";
import {
    OperationCancelledError,
    PolicyViolationError,
    StackLockedError,
    StackNotFoundError,
    UpdateFailedError,
    isNoOp,
    type StackRef,
} from "../../../automation/driver/engine";
import { runPrCli } from "../../../automation/cli/pr";
import { retryWhileLocked } from "../../../automation/driver/retry";

const FAKE_ROOT = path.resolve(__dirname, "..", "..", "fixtures", "fake-pulumi");
const PR: StackRef = { project: "workloads", stack: "pr-7" };

interface Invocation {
    argv: string[];
    cwd: string;
    env: Record<string, string>;
    /** Set on the stand-in's own notes (signals), absent on invocations. */
    event?: string;
}

describe("AutomationApiEngine against the recording pulumi stand-in", function () {
    let root: string;
    let log: string;
    let scenario: string;

    function engine(options: { stackOrg?: string } = {}): AutomationApiEngine {
        return new AutomationApiEngine({
            repoRoot: root,
            pulumiRoot: FAKE_ROOT,
            backendUrl: "s3://payments-pulumi-state",
            secretsProvider: "awskms://alias/payments-pulumi",
            skipVersionCheck: true,
            stackOrg: options.stackOrg,
            env: { FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: path.join(root, ".fake-state"), FAKE_PULUMI_SCENARIO: scenario },
        });
    }

    function invocations(): Invocation[] {
        return fs.existsSync(log)
            ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Invocation)
            : [];
    }

    function commands(): string[] {
        return invocations().filter((i) => i.event === undefined).map((i) => i.argv.join(" "));
    }

    function one(prefix: string): Invocation {
        const found = invocations().filter((i) => i.argv.join(" ").startsWith(prefix) && i.event === undefined);
        expect(found, `exactly one "${prefix}" in:\n${commands().join("\n")}`).to.have.length(1);
        return found[0];
    }

    beforeEach(function () {
        fs.chmodSync(path.join(FAKE_ROOT, "bin", "pulumi"), 0o755);
        root = fs.mkdtempSync(path.join(os.tmpdir(), "automation-engine-"));
        for (const layer of ["foundation", "platform", "workloads"]) {
            fs.mkdirSync(path.join(root, layer));
        }
        log = path.join(root, "pulumi-invocations.jsonl");
        scenario = "";
    });

    afterEach(function () {
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("creates the stack in the layer's workspace and runs up with the policy pack, the backend and the config", async function () {
        const result = await engine().up(PR, { config: { "workloads:imageTag": "abc1234", "workloads:canary": { enabled: false } } });

        expect(commands().slice(0, 2)).to.deep.equal(["stack select --stack pr-7 --non-interactive", "stack init pr-7 --secrets-provider awskms://alias/payments-pulumi --non-interactive"]);
        const up = one("up ");
        expect(up.argv.slice(0, 3)).to.deep.equal(["up", "--yes", "--skip-preview"]);
        expect(up.argv[up.argv.indexOf("--policy-pack") + 1]).to.equal(path.join(root, "policy-pack"));
        expect(up.argv[up.argv.indexOf("--policy-pack-config") + 1]).to.equal(path.join(root, "policy-pack", "config", "pr.json"));
        expect(up.argv[up.argv.indexOf("--exec-kind") + 1]).to.equal("auto.local");
        expect(up.argv[up.argv.indexOf("--stack") + 1]).to.equal("pr-7");
        // A current CLI streams engine events to the Automation API's gRPC server.
        expect(up.argv[up.argv.indexOf("--event-log") + 1]).to.match(/^tcp:\/\/127\.0\.0\.1:\d+$/);
        expect(up.argv).to.include("--non-interactive");
        expect(up.cwd).to.equal(path.join(root, "workloads"));
        expect(up.env.PULUMI_BACKEND_URL).to.equal("s3://payments-pulumi-state");
        expect(up.env.PULUMI_SKIP_UPDATE_CHECK).to.equal("true");

        const stackFile = fs.readFileSync(path.join(root, "workloads", "Pulumi.pr-7.yaml"), "utf8");
        expect(stackFile).to.contain("workloads:imageTag: abc1234").and.to.contain("enabled: false");

        expect(result.counts.create).to.equal(4);
        expect(result.changes.map((c) => c.op)).to.deep.equal(["create", "create", "create", "create"]);
        expect(result.resourceCount).to.equal(4);
        expect(result.outputs.url).to.deep.equal({ value: "https://pr-7.test.payments.example.com", secret: false });
        expect(result.outputs.databasePassword.secret).to.equal(true);
    });

    it("reports a second up with the same inputs as changing nothing", async function () {
        await engine().up(PR);
        const second = await engine().up(PR);
        expect(isNoOp(second.counts)).to.equal(true);
        expect(second.counts.same).to.equal(4);
        expect(commands().filter((c) => c.startsWith("stack init"))).to.have.length(1);
    });

    it("previews with the policy pack and parses policy events into violations", async function () {
        await engine().up(PR);
        scenario = "policy";
        const preview = await engine().preview(PR);
        const invocation = one("preview ");
        expect(invocation.argv[invocation.argv.indexOf("--policy-pack") + 1]).to.equal(path.join(root, "policy-pack"));
        expect(invocation.argv).to.include("--event-log");
        expect(preview.policyViolations).to.deep.equal([
            { policy: "sqs-encrypted", enforcementLevel: "mandatory", urn: "urn:pulumi:pr-7::workloads::aws:sqs/queue:Queue::pr-7-processing", message: "queue is not encrypted" },
            { policy: "owner-tag", enforcementLevel: "advisory", urn: null, message: "stack has no owner tag" },
        ]);
    });

    it("turns an up stopped by a mandatory policy into PolicyViolationError", async function () {
        scenario = "policy";
        const error = await engine().up(PR).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(PolicyViolationError);
        expect((error as PolicyViolationError).violations.map((v) => v.policy)).to.deep.equal(["sqs-encrypted"]);
    });

    it("names the failed resources of a failed up and leaves the stack", async function () {
        scenario = "fail";
        const error = await engine().up(PR).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UpdateFailedError);
        const failed = (error as UpdateFailedError).failedResources;
        expect(failed.map((f) => f.urn)).to.deep.equal(["urn:pulumi:pr-7::workloads::aws:sqs/queue:Queue::pr-7-processing"]);
        expect(failed[0].message).to.contain("AccessDenied");
        expect((error as Error).message).to.contain("pr-7-processing");
        expect(await engine().stackExists(PR)).to.equal(true);
    });

    it("maps a locked stack to StackLockedError, which the driver's retry rides out", async function () {
        await engine().up(PR);
        scenario = "locked:1";
        const error = await engine().up(PR).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(StackLockedError);
        expect((error as Error).message).to.contain("workloads/pr-7 is locked");

        scenario = "locked:2";
        fs.rmSync(path.join(root, ".fake-state", "stacks.json"));
        const retried: number[] = [];
        const result = await retryWhileLocked(() => engine().up(PR), { attempts: 3, initialDelayMs: 1, sleep: async () => undefined, onRetry: (_e, attempt) => retried.push(attempt) });
        expect(retried).to.deep.equal([1, 2]);
        expect(result.counts.create).to.equal(4);
    });

    it("interrupts the CLI with SIGINT when the operation is aborted", async function () {
        await engine().up(PR);
        scenario = "hang";
        const controller = new AbortController();
        const running = engine().up(PR, { signal: controller.signal }).catch((e: unknown) => e);
        await waitFor(() => invocations().some((i) => i.event === "waiting for a signal"));
        controller.abort();
        const error = await running;
        expect(error).to.be.instanceOf(OperationCancelledError);
        expect(invocations().map((i) => i.event)).to.include("received SIGINT");
    });

    it("cancels a running update with `pulumi cancel`", async function () {
        await engine().up(PR);
        await engine().cancel(PR);
        expect(one("cancel").argv).to.include.members(["--yes", "--stack", "pr-7"]);
    });

    it("destroys, then removes the stack", async function () {
        await engine().up(PR);
        const destroyed = await engine().destroy(PR);
        expect(destroyed.counts.delete).to.equal(4);
        expect(one("destroy").argv.slice(0, 3)).to.deep.equal(["destroy", "--yes", "--skip-preview"]);
        await engine().removeStack(PR);
        expect(one("stack rm").argv).to.deep.equal(["stack", "rm", "--yes", "pr-7", "--non-interactive"]);
        expect(await engine().stackExists(PR)).to.equal(false);
        const error = await engine().destroy(PR).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(StackNotFoundError);
    });

    it("lists stacks with last update, creation time and resource count", async function () {
        await engine().up(PR);
        const [summary] = await engine().listStacks("workloads");
        expect(summary.ref).to.deep.equal(PR);
        expect(summary.resourceCount).to.equal(4);
        expect(summary.lastUpdate).to.be.instanceOf(Date);
        expect(summary.createdAt).to.be.instanceOf(Date);
        expect(commands().filter((c) => c.startsWith("stack ls"))).to.include("stack ls --json --non-interactive");
    });

    it("reads the accounts a stack deploys into from its exported state", async function () {
        expect(await engine().deploymentAccounts(PR)).to.deep.equal([]);
        await engine().up(PR);
        expect(await engine().deploymentAccounts(PR)).to.deep.equal(["111111111111"]);
    });

    it("fully qualifies stack names when an org is configured", async function () {
        await engine({ stackOrg: "organization" }).up(PR);
        expect(commands()[0]).to.equal("stack select --stack organization/workloads/pr-7 --non-interactive");
        const up = one("up ");
        expect(up.argv[up.argv.indexOf("--stack") + 1]).to.equal("organization/workloads/pr-7");
    });
});

describe("npm run pr through the Automation API engine and the stand-in", function () {
    let root: string;
    let log: string;

    beforeEach(function () {
        fs.chmodSync(path.join(FAKE_ROOT, "bin", "pulumi"), 0o755);
        root = fs.mkdtempSync(path.join(os.tmpdir(), "pr-automation-"));
        for (const layer of ["platform", "workloads"]) {
            fs.mkdirSync(path.join(root, layer));
        }
        fs.writeFileSync(
            path.join(root, "workloads", "Pulumi.pr.yaml"),
            "config:\n  workloads:deploymentRoleArn: arn:aws:iam::111111111111:role/payments-deployment\n  workloads:imageTag: 1.0.0\n",
        );
        // platform/test exists in the backend with the outputs the driver reads.
        const test = { resources: [], outputs: { accountId: "111111111111", domainName: "test.payments.example.com", kubeconfig: "apiVersion: v1" }, secretOutputs: ["kubeconfig"], history: [] };
        fs.mkdirSync(path.join(root, ".fake-state"));
        fs.writeFileSync(path.join(root, ".fake-state", "stacks.json"), JSON.stringify({ stacks: { "platform/test": test }, counters: {} }));
        log = path.join(root, "pulumi-invocations.jsonl");
    });
    afterEach(function () {
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("brings a PR environment up and down with the guard fed from the backend", async function () {
        const engine = new AutomationApiEngine({
            repoRoot: root,
            pulumiRoot: FAKE_ROOT,
            skipVersionCheck: true,
            env: { FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: path.join(root, ".fake-state") },
        });
        let out = "";
        const io = { stdout: (t: string) => void (out += t), stderr: () => undefined, env: {} };
        const context = { engine, repoRoot: root, lockRetry: { attempts: 1 } };

        expect(await runPrCli(["up", "--pr", "7", "--sha", "abc1234"], io, context)).to.equal(0);
        expect(out).to.contain("PR environment pr-7: succeeded").and.to.contain("**URL:** https://pr-7.test.payments.example.com");
        expect(out).to.contain("| `databasePassword` | [secret] |").and.not.to.contain("hunter2");
        expect(fs.readFileSync(path.join(root, "workloads", "Pulumi.pr-7.yaml"), "utf8")).to.contain("workloads:imageTag: abc1234");

        expect(await runPrCli(["down", "--pr", "7"], io, context)).to.equal(0);
        expect(await runPrCli(["down", "--pr", "7"], io, context)).to.equal(0);

        const calls = fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Invocation).filter((i) => i.event === undefined);
        const at = (layer: string) => calls.filter((c) => c.cwd === path.join(root, layer)).map((c) => c.argv.slice(0, 2).join(" "));
        expect(at("platform")).to.include("stack output");
        expect(at("workloads")).to.include.members(["up --yes", "stack export", "destroy --yes", "stack rm"]);
        expect(calls.filter((c) => c.argv[0] === "destroy")).to.have.length(1);
    });

    it("refuses to destroy a PR stack whose recorded provider deploys outside the test account", async function () {
        const state = path.join(root, ".fake-state", "stacks.json");
        const seeded = JSON.parse(fs.readFileSync(state, "utf8")) as { stacks: Record<string, unknown> };
        fs.writeFileSync(state, JSON.stringify({ ...seeded, stacks: { ...seeded.stacks, "workloads/pr-9": { resources: [], outputs: {}, secretOutputs: [], history: [] } } }));
        const engine = new AutomationApiEngine({
            repoRoot: root,
            pulumiRoot: FAKE_ROOT,
            skipVersionCheck: true,
            env: { FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: path.join(root, ".fake-state"), FAKE_PULUMI_ACCOUNT: "444444444444" },
        });
        // The stack's recorded provider says prod's account: seed it through one unguarded up.
        await engine.up({ project: "workloads", stack: "pr-9" });
        let err = "";
        const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), env: {} };
        expect(await runPrCli(["down", "--pr", "9"], io, { engine, repoRoot: root })).to.equal(2);
        expect(err).to.contain("444444444444").and.to.contain("not the test account 111111111111");
        const destroys = fs.readFileSync(log, "utf8").split("\n").filter((line) => line.includes('"argv":["destroy"'));
        expect(destroys).to.deep.equal([]);
    });
});

async function waitFor(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(condition(), "condition never became true").to.equal(true);
}

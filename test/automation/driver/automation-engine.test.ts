import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { runPrCli } from "../../../automation/cli/pr";
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
import { FAIL_URN_ENV } from "../../../automation/driver/offline-changes";
import { retryWhileLocked } from "../../../automation/driver/retry";
import { REPO_ROOT } from "../../../lib/repository";

/** The faithful stand-in CLI: it runs the program through the offline engine and the policy pack. */
const STAND_IN = path.join(REPO_ROOT, "test", "fixtures", "pulumi-cli");
/** A small `workloads` program (a provider, a queue, a log group; config picks the case). */
const PROGRAM = path.join(REPO_ROOT, "test", "fixtures", "automation-engine");
const PR: StackRef = { project: "workloads", stack: "pr-7" };
const QUEUE_URN = "urn:pulumi:pr-7::workloads::aws:sqs/queue:Queue::pr-7-processing";

/** The PR stack's whole configuration, as the driver passes it (the template with this PR's values). */
const CONFIG = {
    "aws:region": "us-east-1",
    "workloads:deploymentRoleArn": "arn:aws:iam::111111111111:role/payments-pr-deployment",
    "workloads:imageTag": "abc1234",
    "workloads:databasePassword": { secure: "offline-secret-hunter2" },
};

interface Invocation {
    argv: string[];
    cwd: string;
    env: Record<string, string>;
}

/** A process that stands for another runner's update: it holds a stack lock until told to stop. */
function otherUpdate(): { process: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ["-e", "process.on('SIGINT', () => process.exit(130)); setInterval(() => undefined, 1000)"], {
        stdio: "ignore",
    });
    return { process: child, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

describe("AutomationApiEngine against the stand-in pulumi CLI", function () {
    this.timeout(180_000);
    let root: string;
    let state: string;
    let log: string;
    const extraEnv: Record<string, string> = {};

    function engine(options: { stackOrg?: string } = {}): AutomationApiEngine {
        return new AutomationApiEngine({
            repoRoot: root,
            pulumiRoot: STAND_IN,
            backendUrl: "s3://payments-pulumi-state",
            secretsProvider: "awskms://alias/payments-pulumi",
            stackOrg: options.stackOrg,
            env: { FAKE_PULUMI_STATE: state, FAKE_PULUMI_LOG: log, ...extraEnv },
        });
    }

    function invocations(): Invocation[] {
        return fs.existsSync(log)
            ? fs
                  .readFileSync(log, "utf8")
                  .trim()
                  .split("\n")
                  .map((line) => JSON.parse(line) as Invocation)
            : [];
    }

    function commands(): string[] {
        return invocations().map((i) => i.argv.join(" "));
    }

    function one(prefix: string): Invocation {
        const found = invocations().filter((i) => i.argv.join(" ").startsWith(prefix));
        expect(found, `exactly one "${prefix}" in:\n${commands().join("\n")}`).to.have.length(1);
        return found[0];
    }

    const lockFile = () => path.join(state, "organization", "workloads", "pr-7.lock");
    const record = () =>
        JSON.parse(fs.readFileSync(path.join(state, "organization", "workloads", "pr-7.json"), "utf8")) as {
            resources: { urn: string }[];
            updates: { kind: string; result: string }[];
        };

    /** A fresh checkout as the Automation API sees it, with its own backend state and invocation log. */
    function newRoot(): void {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "automation-engine-"));
        for (const layer of ["foundation", "platform", "workloads"]) {
            fs.mkdirSync(path.join(root, layer));
        }
        fs.copyFileSync(path.join(PROGRAM, "Pulumi.yaml"), path.join(root, "workloads", "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(root, "workloads", "index.ts"),
            `module.exports = require(${JSON.stringify(path.join(PROGRAM, "index.ts"))});\n`,
        );
        fs.symlinkSync(path.join(REPO_ROOT, "policy-pack"), path.join(root, "policy-pack"));
        state = path.join(root, ".pulumi-state");
        log = path.join(root, "pulumi-invocations.jsonl");
    }

    // One real `up` of pr-7, whose backend state and stack file the cases that need a deployed stack start from.
    let deployedRoot: string;
    before(async function () {
        newRoot();
        deployedRoot = root;
        await engine().up(PR, { config: CONFIG });
    });
    after(function () {
        fs.rmSync(deployedRoot, { recursive: true, force: true });
    });

    /** pr-7 as that `up` left it, in this case's backend. */
    function deployed(): void {
        fs.cpSync(path.join(deployedRoot, ".pulumi-state"), state, { recursive: true });
        fs.copyFileSync(path.join(deployedRoot, "workloads", "Pulumi.pr-7.yaml"), path.join(root, "workloads", "Pulumi.pr-7.yaml"));
    }

    beforeEach(function () {
        newRoot();
        for (const key of Object.keys(extraEnv)) {
            delete extraEnv[key];
        }
    });

    afterEach(function () {
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("creates the stack in the layer's workspace and runs up with the policy pack, the backend and the config", async function () {
        const result = await engine().up(PR, { config: CONFIG });

        expect(commands().slice(0, 2)).to.deep.equal([
            "stack select --stack pr-7 --non-interactive",
            "stack init pr-7 --secrets-provider awskms://alias/payments-pulumi --non-interactive",
        ]);
        const up = one("up ");
        expect(up.argv.slice(0, 3)).to.deep.equal(["up", "--yes", "--skip-preview"]);
        expect(up.argv[up.argv.indexOf("--policy-pack") + 1]).to.equal(path.join(root, "policy-pack"));
        expect(up.argv[up.argv.indexOf("--policy-pack-config") + 1]).to.equal(path.join(root, "policy-pack", "config", "pr.json"));
        expect(up.argv[up.argv.indexOf("--stack") + 1]).to.equal("pr-7");
        // A current CLI streams engine events to the Automation API's gRPC server.
        expect(up.argv[up.argv.indexOf("--event-log") + 1]).to.match(/^tcp:\/\/127\.0\.0\.1:\d+$/);
        expect(up.cwd).to.equal(path.join(root, "workloads"));
        expect(up.env.PULUMI_BACKEND_URL).to.equal("s3://payments-pulumi-state");
        expect(up.env.PULUMI_SKIP_UPDATE_CHECK).to.equal("true");

        // The program ran with the config the workspace wrote to the stack file.
        expect(fs.readFileSync(path.join(root, "workloads", "Pulumi.pr-7.yaml"), "utf8")).to.contain("workloads:imageTag: abc1234");
        expect(result.outputs.imageTag).to.deep.equal({ value: "abc1234", secret: false });
        expect(result.outputs.url).to.deep.equal({ value: "https://pr-7.test.payments.example.com", secret: false });
        expect(result.outputs.databasePassword.secret).to.equal(true);
        expect(JSON.stringify(result)).not.to.contain("hunter2");

        // Stack, provider, queue, log group: each a create event the adapter parsed.
        expect(result.counts.create).to.equal(4);
        expect(result.changes.map((c) => c.op)).to.deep.equal(["create", "create", "create", "create"]);
        expect(result.changes.map((c) => c.urn)).to.include(QUEUE_URN);
        expect(result.resourceCount).to.equal(4);
        // Advisory findings do not stop an update; they come back with it.
        expect(result.policyViolations.map((v) => `${v.enforcementLevel} ${v.policy}`).sort()).to.deep.equal([
            "advisory logs-kms",
            "advisory logs-retention",
        ]);
    });

    it("reports a second up of the same program and config as changing nothing", async function () {
        deployed();
        const second = await engine().up(PR);
        expect(isNoOp(second.counts)).to.equal(true);
        expect(second.counts.same).to.equal(4);
        expect(
            commands().filter((c) => c.startsWith("stack init")),
            "the existing stack is selected, not created",
        ).to.deep.equal([]);
    });

    it("previews with the policy pack and parses its events into violations", async function () {
        deployed();
        const preview = await engine().preview(PR, { config: { ...CONFIG, "workloads:unencrypted": "true" } });
        expect(one("preview ").argv[one("preview ").argv.indexOf("--policy-pack") + 1]).to.equal(path.join(root, "policy-pack"));
        expect(preview.policyViolations).to.deep.include({
            policy: "sqs-encryption",
            enforcementLevel: "mandatory",
            urn: QUEUE_URN,
            message: "Queue pr-7-processing sets neither kmsMasterKeyId nor sqsManagedSseEnabled.",
        });
        expect(preview.policyViolations.filter((v) => v.enforcementLevel === "advisory").map((v) => v.policy)).to.include("logs-retention");
        expect(preview.changes.find((c) => c.urn === QUEUE_URN)?.op).to.equal("update");
    });

    it("turns an up stopped by a mandatory policy into PolicyViolationError, changing nothing", async function () {
        const error = await engine()
            .up(PR, { config: { ...CONFIG, "workloads:unencrypted": "true" } })
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(PolicyViolationError);
        expect((error as PolicyViolationError).violations.map((v) => v.policy)).to.deep.equal(["sqs-encryption"]);
        expect(record().resources).to.deep.equal([]);
    });

    it("names the failed resources of a failed up and keeps the stack", async function () {
        extraEnv[FAIL_URN_ENV] = "pr-7-processing$";
        const error = await engine()
            .up(PR, { config: CONFIG })
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UpdateFailedError);
        const failed = (error as UpdateFailedError).failedResources;
        expect(failed.map((f) => f.urn)).to.deep.equal([QUEUE_URN]);
        expect(failed[0].message).to.contain("injected failure");
        expect(await engine().stackExists(PR)).to.equal(true);
        expect(record().resources.map((r) => r.urn)).not.to.include(QUEUE_URN);
    });

    it("maps a stack locked by another update to StackLockedError, which the driver's retry rides out once that update is gone", async function () {
        deployed();
        const other = otherUpdate();
        try {
            fs.writeFileSync(
                lockFile(),
                JSON.stringify({ pid: other.process.pid, host: os.hostname(), operation: "up", startedAt: new Date().toISOString() }),
            );
            const error = await engine()
                .up(PR)
                .catch((e: unknown) => e);
            expect(error).to.be.instanceOf(StackLockedError);
            expect((error as Error).message).to.contain("workloads/pr-7 is locked");

            const retried: number[] = [];
            const result = await retryWhileLocked(() => engine().up(PR), {
                attempts: 3,
                initialDelayMs: 1,
                sleep: async () => undefined,
                // The other runner finishes; its lock, left behind, is stale and taken over.
                onRetry: (_e, attempt) => {
                    retried.push(attempt);
                    other.process.kill("SIGKILL");
                },
            });
            await other.exited;
            expect(retried).to.deep.equal([1]);
            expect(result.counts.same).to.equal(4);
        } finally {
            other.process.kill("SIGKILL");
        }
    });

    it("interrupts the CLI with SIGINT when the operation is aborted: the update stops and releases its lock", async function () {
        deployed();
        const controller = new AbortController();
        const running = engine()
            .up(PR, { config: { ...CONFIG, "workloads:delaySeconds": "5" }, signal: controller.signal })
            .catch((e: unknown) => e);
        await waitFor(() => fs.existsSync(lockFile()));
        controller.abort();
        const error = await running;
        expect(error).to.be.instanceOf(OperationCancelledError);
        expect(fs.existsSync(lockFile()), "the interrupted update released its lock").to.equal(false);
        expect(record().updates.map((u) => u.kind)).to.deep.equal(["up"]);
    });

    it("cancels the update holding the stack's lock with `pulumi cancel`", async function () {
        deployed();
        const other = otherUpdate();
        fs.writeFileSync(
            lockFile(),
            JSON.stringify({ pid: other.process.pid, host: os.hostname(), operation: "up", startedAt: new Date().toISOString() }),
        );
        await engine().cancel(PR);
        expect(one("cancel").argv).to.include.members(["--yes", "--stack", "pr-7"]);
        expect(await other.exited).to.equal(130);
        expect(fs.existsSync(lockFile())).to.equal(false);
    });

    it("destroys, then removes the stack", async function () {
        deployed();
        const destroyed = await engine().destroy(PR);
        expect(destroyed.counts.delete).to.equal(4);
        expect(one("destroy").argv.slice(0, 3)).to.deep.equal(["destroy", "--yes", "--skip-preview"]);
        await engine().removeStack(PR);
        expect(one("stack rm").argv).to.deep.equal(["stack", "rm", "--yes", "pr-7", "--non-interactive"]);
        expect(await engine().stackExists(PR)).to.equal(false);
        const error = await engine()
            .destroy(PR)
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(StackNotFoundError);
    });

    it("lists stacks with last update, creation time and resource count", async function () {
        deployed();
        const [summary] = await engine().listStacks("workloads");
        expect(summary.ref).to.deep.equal(PR);
        expect(summary.resourceCount).to.equal(4);
        expect(summary.lastUpdate).to.be.instanceOf(Date);
        expect(summary.createdAt).to.be.instanceOf(Date);
        expect(summary.updateInProgress).to.equal(false);
        expect(commands()).to.include("stack ls --json --non-interactive");
    });

    it("reads the accounts a stack deploys into from its exported state", async function () {
        expect(await engine().deploymentAccounts(PR)).to.deep.equal([]);
        deployed();
        expect(await engine().deploymentAccounts(PR)).to.deep.equal(["111111111111"]);
    });

    it("fully qualifies stack names when an org is configured", async function () {
        await engine({ stackOrg: "acme" }).up(PR, { config: CONFIG });
        expect(commands()[0]).to.equal("stack select --stack acme/workloads/pr-7 --non-interactive");
        const up = one("up ");
        expect(up.argv[up.argv.indexOf("--stack") + 1]).to.equal("acme/workloads/pr-7");
        expect(await engine({ stackOrg: "acme" }).stackExists(PR)).to.equal(true);
    });

    /** platform/test as the backend keeps it: its account is the only one a PR stack may deploy into. */
    function seedPlatformTest(): void {
        fs.writeFileSync(path.join(root, "platform", "Pulumi.yaml"), "name: platform\nruntime: nodejs\n");
        fs.writeFileSync(path.join(root, "platform", "index.ts"), "export {};\n");
        fs.mkdirSync(path.join(state, "organization", "platform"), { recursive: true });
        const outputs = { accountId: "111111111111", domainName: "test.payments.example.com" };
        const platformRecord = {
            project: "platform",
            stack: "test",
            createdAt: new Date().toISOString(),
            config: {},
            resources: [],
            outputs,
            updates: [],
        };
        fs.writeFileSync(path.join(state, "organization", "platform", "test.json"), JSON.stringify(platformRecord));
    }

    it("npm run pr -- up: signals while another runner's update holds the lock end the wait, and never run `pulumi cancel` (#17 item 1)", async function () {
        seedPlatformTest();
        const template = Object.entries(CONFIG)
            .filter(([, value]) => typeof value === "string")
            .map(([key, value]) => `  ${key}: ${String(value)}`);
        fs.writeFileSync(path.join(root, "workloads", "Pulumi.pr.yaml"), `config:\n${template.join("\n")}\n`);
        deployed();
        const other = otherUpdate();
        try {
            const holder = JSON.stringify({
                pid: other.process.pid,
                host: os.hostname(),
                operation: "up",
                startedAt: new Date().toISOString(),
            });
            fs.writeFileSync(lockFile(), holder);
            const signals = new EventEmitter();
            let logs = "";
            const io = { stdout: () => undefined, stderr: (t: string) => void (logs += t), env: {} };
            const context = {
                engine: engine(),
                repoRoot: root,
                signals,
                log: (t: string) => void (logs += t),
                lockRetry: { timeoutMs: 120_000, initialDelayMs: 30_000 },
            };
            const running = runPrCli(["up", "--pr", "7", "--sha", "0123abc"], io, context);
            await waitFor(
                () => logs.includes("retry 1"),
                () => logs,
            );
            signals.emit("SIGINT");
            signals.emit("SIGTERM");
            expect(await running, logs).to.equal(1);
            expect(logs).to.contain("nothing was changed");
            expect(
                commands().filter((c) => c.startsWith("cancel")),
                "no pulumi cancel of another runner's update",
            ).to.deep.equal([]);
            expect(other.process.exitCode, "the other update still runs").to.equal(null);
            expect(fs.readFileSync(lockFile(), "utf8")).to.equal(holder);
        } finally {
            other.process.kill("SIGKILL");
        }
    });

    it("npm run pr -- down refuses a PR stack whose recorded provider deploys outside the test account", async function () {
        seedPlatformTest();
        const prod = { ...CONFIG, "workloads:deploymentRoleArn": "arn:aws:iam::444444444444:role/payments-deployment" };
        await engine().up({ project: "workloads", stack: "pr-9" }, { config: prod });

        let err = "";
        const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), env: {} };
        expect(await runPrCli(["down", "--pr", "9"], io, { engine: engine(), repoRoot: root }), err).to.equal(2);
        expect(err).to.contain("444444444444").and.to.contain("not the test account 111111111111");
        expect(commands().filter((c) => c.startsWith("destroy"))).to.deep.equal([]);
        expect(await engine().stackExists({ project: "workloads", stack: "pr-9" })).to.equal(true);
    });
});

async function waitFor(condition: () => boolean, seen: () => string = () => ""): Promise<void> {
    for (let i = 0; i < 1200 && !condition(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(condition(), `condition never became true; seen:\n${seen()}`).to.equal(true);
}

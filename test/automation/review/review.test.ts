import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planEnvironments } from "../../../automation/plan/plan";
import { REPO_ROOT } from "../../../lib/repository";
import { COMMENT_LIMIT, renderReviewMarkdown } from "../../../automation/review/markdown";
import { ChangeReview, reviewChange, reviewExitCode } from "../../../automation/review/review";
import { planBase } from "../../../automation/review/revision";

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "review");
const ENVS = ["prod"];
/** The fixture repository is one project, `workloads`, with one stack per environment. */
const plan = (envs: string[], root: string) => planEnvironments(envs, root, (env) => [{ project: "workloads", stack: env }]);

function git(repo: string, ...args: string[]): string {
    return execFileSync("git", ["-c", "user.name=fixture", "-c", "user.email=fixture@example.com", ...args], {
        cwd: repo,
        encoding: "utf8",
    }).trim();
}

/** Lays `revision`'s files into the fixture repository's project folder and commits them. */
function commit(repo: string, revision: "base" | "head"): void {
    const project = path.join(repo, "workloads");
    fs.mkdirSync(project, { recursive: true });
    fs.copyFileSync(path.join(FIXTURE, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    for (const file of fs.readdirSync(path.join(FIXTURE, revision))) {
        fs.copyFileSync(path.join(FIXTURE, revision, file), path.join(project, file));
    }
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", revision);
}

describe("change review (npm run plan -- --base) on a fixture repository with two commits", function () {
    this.timeout(600_000);
    let repo: string;
    let review: ChangeReview;
    let head: Awaited<ReturnType<typeof plan>>;

    const changeOf = (name: string) => review.stacks[0].changes.find((c) => c.name === name);
    const headlines = () => review.dangers.map((d) => d.headline);

    before(async () => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "review-fixture-"));
        git(repo, "init", "-q");
        fs.copyFileSync(path.join(REPO_ROOT, "package-lock.json"), path.join(repo, "package-lock.json"));
        fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
        commit(repo, "base");
        commit(repo, "head");
        head = await plan(ENVS, repo);
        review = reviewChange(await planBase("HEAD~1", ENVS, { repoRoot: repo, plan }), head);
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("reports an added and a removed resource, matched by URN", () => {
        expect(changeOf("added-queue")).to.include({ kind: "add", type: "aws:sqs/queue:Queue" });
        expect(changeOf("old-topic")).to.include({ kind: "remove", type: "aws:sns/topic:Topic" });
    });

    it("shows a changed nested property by its path, matching array items by identity", () => {
        expect(changeOf("archive")?.kind).to.equal("change");
        const lifecycle = review.stacks[0].changes.find(
            (c) => c.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        )!;
        expect(lifecycle.properties).to.deep.equal([{ path: "rules[id=expire].expiration.days", before: 30, after: 90 }]);
    });

    it("shows a rename as remove + add, flagged as kept by aliases or as needing them", () => {
        expect(changeOf("jobs")).to.include({ kind: "remove" });
        expect(changeOf("jobs-v2")).to.include({ kind: "add" });
        expect(changeOf("jobs-v2")!.rename).to.include({ keptByAlias: false });
        expect(changeOf("events-v2")!.rename).to.include({ keptByAlias: true, from: changeOf("events")!.urn });
    });

    it("matches a renamed resource's violations across the rename: neither introduced nor fixed", () => {
        const { introduced, fixed } = review.stacks[0].policy;
        for (const [from, to] of [
            ["jobs", "jobs-v2"],
            ["events", "events-v2"],
        ]) {
            const urns = [changeOf(from)!.urn, changeOf(to)!.urn];
            const onRenamed = head.docs[0].stacks[0].violations.filter((v) => v.urn === urns[1]);
            expect(onRenamed, `${to} breaks a policy as ${from} did`).not.to.deep.equal([]);
            expect(
                [...introduced, ...fixed].filter((v) => urns.includes(v.urn ?? "")),
                `${from} -> ${to}`,
            ).to.deep.equal([]);
        }
        // A really new resource's violations are still introduced.
        expect(introduced.some((v) => v.urn === changeOf("added-queue")!.urn)).to.equal(true);
    });

    it("shows a changed secret as [secret] on both sides", () => {
        expect(changeOf("api-key")!.properties).to.deep.equal([{ path: "value", before: "[secret]", after: "[secret]" }]);
        expect(JSON.stringify(review)).not.to.include("offline-secret-");
    });

    it("headlines the dangers: the protected table deleted, the added IAM statement, the group opened to anywhere, the change in prod", () => {
        expect(headlines()).to.include("workloads/prod: deletes protected Table ledger");
        const statements = review.dangers.find((d) => d.kind === "policy-statements")!;
        expect(statements.statements).to.deep.equal({
            added: [{ Action: "s3:PutObject", Effect: "Allow", Resource: "arn:aws:s3:::archive/*", Sid: "Write" }],
            removed: [],
        });
        expect(headlines().some((h) => /security group web opens tcp 443 to 0\.0\.0\.0\/0 \(anywhere\)/.test(h))).to.equal(true);
        expect(headlines().some((h) => h.startsWith("workloads/prod: changes prod"))).to.equal(true);
        // A queue holds messages: renamed without aliases it is deleted; with them it is kept.
        expect(headlines()).to.include("workloads/prod: deletes stateful Queue jobs (looks renamed to jobs-v2: add aliases to keep it)");
        expect(headlines().some((h) => h.includes("Queue events"))).to.equal(false);
    });

    it("reports the cost increase with the resource that causes it", () => {
        const estimate = review.environments[0].estimate!;
        expect(estimate.after.monthlyUsd).to.be.greaterThan(estimate.before.monthlyUsd);
        expect(estimate.causes[0].urn).to.match(/aws:rds\/instance:Instance::db$/);
        expect(estimate.causes[0].monthlyUsdDelta).to.be.greaterThan(0);
    });

    it("exits 1 only when a mandatory violation is introduced, or on danger with --fail-on-danger", () => {
        expect(reviewExitCode(review, false)).to.equal(review.summary.mandatoryIntroduced > 0 ? 1 : 0);
        expect(reviewExitCode(review, true)).to.equal(1);
        expect(
            reviewExitCode({ ...review, summary: { ...review.summary, mandatoryIntroduced: 0, failingFlowsIntroduced: 0 } }, false),
        ).to.equal(0);
    });

    it("renders a compact PR comment that stays under GitHub's limit, pointing to the artifact when cut", () => {
        const markdown = renderReviewMarkdown(review);
        expect(markdown).to.include("danger(s)").and.to.include("| `workloads/prod` |").and.to.include("<details>");
        const cut = renderReviewMarkdown(review, "[the run's artifacts](https://example.invalid/run)", 2_500);
        expect(cut.length).to.be.at.most(2_500);
        expect(cut).to.include("the full review is in [the run's artifacts](https://example.invalid/run)");
        expect(markdown.length).to.be.at.most(COMMENT_LIMIT);
    });

    it("gives an empty, friendly result when nothing changed", async () => {
        const same = reviewChange(await planBase("HEAD", ENVS, { repoRoot: repo, plan }), await plan(ENVS, repo));
        expect(same.summary).to.include({ add: 0, remove: 0, change: 0, dangers: 0 });
        expect(renderReviewMarkdown(same)).to.include("No changes: prod plan exactly as at `HEAD`");
        expect(reviewExitCode(same, true)).to.equal(0);
    });

    it("names a base that is no commit as a usage error and leaves no worktree behind", async () => {
        let error: unknown;
        try {
            await planBase("no-such-ref", ENVS, { repoRoot: repo, plan });
        } catch (e) {
            error = e;
        }
        expect(error).to.have.property("name", "PlanUsageError");
        expect(git(repo, "worktree", "list").split("\n")).to.have.length(1);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const WORKFLOWS = path.resolve(__dirname, "..", "..", ".github", "workflows");
const load = (file: string): any => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));

describe("change review on pull requests", () => {
    it("reviews every PR, forks included, against its base with read-only access, and uploads the review", () => {
        const job = load("pull-request.yml").jobs["change-review"];
        expect(job.if).to.equal(undefined);
        expect(job.permissions).to.deep.equal({ contents: "read" });
        expect(JSON.stringify(job)).not.to.include("secrets.");
        const checkout = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("actions/checkout@"));
        expect(checkout.with).to.include({ "fetch-depth": 0, "persist-credentials": false });
        const review = job.steps.find((s: { run?: string }) => s.run?.includes("--base"));
        expect(review.run).to.include('plan -- --env all --base "$BASE_SHA" --out change-review.json --markdown change-review.md');
        expect(review.env.BASE_SHA).to.equal("${{ github.event.pull_request.base.sha }}");
        const upload = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("actions/upload-artifact@"));
        expect(upload.if).to.equal("always()");
        expect(upload.with.name).to.equal("change-review");
        expect(upload.with.path).to.include("change-review.json").and.to.include("change-review.md");
    });

    it("posts one comment per PR from the repository's context, without running the PR's code", () => {
        const workflow = load("change-review-comment.yml");
        expect(workflow.on).to.deep.equal({ workflow_run: { workflows: ["pull-request"], types: ["completed"] } });
        const job = workflow.jobs.comment;
        expect(job.permissions).to.deep.equal({ actions: "read", "pull-requests": "write" });
        const uses = job.steps.map((s: { uses?: string }) => s.uses ?? "");
        expect(uses.some((u: string) => u.startsWith("actions/checkout@"))).to.equal(false);
        expect(job.steps.some((s: { run?: string }) => s.run !== undefined)).to.equal(false);
        const download = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("actions/download-artifact@"));
        expect(download.with).to.include({ name: "change-review", "run-id": "${{ github.event.workflow_run.id }}" });
        const script: string = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("actions/github-script@")).with.script;
        // The PR comes from the API by the reviewed commit, never from the artifact PR code wrote.
        expect(script).to.include("p.head.sha === headSha").and.to.include("updateComment").and.to.include("<!-- change-review -->");
        expect(script).not.to.match(/readFileSync\([^)]*(number|pr)/i);
    });
});

import { expect } from "chai";
import { estimateCapacity } from "../../../plan-model/estimates/capacity";
import { renderCapacityMarkdown, renderEstimates } from "../../../plan-model/estimates";
import { QUOTAS } from "../../../plan-model/estimates/quotas";
import type { PlanDocument, PlannedStack } from "../../../plan-model/types";
import { planOf } from "../../harness";
import { resource } from "./fixtures";

const stackOf = (doc: PlanDocument, project: string, stack: string) => doc.stacks.find((s) => s.project === project && s.stack === stack)!;

describe("capacity of the test platform for live PR environments", function () {
    let doc: PlanDocument;
    before(async () => {
        doc = await planOf("pr-42");
    });

    it("holds at least 200 live PRs in the plan JSON, and names what limits it", () => {
        const capacity = doc.estimates!.capacity!;
        expect(capacity.livePullRequests).to.be.at.least(200);
        expect(capacity.limitedBy).to.have.length.at.least(1);
        const first = capacity.rows[0];
        expect(capacity.limitedBy).to.include(first.quota);
        expect(first.fits).to.equal(capacity.livePullRequests);
        expect(capacity.platform).to.equal("platform/test");
        expect(capacity.pullRequestStack).to.equal("workloads/pr-42");
        expect(capacity.unknown).to.deep.equal([]);
    });

    it("has a row for every quota a PR consumes, each with its source, and a PR takes no listener rule, target group or security group", () => {
        const rows = new Map(doc.estimates!.capacity!.rows.map((r) => [r.quota, r]));
        expect([...rows.keys()]).to.have.members(Object.keys(QUOTAS));
        for (const row of rows.values()) expect(row.source, row.quota).to.match(/^https:\/\//);
        for (const quota of ["albRules", "albTargetGroups", "securityGroups", "lambdaVpcEnis", "networkInterfaces"] as const) {
            expect(rows.get(quota)!.perPullRequest, quota).to.equal(0);
            expect(rows.get(quota)!.fits, quota).to.equal(null);
        }
        expect(rows.get("albRules")!.platformFixed).to.be.at.least(1);
        expect(rows.get("lambdaConcurrency")).to.include({ perPullRequest: 2, limit: 1000, limitFrom: "requested" });
        expect(rows.get("postgresConnections")).to.include({ perPullRequest: 2, limit: 856, limitFrom: "derived" });
        expect(rows.get("iamRoles")!.perPullRequest).to.equal(
            stackOf(doc, "workloads", "pr-42").resources.filter((r) => r.type === "aws:iam/role:Role").length,
        );
    });

    it("keeps the PR environment within 5 minutes and $2 a day", () => {
        expect(doc.estimates!.environment.spinUpMinutes).to.be.at.most(5);
        expect(doc.estimates!.environment.dailyUsd).to.be.at.most(2);
    });

    it("prints the ceiling and its first three limits in the text and Markdown outputs", () => {
        const capacity = doc.estimates!.capacity!;
        const text = renderEstimates(doc.estimates!);
        expect(text).to.include(`capacity: ${capacity.livePullRequests} live PR environments on platform/test`);
        for (const row of capacity.rows.slice(0, 3)) expect(text).to.include(`${row.name} ${row.fits}`);
        expect(text).to.not.include(capacity.rows[3].name + " " + String(capacity.rows[3].fits));
        const markdown = renderCapacityMarkdown(capacity);
        expect(markdown).to.include(`**Capacity**: ${capacity.livePullRequests} live PR environments`);
        expect(markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| limit"))).to.have.length(3);
    });

    it("would put the ceiling under 50 with two listener rules and two target groups per PR (the design before the gateway)", () => {
        const pr = stackOf(doc, "workloads", "pr-42");
        const before: PlannedStack = {
            ...pr,
            resources: [
                ...pr.resources,
                resource("api-rule", "aws:lb/listenerRule:ListenerRule", { inputs: { priority: 114 } }, "pr-42"),
                resource("web-rule", "aws:lb/listenerRule:ListenerRule", { inputs: { priority: 115 } }, "pr-42"),
                resource("api", "aws:lb/targetGroup:TargetGroup", {}, "pr-42"),
                resource("web", "aws:lb/targetGroup:TargetGroup", {}, "pr-42"),
            ],
        };
        const capacity = estimateCapacity([stackOf(doc, "platform", "test"), before])!;
        expect(capacity.livePullRequests).to.be.below(50);
        expect(capacity.limitedBy).to.include.members(["albRules", "albTargetGroups"]);
    });

    it("is absent from plans without a PR stack on the test platform", () => {
        expect(estimateCapacity(doc.stacks.filter((s) => s.project !== "workloads"))).to.equal(undefined);
    });
});

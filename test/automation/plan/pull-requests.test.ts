import { expect } from "chai";
import type { PlannedStack } from "../../../automation/engine/types";
import { planPullRequests, PullRequestFleet, sharedResourceConflicts } from "../../../automation/plan/pull-requests";

/** 20 live PRs in the suite (the 200 run in `npm run bench:scale`); 7 and 24957 shared listener priorities under `pr % 24950`. */
const NUMBERS = [7, 24_957, ...Array.from({ length: 18 }, (_, i) => 100 + i * 37)];

describe("many live PR environments on one test platform", function () {
    let fleet: PullRequestFleet;
    let platformTest: PlannedStack;

    before(async () => {
        fleet = await planPullRequests(NUMBERS);
        platformTest = fleet.upstream.find((s) => s.project === "platform" && s.stack === "test")!;
    });

    it(`plans ${NUMBERS.length} PR stacks against one synthesized platform, with no mandatory violation`, () => {
        expect(fleet.pullRequests.map((s) => s.stack)).to.deep.equal(NUMBERS.map((n) => `pr-${n}`));
        expect(fleet.pullRequests.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"))).to.deep.equal([]);
    });

    it("claims no name, hostname, listener priority or port another live PR or the platform holds", () => {
        expect(sharedResourceConflicts([platformTest, ...fleet.pullRequests])).to.deep.equal([]);
    });

    it("lets PR 7 and PR 24957 be live together: neither claims a listener priority, their hosts differ", () => {
        const [seven, other] = fleet.pullRequests;
        for (const stack of [seven, other]) {
            expect(stack.resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule").map((r) => r.name), stack.stack).to.deep.equal([]);
        }
        expect(seven.outputs.publicHostname).to.not.equal(other.outputs.publicHostname);
    });

    it("finds the conflict when two stacks do claim the same thing (the check is not vacuous)", () => {
        const rule = (stack: string, priority: number): PlannedStack => ({
            project: "workloads",
            stack,
            outputs: {},
            violations: [],
            resources: [
                {
                    urn: `urn:pulumi:${stack}::workloads::aws:lb/listenerRule:ListenerRule::rule`,
                    type: "aws:lb/listenerRule:ListenerRule",
                    name: "rule",
                    custom: true,
                    parent: null,
                    provider: null,
                    inputs: { listenerArn: "arn:listener", priority },
                    protect: false,
                    retainOnDelete: false,
                    dependencies: [],
                },
            ],
        });
        expect(sharedResourceConflicts([rule("pr-7", 114), rule("pr-24957", 114)])).to.deep.equal(["priority arn:listener 114: workloads/pr-7, workloads/pr-24957"]);
        // The same PR deployed twice (say, from two branches) collides on its host, names and routes.
        const twice = sharedResourceConflicts([fleet.pullRequests[0], { ...fleet.pullRequests[0], stack: "pr-7-again" }]);
        expect(twice.some((c) => c.startsWith(`hostname ${String(fleet.pullRequests[0].outputs.publicHostname)}`))).to.equal(true);
        expect(twice.some((c) => c.startsWith("name HTTPRoute pr-7/payments"))).to.equal(true);
    });

    it("holds at least 200 live PRs by the capacity model, and says what limits it", () => {
        expect(fleet.capacity).to.not.equal(undefined);
        expect(fleet.capacity!.livePullRequests).to.be.at.least(200);
        expect(fleet.capacity!.limitedBy.length).to.be.at.least(1);
    });
});

import { expect } from "chai";
import { PlanDocument, PlannedStack } from "../../../plan-model/types";
import { estimatePlan } from "../../../plan-model/estimates";
import { comparisonTable } from "../../../automation/estimates/compare";
import { resource, stackOf } from "./fixtures";

const plan = (env: string, stacks: PlannedStack[]): PlanDocument => ({
    env,
    stacks,
    summary: { stacks: stacks.length, resources: 0, mandatory: 0, advisory: 0 },
});

describe("estimates: PR vs full comparison table", () => {
    it("puts the environments side by side with the PR / full ratios", () => {
        const full = plan("test", [stackOf("platform", "test", [resource("cluster", "aws:eks/cluster:Cluster", {}, "test")])]);
        const pr = plan("pr-7", [
            stackOf("platform", "test", [resource("cluster", "aws:eks/cluster:Cluster", {}, "test")]),
            stackOf("workloads", "pr-7", [
                resource("key", "aws:kms/key:Key", {}, "pr-7"),
                resource("queue", "aws:sqs/queue:Queue", {}, "pr-7"),
            ]),
        ]);
        const table = comparisonTable([estimatePlan(pr), estimatePlan(full)]).split("\n");
        expect(table[0]).to.equal("|  | `pr-7` | `test` | pr-7 / test |");
        expect(table).to.include("| spin-up (critical path) | 0.2 min | 10.0 min | 2.0 % |");
        expect(table).to.include("| fixed cost per month | $1.00 | $73.00 | 1.4 % |");
    });
});

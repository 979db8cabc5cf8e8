import { expect } from "chai";
import { evaluateFlows, Flow } from "../../../automation/flows";
import { PlanDocument, PlannedResource } from "../../../plan-model/types";
import { planOf } from "../../harness";

/** The CI trust chain as flows of mgmt's plan (which holds the bootstrap stack's CI roles), and the old one-role design planted back. */
describe("flows: the CI trust chain (GitHub OIDC -> CI role -> account role)", function () {
    this.timeout(300_000);
    let plan: PlanDocument;
    before(async () => {
        plan = await planOf("mgmt");
    });
    const flow = (flows: Flow[], id: string): Flow => {
        const found = flows.find((f) => f.id === id);
        expect(found, id).to.not.equal(undefined);
        return found!;
    };
    const roleNamed = (doc: PlanDocument, name: string, account?: string): PlannedResource =>
        doc.stacks
            .flatMap((s) => s.resources)
            .find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === name && (account === undefined || r.account === account))!;

    it("proves pull_request -> mgmt-ci-pr -> payments-pr-deployment (test), and no way from a pull request to prod", () => {
        expect(plan.stacks.map((s) => `${s.project}/${s.stack}`)).to.include("payments-bootstrap/mgmt");
        const flows = evaluateFlows(plan);
        expect(flows.filter((f) => f.result !== "proven").map((f) => `${f.id}: ${f.because}`)).to.deep.equal([]);
        expect(flow(flows, "identity:GitHub token (pull_request) -> role mgmt-ci-pr: sts:AssumeRoleWithWebIdentity").expect).to.equal(
            "allowed",
        );
        expect(flow(flows, "identity:role mgmt-ci-pr -> role payments-pr-deployment (test): sts:AssumeRole").expect).to.equal("allowed");
        expect(flow(flows, "identity:role mgmt-ci-pr -> role payments-deployment (prod): sts:AssumeRole").expect).to.equal("denied");
        expect(
            flow(flows, "identity:GitHub token (pull_request) -> role mgmt-ci-deploy-prod: sts:AssumeRoleWithWebIdentity").expect,
        ).to.equal("denied");
        expect(flow(flows, "identity:role mgmt-ci-deploy-prod -> role payments-deployment (prod): sts:TagSession").expect).to.equal(
            "allowed",
        );
    });

    it("fails when one CI role is trusted by pull requests and by prod's deployment role (the design #13 replaced)", () => {
        const planted = JSON.parse(JSON.stringify(plan)) as PlanDocument;
        const prCi = roleNamed(planted, "mgmt-ci-pr");
        const prod = roleNamed(
            planted,
            "payments-deployment",
            (planted.stacks.find((s) => s.project === "foundation")!.outputs.accountIds as Record<string, string>).prod,
        );
        const trust = JSON.parse(String(prod.inputs.assumeRolePolicy));
        trust.Statement.push({
            Sid: "Planted",
            Effect: "Allow",
            Principal: { AWS: prCi.arn },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        });
        prod.inputs.assumeRolePolicy = JSON.stringify(trust);
        const policy = planted.stacks
            .flatMap((s) => s.resources)
            .find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "mgmt-ci-pr")!;
        const document = JSON.parse(String(policy.inputs.policy));
        document.Statement.push({
            Sid: "Planted",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: "arn:aws:iam::*:role/payments-deployment",
        });
        policy.inputs.policy = JSON.stringify(document);

        const flows = evaluateFlows(planted);
        expect(flow(flows, "identity:role mgmt-ci-pr -> role payments-deployment (prod): sts:AssumeRole").result).to.equal("failing");
    });
});

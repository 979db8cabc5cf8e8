import { expect } from "chai";
import { evaluateFlows, Flow } from "../../../automation/flows";
import { PlanDocument, PlannedResource } from "../../../plan-model/types";
import { planOf } from "../../harness";

/**
 * The PR trust flows (automation/flows/pr-trust-flows.ts) on the real pr-42 plan, and each bug they
 * exist for planted back into a copy: the flow naming it must fail there.
 */
describe("flows: the PR trust level (boundary, PR provisioner, PR deployment role)", function () {
    this.timeout(300_000);
    let plan: PlanDocument;

    before(async () => {
        plan = await planOf("pr-42");
    });

    const copy = () => JSON.parse(JSON.stringify(plan)) as PlanDocument;
    const stack = (doc: PlanDocument, project: string, name: string) => doc.stacks.find((s) => s.project === project && s.stack === name)!;
    const resource = (doc: PlanDocument, type: string, name: string): PlannedResource => {
        const found = doc.stacks.flatMap((s) => s.resources).find((r) => r.type === type && r.name === name);
        expect(found, `${type} ${name}`).to.not.equal(undefined);
        return found!;
    };
    const flow = (flows: Flow[], pattern: RegExp): Flow => {
        const matching = flows.filter((f) => pattern.test(f.id));
        expect(matching, `one flow matching ${pattern}`).to.have.length(1);
        return matching[0];
    };
    const editPolicy = (r: PlannedResource, key: string, edit: (statements: any[]) => any[]) => {
        const document = JSON.parse(String(r.inputs[key]));
        document.Statement = edit(document.Statement);
        r.inputs[key] = JSON.stringify(document);
    };

    it("proves every PR trust flow on the plan as it is", () => {
        const flows = evaluateFlows(plan).filter((f) =>
            /payments-pr-deployment \(test\)|payments-pr-boundary|role (pr-42|test-pr-provisioner)/.test(f.id),
        );
        expect(flows.length).to.be.greaterThan(40);
        expect(flows.filter((f) => f.result !== "proven").map((f) => `${f.id}: ${f.because}`)).to.deep.equal([]);
        expect(flows.map((f) => f.id)).to.include.members([
            "identity:payments-pr-deployment (test) -> function test-pr-provisioner: lambda:InvokeFunction",
            "identity:payments-pr-deployment (test) -> function test-payments-provisioner: lambda:InvokeFunction",
            "identity:payments-pr-deployment (test) -> the shared database's master secret: secretsmanager:GetSecretValue",
            "identity:payments-pr-deployment (test) -> role pr-42-rogue without a permissions boundary: iam:CreateRole",
            "identity:role test-pr-provisioner -> arn:aws:iam::902105368459:role/test-search-master (granted by ActAsSearchMaster): sts:AssumeRole",
        ]);
    });

    it("fails when a pr-<n> stack creates its own provisioner role without the boundary, holding the master secret (the old bug)", () => {
        const planted = copy();
        const pr = stack(planted, "workloads", "pr-42");
        const worker = resource(planted, "aws:iam/role:Role", "pr-42-payments-worker");
        const secret = (stack(planted, "platform", "test").outputs.sharedData as { postgresSecretArn: string }).postgresSecretArn;
        const rename = (text: string) => text.replace("pr-42-payments-worker", "pr-42-payments-provisioner");
        const inputs: Record<string, unknown> = { ...worker.inputs, name: "pr-42-payments-provisioner" };
        delete inputs.permissionsBoundary;
        const role: PlannedResource = {
            ...worker,
            urn: rename(worker.urn),
            name: "pr-42-payments-provisioner",
            arn: rename(worker.arn!),
            inputs,
        };
        const grant = {
            ...resource(planted, "aws:iam/rolePolicy:RolePolicy", "pr-42-payments-worker"),
            urn: "urn:pulumi:pr-42::workloads::aws:iam/rolePolicy:RolePolicy::pr-42-payments-provisioner",
            name: "pr-42-payments-provisioner",
        };
        grant.inputs = {
            role: "pr-42-payments-provisioner",
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "ReadMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret }],
            }),
        };
        pr.resources.push(role, grant);

        const flows = evaluateFlows(planted);
        expect(flow(flows, /^reference:role pr-42-payments-provisioner -> .*carries the PR permissions boundary$/).result).to.equal(
            "failing",
        );
        expect(
            flow(flows, /^identity:payments-pr-deployment \(test\) -> role pr-42-payments-provisioner: iam:CreateRole$/).result,
        ).to.equal("failing");
        const secretFlows = flows.filter((f) =>
            f.id.startsWith("identity:role pr-42-payments-provisioner -> the shared database's master secret"),
        );
        expect(secretFlows.map((f) => f.result)).to.deep.equal(["failing"]);
    });

    it("fails when the PR deployment role may invoke any function", () => {
        const planted = copy();
        editPolicy(resource(planted, "aws:iam/rolePolicy:RolePolicy", "org-pr-deployment-role"), "policy", (statements) =>
            statements.map((s) => (s.Sid === "InvokeThePlatformsPrProvisioner" ? { ...s, Resource: "arn:aws:lambda:*:*:function:*" } : s)),
        );
        const flows = evaluateFlows(planted);
        expect(
            flow(flows, /^identity:payments-pr-deployment \(test\) -> function test-payments-provisioner: lambda:InvokeFunction$/).result,
        ).to.equal("failing");
    });

    it("fails when the PR deployment role cannot create what a pr-<n> stack declares (its alarm topic: the gap found this round)", () => {
        const before = evaluateFlows(plan);
        for (const action of [
            "sns:CreateTopic",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sqs:CreateQueue",
            "dynamodb:CreateTable",
            "lambda:CreateFunction",
        ]) {
            const creates = before.filter((f) =>
                new RegExp(`^identity:payments-pr-deployment \\(test\\) -> \\S+ pr-42-[^:]*: ${action}$`).test(f.id),
            );
            expect(creates, action).to.not.be.empty;
            expect(
                creates.map((f) => f.result),
                action,
            ).to.deep.equal(creates.map(() => "proven"));
        }
        const planted = copy();
        editPolicy(resource(planted, "aws:iam/rolePolicy:RolePolicy", "org-pr-deployment-role"), "policy", (statements) =>
            statements.map((s) => (s.Sid === "PrNamedResources" ? { ...s, Action: s.Action.filter((a: string) => a !== "sns:*") } : s)),
        );
        const flows = evaluateFlows(planted);
        for (const action of ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe"]) {
            expect(
                flow(flows, new RegExp(`^identity:payments-pr-deployment \\(test\\) -> \\S+ pr-42-[^:]*: ${action}$`)).result,
                action,
            ).to.equal("failing");
        }
        expect(flow(flows, /^identity:payments-pr-deployment \(test\) -> topic test-payments-alarms: sns:Subscribe$/).result).to.equal(
            "proven",
        );
    });

    it("fails when the PR deployment role may again create target groups, listener rules or security groups", () => {
        const planted = copy();
        editPolicy(resource(planted, "aws:iam/rolePolicy:RolePolicy", "org-pr-deployment-role"), "policy", (statements) => [
            ...statements,
            {
                Sid: "Planted",
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup"],
                Resource: "*",
            },
        ]);
        const flows = evaluateFlows(planted);
        for (const action of ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateRule", "ec2:CreateSecurityGroup"]) {
            expect(flow(flows, new RegExp(`^identity:payments-pr-deployment \\(test\\) -> .*: ${action}$`)).result, action).to.equal(
                "failing",
            );
        }
    });

    it("fails when the boundary lets PR roles log in as any database user, or cuts what the worker is granted", () => {
        const planted = copy();
        editPolicy(resource(planted, "aws:iam/policy:Policy", "org-pr-deployment-boundary"), "policy", (statements) =>
            statements.map((s) =>
                s.Sid === "OwnDatabaseUsers"
                    ? { ...s, Resource: "*" }
                    : s.Sid === "LambdaInTheVpc"
                      ? { ...s, Action: s.Action.filter((a: string) => a !== "ec2:DescribeSubnets") }
                      : s,
            ),
        );
        const flows = evaluateFlows(planted);
        expect(
            flow(flows, /^identity:any role bounded by payments-pr-boundary -> the shared PostgreSQL as payments_worker/).result,
        ).to.equal("failing");
        expect(
            flow(flows, /^identity:role pr-42-payments-worker -> \* \(granted by NoResourceLevelPermissions\): ec2:DescribeSubnets$/)
                .result,
        ).to.equal("failing");
    });

    it("fails when the boundary admits the shared master secret", () => {
        const planted = copy();
        editPolicy(resource(planted, "aws:iam/policy:Policy", "org-pr-deployment-boundary"), "policy", (statements) => [
            ...statements,
            { Sid: "Planted", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        ]);
        const flows = evaluateFlows(planted);
        expect(flow(flows, /^identity:any role bounded by payments-pr-boundary -> the shared database's master secret/).result).to.equal(
            "failing",
        );
    });
});

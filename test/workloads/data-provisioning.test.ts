import { expect } from "chai";
import { ProvisioningRequest } from "../../workloads/provisioner";
import { Inventory } from "../harness";
import { asList, platformOf, policyOf, workloadsOf } from "./fixture";

const INVOCATION = "aws:lambda/invocation:Invocation";

for (const [env, database, dropped, workerUser] of [
    ["test", "payments", false, "payments_worker"],
    ["prod", "payments", false, "payments_worker"],
] as const) {
    describe(`workloads data provisioning (${env})`, function () {
        let stack: Inventory;
        const invocation = (suffix: string) => stack.one(INVOCATION, `${env}-payments-provisioner-${suffix}`);
        const input = (suffix: string) =>
            ProvisioningRequest.parse({ ...JSON.parse(stack.input<string>(invocation(suffix), "input")), tf: { action: "create" } });

        before(async () => {
            stack = await workloadsOf(env);
        });

        it(`creates database ${database} and the worker's role with the CRUD lifecycle${dropped ? ", dropping it on teardown" : ", keeping it on teardown"}`, () => {
            expect(stack.input(invocation("database"), "lifecycleScope")).to.equal("CRUD");
            expect(input("database")).to.include({ kind: "database", database, workerUser, dropOnDelete: dropped });
            expect(stack.input(invocation("database"), "functionName")).to.equal(`${env}-payments-provisioner`);
        });

        it("maps the worker's IAM role to a search role limited to its own index", () => {
            expect(stack.input(invocation("search-access"), "lifecycleScope")).to.equal("CRUD");
            const search = input("search-access");
            expect(search).to.include({
                kind: "search",
                index: `payments-${env}-transactions`,
                roleName: `payments-${env}-worker`,
                dropIndexOnDelete: dropped,
            });
            if (search.kind === "search") {
                expect(search.backendRoles).to.deep.equal([stack.outputs.workerRoleArn]);
                expect(search.masterRoleArn).to.match(/:role\/(test|prod)-search-master$/);
            }
        });

        it("starts consuming only once the database, grants and mapping exist", () => {
            const mapping = stack.one("aws:lambda/eventSourceMapping:EventSourceMapping");
            expect(mapping.dependencies).to.include.members([invocation("database").urn, invocation("search-access").urn]);
        });

        it("lets the provisioner, not the worker, read the master secret and act as the search master", () => {
            const rolePolicy = (name: string) => policyOf(stack, stack.one("aws:iam/rolePolicy:RolePolicy", name), "policy").Statement;
            const provisioner = rolePolicy(`${env}-payments-provisioner`);
            const actions = provisioner.flatMap((s) => asList(s.Action));
            expect(actions).to.include.members(["secretsmanager:GetSecretValue", "sts:AssumeRole"]);
            const worker = rolePolicy(`${env}-payments-worker`).flatMap((s) => asList(s.Action));
            expect(worker).to.not.include.members(["secretsmanager:GetSecretValue"]);
            expect(worker.filter((a) => a.startsWith("sts:"))).to.be.empty;
            expect(worker).to.include.members(["sqs:SendMessage", "sns:Publish"]);
        });

        it("encrypts the provisioner's and the worker's logs with the platform's logs key", async () => {
            const logsKeyArn = (await platformOf(env)).outputs.logsKeyArn;
            expect(logsKeyArn).to.match(/^arn:aws:kms:/);
            for (const name of [`${env}-payments-provisioner`, `${env}-payments-worker`]) {
                expect(stack.input(stack.one("aws:cloudwatch/logGroup:LogGroup", name), "kmsKeyId"), name).to.equal(logsKeyArn);
            }
        });
    });
}

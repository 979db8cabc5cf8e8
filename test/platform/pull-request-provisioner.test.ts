import { expect } from "chai";
import { pullRequestProvisionerName } from "../../lib/provisioning";
import { Inventory } from "../harness";
import { asList, platformOf, policyOf } from "../workloads/fixture";

describe("platform/test's PR provisioner", function () {
    let test: Inventory;
    let preprod: Inventory;

    before(async () => {
        [test, preprod] = await Promise.all([platformOf("pr-42"), platformOf("preprod")]);
    });

    it("is created by platform/test only and exported for the pr-<n> stacks", () => {
        const fn = test.one("aws:lambda/function:Function", pullRequestProvisionerName());
        expect(test.outputs.pullRequestProvisionerFunctionName).to.equal(test.input(fn, "name"));
        expect(test.input(fn, "environment.variables.PROVISIONER_SCOPE")).to.equal("pull-requests");
        expect(preprod.ofType("aws:lambda/function:Function").map((f) => f.name)).to.not.include(pullRequestProvisionerName());
        expect(preprod.outputs.pullRequestProvisionerFunctionName).to.equal(null);
    });

    it("alone holds the shared master secret and acts as the shared search master, which trusts it", () => {
        const shared = test.outputs.sharedData as { postgresSecretArn: string };
        const statements = policyOf(test, test.one("aws:iam/rolePolicy:RolePolicy", pullRequestProvisionerName()), "policy").Statement;
        const read = statements.find((s) => asList(s.Action).includes("secretsmanager:GetSecretValue"));
        expect(read?.Resource).to.equal(shared.postgresSecretArn);
        const master = test.ofType("aws:iam/role:Role").find((r) => test.input(r, "name") === "test-search-master")!;
        const trust = policyOf(test, master, "assumeRolePolicy").Statement;
        expect(trust[0].Condition?.ArnEquals["aws:PrincipalArn"]).to.include(
            `arn:aws:iam::${test.outputs.accountId}:role/${pullRequestProvisionerName()}`,
        );
    });

    it("writes its logs with the platform's logs key", () => {
        const logGroup = test.one("aws:cloudwatch/logGroup:LogGroup", pullRequestProvisionerName());
        expect(test.input(logGroup, "kmsKeyId"))
            .to.equal(test.outputs.logsKeyArn)
            .and.to.match(/^arn:aws:kms:/);
    });
});

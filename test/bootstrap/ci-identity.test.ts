import { expect } from "chai";
import { ciPermissions, ciTrustPolicy, githubSubjects } from "../../bootstrap/ci-identity";
import { REPO_ROOT } from "../../lib/repository";
import { synthesizeStack } from "../../automation/plan/plan";
import { Inventory } from "../harness";

describe("CI identity", () => {
    it("trusts only this repository's main branch, its pull requests and its deployment environments", () => {
        expect(githubSubjects("acme/estate", ["main"], ["test", "prod"])).to.deep.equal([
            "repo:acme/estate:ref:refs/heads/main",
            "repo:acme/estate:pull_request",
            "repo:acme/estate:environment:test",
            "repo:acme/estate:environment:prod",
        ]);
    });

    it("requires the STS audience and an exact subject, with no wildcard", () => {
        const [statement] = ciTrustPolicy("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com", ["repo:acme/estate:pull_request"]).Statement as any[];
        expect(statement.Action).to.equal("sts:AssumeRoleWithWebIdentity");
        expect(statement.Condition.StringEquals).to.deep.equal({
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:acme/estate:pull_request"],
        });
        expect(JSON.stringify(statement)).not.to.include("*");
    });

    it("may only use the state bucket and keys and assume the deployment roles", () => {
        const statements = ciPermissions("arn:aws:s3:::state", ["arn:aws:kms:us-east-1:1:key/a"], "payments-deployment").Statement as any[];
        expect(statements.find((s) => s.Sid === "AssumeDeploymentRoles").Resource).to.equal("arn:aws:iam::*:role/payments-deployment");
        expect(statements.flatMap((s) => [s.Action].flat())).not.to.include("*");
    });

    it("is wired to GitHub's OIDC provider in the bootstrap stack", async () => {
        const result = await synthesizeStack(REPO_ROOT, "mgmt");
        const inventory = new Inventory(result.resources, result.outputs);
        const provider = inventory.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(provider.inputs).to.deep.include({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
        const trust = JSON.parse(inventory.input<string>(inventory.one("aws:iam/role:Role"), "assumeRolePolicy"));
        expect(trust.Statement[0].Principal.Federated).to.equal("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com");
        expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).to.include("repo:acme-payments/estate:environment:prod");
    });
});

import { expect } from "chai";
import { CI_ROLES, ciRoleNameOf, ciTrustPolicy, secretsKeyUsers } from "../../bootstrap/ci-identity";
import { REPO_ROOT } from "../../lib/repository";
import { synthesizeStack } from "../../automation/plan/plan";
import { ciRoleNames } from "../../lib/ci-trust";
import { Inventory } from "../harness";

const PROVIDER = "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com";

describe("CI identity", () => {
    it("has one PR role, and a preview and a deploy role per target (the names plans and flows expect)", () => {
        expect(CI_ROLES.map(ciRoleNameOf)).to.deep.equal(ciRoleNames());
        expect(CI_ROLES.map(ciRoleNameOf)).to.deep.equal([
            "mgmt-ci-pr",
            ...["org", "mgmt", "test", "preprod", "prod"].map((t) => `mgmt-ci-preview-${t}`),
            ...["org", "mgmt", "test", "preprod", "prod"].map((t) => `mgmt-ci-deploy-${t}`),
        ]);
    });

    it("pins audience, subject and repository exactly, with no wildcard, and deploys from main through promote.yml only", () => {
        const [statement] = ciTrustPolicy(PROVIDER, "acme/estate", { level: "deploy", target: "prod" }).Statement as any[];
        expect(statement.Action).to.equal("sts:AssumeRoleWithWebIdentity");
        expect(statement.Condition).to.deep.equal({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:acme/estate:environment:prod",
                "token.actions.githubusercontent.com:repository": "acme/estate",
                "token.actions.githubusercontent.com:ref": "refs/heads/main",
                "token.actions.githubusercontent.com:job_workflow_ref": "acme/estate/.github/workflows/promote.yml@refs/heads/main",
            },
        });
        for (const spec of CI_ROLES) {
            expect(JSON.stringify(ciTrustPolicy(PROVIDER, "acme/estate", spec).Statement), ciRoleNameOf(spec)).not.to.include("*");
        }
    });

    it("lets each environment's key be used by its own roles, and only decrypted by readers of its outputs", () => {
        const names = (env: Parameters<typeof secretsKeyUsers>[0]) => {
            const users = secretsKeyUsers(env);
            return { encrypt: users.encrypt.map(ciRoleNameOf), decrypt: users.decrypt.map(ciRoleNameOf) };
        };
        expect(names("prod")).to.deep.equal({ encrypt: ["mgmt-ci-deploy-prod"], decrypt: ["mgmt-ci-preview-prod"] });
        expect(names("test")).to.deep.equal({ encrypt: ["mgmt-ci-pr", "mgmt-ci-deploy-test"], decrypt: ["mgmt-ci-preview-test"] });
        expect(names("mgmt").decrypt).to.not.include("mgmt-ci-pr");
        expect(names("org").decrypt).to.not.include("mgmt-ci-pr");
    });

    it("creates every CI role, with its identity policy, in the bootstrap stack", async () => {
        const result = await synthesizeStack(REPO_ROOT, "mgmt");
        const inventory = new Inventory(result.resources, result.outputs);
        const provider = inventory.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(provider.inputs).to.deep.include({
            url: "https://token.actions.githubusercontent.com",
            clientIdLists: ["sts.amazonaws.com"],
        });
        for (const spec of CI_ROLES) {
            const role = inventory.one("aws:iam/role:Role", ciRoleNameOf(spec));
            const trust = JSON.parse(inventory.input<string>(role, "assumeRolePolicy"));
            expect(trust.Statement[0].Principal.Federated).to.equal(
                "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
            );
            inventory.one("aws:iam/rolePolicy:RolePolicy", ciRoleNameOf(spec));
        }
    });
});

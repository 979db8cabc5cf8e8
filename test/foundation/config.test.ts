import { expect } from "chai";
import { InvalidConfigError } from "../../lib/config";
import { synthesizeLayer } from "../harness";
import { stackFileConfig } from "./fixture";

/** The stack file's value of `key`, changed by `edit`, as a full-key override. */
function edited(key: string, edit: (value: any) => void): Record<string, unknown> {
    const value = structuredClone(stackFileConfig()[key]);
    edit(value);
    return { [`foundation:${key}`]: value };
}

async function problemsOf(overrides: Record<string, unknown>): Promise<InvalidConfigError["problems"]> {
    try {
        await synthesizeLayer("foundation", "org", overrides);
    } catch (error) {
        if (error instanceof InvalidConfigError) {
            return error.problems;
        }
        throw error;
    }
    throw new Error("expected the foundation to reject the configuration");
}

const badEmail = () => edited("accounts", (a) => (a.test.email = "aws-test.example.com"));
const duplicateAccount = () => edited("accounts", (a) => (a.preprod.email = a.test.email));
const unknownOu = () => edited("accounts", (a) => (a.security.ou = "Audit"));
const unknownAccountAssignment = () =>
    edited("identityCenter", (ic) => ic.assignments.push({ group: "developers", permissionSet: "Developer", accounts: ["staging"] }));

describe("foundation config validation", () => {
    it("reports a bad account email, naming the key and the fix", async () => {
        const problems = await problemsOf(badEmail());
        expect(problems).to.have.length(1);
        expect(problems[0].key).to.equal("foundation:accounts");
        expect(problems[0].problem).to.include('accounts.test.email "aws-test.example.com" is not an email address');
        expect(problems[0].fix).to.include("accounts.test.email");
    });

    it("reports two accounts with the same email", async () => {
        const problems = await problemsOf(duplicateAccount());
        expect(problems.map((p) => p.problem)).to.deep.equal([
            'accounts.test and accounts.preprod have the same email "aws-test@example.com"',
        ]);
    });

    it("reports two accounts with the same name", async () => {
        const problems = await problemsOf(edited("accounts", (a) => (a.prod.name = a.preprod.name)));
        expect(problems.map((p) => p.problem)).to.deep.equal(['accounts.preprod and accounts.prod have the same name "payments-preprod"']);
    });

    it("reports an unknown OU and lists the real ones", async () => {
        const problems = await problemsOf(unknownOu());
        expect(problems).to.have.length(1);
        expect(problems[0].problem).to.include('accounts.security.ou "Audit" is not an OU');
        expect(problems[0].fix).to.include("Security, Workloads/NonProd, Workloads/Prod");
    });

    it("reports a permission set assigned to an unknown account", async () => {
        const problems = await problemsOf(unknownAccountAssignment());
        expect(problems).to.have.length(1);
        expect(problems[0].key).to.equal("foundation:identityCenter");
        expect(problems[0].problem).to.include('assigns Developer to the unknown account "staging"');
    });

    it("reports an assignment to an unknown group or permission set", async () => {
        const problems = await problemsOf(
            edited("identityCenter", (ic) => ic.assignments.push({ group: "contractors", permissionSet: "Owner", accounts: ["test"] })),
        );
        expect(problems.map((p) => p.problem)).to.have.length(2);
        expect(problems[0].problem).to.include('group "contractors" is not in identityCenter.groups');
        expect(problems[1].problem).to.include('permissionSet "Owner" is not a permission set');
    });

    it("keeps the prod account in the Prod OU, where its guardrails are attached", async () => {
        const problems = await problemsOf(edited("accounts", (a) => (a.prod.ou = "Workloads/NonProd")));
        expect(problems.map((p) => p.problem)).to.deep.equal([
            'accounts.prod.ou is "Workloads/NonProd", but the prod guardrails are attached to Workloads/Prod',
        ]);
    });

    it("reports a bad role name and a missing repository together", async () => {
        const problems = await problemsOf({ "foundation:deploymentRoleName": "bad name!", "foundation:githubRepository": "" });
        expect(problems.map((p) => p.key)).to.have.members(["foundation:deploymentRoleName", "foundation:githubRepository"]);
    });

    it("refuses a break-glass role named like the deployment role, which would exempt every deployment", async () => {
        const problems = await problemsOf({ "foundation:breakGlassRoleName": stackFileConfig().deploymentRoleName });
        expect(problems.map((p) => p.key)).to.deep.equal(["foundation:breakGlassRoleName"]);
    });

    it("reports every problem of one config together", async () => {
        const accounts = stackFileConfig().accounts;
        accounts.test.email = "not-an-email";
        accounts.prod.name = accounts.preprod.name;
        accounts.security.ou = "Audit";
        const problems = await problemsOf({
            "foundation:accounts": accounts,
            ...unknownAccountAssignment(),
            ...edited("budgets", (b) => (b.prod.subscribers = ["finance"])),
        });
        const text = problems.map((p) => p.problem).join("\n");
        expect(problems).to.have.length(5);
        expect(text).to.include('"not-an-email" is not an email address');
        expect(text).to.include("have the same name");
        expect(text).to.include('"Audit" is not an OU');
        expect(text).to.include('unknown account "staging"');
        expect(text).to.include('"finance", which is not an email address');
    });
});

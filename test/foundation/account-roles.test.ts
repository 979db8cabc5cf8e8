import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { MEMBER_ACCOUNTS } from "../../lib/environments";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, jsonInput, outputsOf, providerOf, stackFileConfig } from "./fixture";

const ROLE = "aws:iam/role:Role";
const ADMIN_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Whether `principal` (with AdministratorAccess in its own account) may assume the role with this trust policy. */
async function mayAssume(
    principal: string,
    roleArn: string,
    trustPolicy: unknown,
    context: Record<string, string> = {},
    action = "sts:AssumeRole",
): Promise<string> {
    const result = await runSimulation(
        {
            request: {
                principal,
                action,
                resource: { resource: roleArn, accountId: roleArn.split(":")[4] },
                contextVariables: { "aws:PrincipalArn": principal, ...context },
            },
            identityPolicies: [{ name: "AdministratorAccess", policy: ADMIN_POLICY }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: trustPolicy,
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(JSON.stringify(result.errors));
    }
    return result.overallResult;
}

describe("foundation account roles", () => {
    let inventory: Inventory;
    let management: string;
    const roleIn = (accountId: string, name: string) =>
        inventory.ofType(ROLE).find((r) => inventory.input(r, "name") === name && accountOf(inventory, r) === accountId)!;
    const sso = (permissionSet: string) =>
        `arn:aws:iam::${management}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSet}_0123456789abcdef`;

    before(async () => {
        inventory = await foundationOrg();
        management = stackFileConfig().managementAccountId;
    });

    it("creates a deployment role in every account and a break-glass role in every member account", () => {
        const { accountIds, deploymentRoleArns, breakGlassRoleArns } = outputsOf(inventory);
        for (const [account, id] of Object.entries(accountIds)) {
            expect(roleIn(id, "payments-deployment"), account).to.not.equal(undefined);
            expect(deploymentRoleArns[account as keyof typeof deploymentRoleArns]).to.equal(`arn:aws:iam::${id}:role/payments-deployment`);
        }
        for (const account of MEMBER_ACCOUNTS) {
            expect(roleIn(accountIds[account], "payments-break-glass"), account).to.not.equal(undefined);
            expect(breakGlassRoleArns[account]).to.equal(`arn:aws:iam::${accountIds[account]}:role/payments-break-glass`);
        }
        expect(roleIn(management, "payments-break-glass")).to.equal(undefined);
    });

    it("reaches each member account through OrganizationAccountAccessRole", () => {
        const { accountIds } = outputsOf(inventory);
        for (const account of MEMBER_ACCOUNTS) {
            const provider = providerOf(inventory, roleIn(accountIds[account], "payments-deployment"));
            expect(jsonInput(inventory, provider, "assumeRoles")[0].roleArn).to.equal(
                `arn:aws:iam::${accountIds[account]}:role/OrganizationAccountAccessRole`,
            );
            expect(jsonInput(inventory, provider, "allowedAccountIds")).to.deep.equal([accountIds[account]]);
        }
    });

    it("lets only the deploy CI roles of the account's environments and PlatformAdmin sessions assume the deployment role, tagging the session", async () => {
        const { accountIds } = outputsOf(inventory);
        const ci = (target: string) => `arn:aws:iam::${management}:role/mgmt-ci-deploy-${target}`;
        const hosted: Record<string, string[]> = {
            management: ["org", "mgmt"],
            security: ["org"],
            test: ["test"],
            preprod: ["preprod"],
            prod: ["prod"],
        };
        for (const [account, id] of Object.entries(accountIds)) {
            const role = roleIn(id, "payments-deployment");
            const trust = jsonInput(inventory, role, "assumeRolePolicy");
            const arn = `arn:aws:iam::${id}:role/payments-deployment`;
            for (const target of ["org", "mgmt", "test", "preprod", "prod"]) {
                const expected = hosted[account].includes(target) ? "Allowed" : "ImplicitlyDenied";
                expect(await mayAssume(ci(target), arn, trust), `deploy CI of ${target} into ${account}`).to.equal(expected);
                expect(
                    await mayAssume(ci(target), arn, trust, {}, "sts:TagSession"),
                    `deploy CI of ${target} tags a session in ${account}`,
                ).to.equal(expected);
            }
            expect(await mayAssume(`arn:aws:iam::${management}:role/mgmt-ci-pr`, arn, trust), `PR CI into ${account}`).to.equal(
                "ImplicitlyDenied",
            );
            expect(await mayAssume(sso("PlatformAdmin"), arn, trust), `PlatformAdmin into ${id}`).to.equal("Allowed");
            expect(await mayAssume(sso("Developer"), arn, trust), `Developer into ${id}`).to.not.equal("Allowed");
            expect(
                await mayAssume(`arn:aws:iam::${accountIds.test}:role/test-payments-api`, arn, trust),
                `a workload role into ${id}`,
            ).to.not.equal("Allowed");
        }
    });

    it("lets only MFA-authenticated break-glass users of the management account assume break-glass", async () => {
        const { accountIds } = outputsOf(inventory);
        const role = roleIn(accountIds.prod, "payments-break-glass");
        const trust = jsonInput(inventory, role, "assumeRolePolicy");
        const arn = `arn:aws:iam::${accountIds.prod}:role/payments-break-glass`;
        const user = `arn:aws:iam::${management}:user/break-glass/responder-1`;
        expect(await mayAssume(user, arn, trust, { "aws:MultiFactorAuthPresent": "true" })).to.equal("Allowed");
        expect(await mayAssume(user, arn, trust, { "aws:MultiFactorAuthPresent": "false" })).to.not.equal("Allowed");
        expect(await mayAssume(sso("PlatformAdmin"), arn, trust, { "aws:MultiFactorAuthPresent": "true" })).to.not.equal("Allowed");
    });
});

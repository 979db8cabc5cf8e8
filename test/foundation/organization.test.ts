import { expect } from "chai";
import { MEMBER_ACCOUNTS } from "../../lib/environments";
import { ENABLED_POLICY_TYPES } from "../../foundation/organization";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf, stackFileConfig } from "./fixture";

const ORGANIZATION = "aws:organizations/organization:Organization";
const OU = "aws:organizations/organizationalUnit:OrganizationalUnit";
const ACCOUNT = "aws:organizations/account:Account";

describe("foundation organization", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("is an all-features organization with SCPs and RCPs enabled, protected from deletion", () => {
        const organization = inventory.one(ORGANIZATION);
        expect(inventory.input(organization, "featureSet")).to.equal("ALL");
        expect(inventory.input<string[]>(organization, "enabledPolicyTypes")).to.have.members([
            "SERVICE_CONTROL_POLICY",
            "RESOURCE_CONTROL_POLICY",
        ]);
        expect(ENABLED_POLICY_TYPES).to.have.length(2);
        expect(organization.protect).to.equal(true);
        expect(inventory.input<string[]>(organization, "awsServiceAccessPrincipals")).to.include.members([
            "cloudtrail.amazonaws.com",
            "guardduty.amazonaws.com",
            "securityhub.amazonaws.com",
            "config.amazonaws.com",
            "access-analyzer.amazonaws.com",
            "sso.amazonaws.com",
        ]);
    });

    it("has the Security, Workloads/NonProd and Workloads/Prod OUs", () => {
        const { rootId, ouIds } = outputsOf(inventory);
        const parentOf = (name: string) =>
            inventory.input(
                inventory.ofType(OU).find((ou) => inventory.input(ou, "name") === name)!,
                "parentId",
            );
        expect(inventory.ofType(OU).map((ou) => inventory.input(ou, "name"))).to.have.members(["Security", "Workloads", "NonProd", "Prod"]);
        expect(parentOf("Security")).to.equal(rootId);
        expect(parentOf("Workloads")).to.equal(rootId);
        expect(parentOf("NonProd")).to.equal(ouIds.workloads);
        expect(parentOf("Prod")).to.equal(ouIds.workloads);
    });

    it("creates each member account in its OU with the configured name and email, never closing it on deletion", () => {
        const { ouIds } = outputsOf(inventory);
        const expectedOu = { security: ouIds.security, test: ouIds.nonProd, preprod: ouIds.nonProd, prod: ouIds.prod };
        const configured = stackFileConfig().accounts;
        expect(inventory.ofType(ACCOUNT)).to.have.length(MEMBER_ACCOUNTS.length);
        for (const key of MEMBER_ACCOUNTS) {
            const account = inventory.ofType(ACCOUNT).find((a) => inventory.input(a, "email") === configured[key].email)!;
            expect(inventory.input(account, "name"), key).to.equal(configured[key].name);
            expect(inventory.input(account, "parentId"), key).to.equal(expectedOu[key]);
            expect(inventory.input(account, "closeOnDeletion"), key).to.equal(false);
            expect(account.protect, key).to.equal(key === "prod");
        }
    });

    it("deploys the organization from the management account", () => {
        const managementAccountId = stackFileConfig().managementAccountId;
        for (const resource of [inventory.one(ORGANIZATION), ...inventory.ofType(OU), ...inventory.ofType(ACCOUNT)]) {
            expect(accountOf(inventory, resource), resource.name).to.equal(managementAccountId);
        }
    });
});

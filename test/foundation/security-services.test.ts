import { expect } from "chai";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf } from "./fixture";

describe("foundation security services", () => {
    let inventory: Inventory;
    let security: string;
    let management: string;
    before(async () => {
        inventory = await foundationOrg();
        ({ security, management } = outputsOf(inventory).accountIds);
    });

    it("makes the security account the delegated administrator of GuardDuty, Security Hub, Config and Access Analyzer", () => {
        for (const type of ["aws:guardduty/organizationAdminAccount:OrganizationAdminAccount", "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"]) {
            const admin = inventory.one(type);
            expect(inventory.input(admin, "adminAccountId"), type).to.equal(security);
            expect(accountOf(inventory, admin), type).to.equal(management);
        }
        const delegated = inventory.ofType("aws:organizations/delegatedAdministrator:DelegatedAdministrator");
        expect(delegated.map((d) => inventory.input(d, "servicePrincipal"))).to.have.members(["config.amazonaws.com", "access-analyzer.amazonaws.com"]);
        for (const d of delegated) {
            expect(inventory.input(d, "accountId")).to.equal(security);
            expect(accountOf(inventory, d)).to.equal(management);
        }
    });

    it("auto-enables GuardDuty and Security Hub in every member account, new ones included", () => {
        const guardDuty = inventory.one("aws:guardduty/organizationConfiguration:OrganizationConfiguration");
        expect(inventory.input(guardDuty, "autoEnableOrganizationMembers")).to.equal("ALL");
        expect(accountOf(inventory, guardDuty)).to.equal(security);
        const hub = inventory.one("aws:securityhub/organizationConfiguration:OrganizationConfiguration");
        expect(inventory.input(hub, "autoEnable")).to.equal(true);
        expect(accountOf(inventory, hub)).to.equal(security);
        // The organization configuration is set only once the delegation exists.
        expect(inventory.dependenciesOf(guardDuty).map((d) => d.type)).to.include("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount");
    });

    it("aggregates Config from every region of the organization and analyzes access organization-wide", () => {
        const aggregator = inventory.one("aws:cfg/configurationAggregator:ConfigurationAggregator");
        expect(inventory.input(aggregator, "organizationAggregationSource.allRegions")).to.equal(true);
        expect(accountOf(inventory, aggregator)).to.equal(security);
        const analyzer = inventory.one("aws:accessanalyzer/analyzer:Analyzer");
        expect(inventory.input(analyzer, "type")).to.equal("ORGANIZATION");
        expect(accountOf(inventory, analyzer)).to.equal(security);
    });
});

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
        for (const type of [
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
        ]) {
            const admin = inventory.one(type);
            expect(inventory.input(admin, "adminAccountId"), type).to.equal(security);
            expect(accountOf(inventory, admin), type).to.equal(management);
        }
        const delegated = inventory.ofType("aws:organizations/delegatedAdministrator:DelegatedAdministrator");
        expect(delegated.map((d) => inventory.input(d, "servicePrincipal"))).to.have.members([
            "config.amazonaws.com",
            "access-analyzer.amazonaws.com",
        ]);
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
        expect(inventory.dependenciesOf(guardDuty).map((d) => d.type)).to.include(
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
        );
    });

    it("aggregates Config from every region of the organization and analyzes access organization-wide", () => {
        const aggregator = inventory.one("aws:cfg/configurationAggregator:ConfigurationAggregator");
        expect(inventory.input(aggregator, "organizationAggregationSource.allRegions")).to.equal(true);
        expect(accountOf(inventory, aggregator)).to.equal(security);
        const analyzer = inventory.one("aws:accessanalyzer/analyzer:Analyzer");
        expect(inventory.input(analyzer, "type")).to.equal("ORGANIZATION");
        expect(accountOf(inventory, analyzer)).to.equal(security);
    });

    it("enables Inspector scanning of instances, images and Lambda in every account, delegated to the security account", () => {
        const admin = inventory.one("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount");
        expect(inventory.input(admin, "accountId")).to.equal(security);
        expect(accountOf(inventory, admin)).to.equal(management);
        const enablers = inventory.ofType("aws:inspector2/enabler:Enabler");
        const { test, preprod, prod } = outputsOf(inventory).accountIds;
        const enabled = enablers.flatMap((e) => inventory.input(e, "accountIds") as string[]);
        expect(enabled).to.have.members([security, management, test, preprod, prod]);
        for (const e of enablers) {
            expect(inventory.input(e, "resourceTypes")).to.have.members(["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]);
            expect(accountOf(inventory, e)).to.equal(security);
        }
        const associated = inventory
            .ofType("aws:inspector2/memberAssociation:MemberAssociation")
            .map((m) => inventory.input(m, "accountId"));
        expect(associated).to.have.members([management, test, preprod, prod]);
        const org = inventory.one("aws:inspector2/organizationConfiguration:OrganizationConfiguration");
        expect(inventory.input(org, "autoEnable")).to.deep.equal({ ec2: true, ecr: true, lambda: true, lambdaCode: true });
        expect(accountOf(inventory, org)).to.equal(security);
    });
});

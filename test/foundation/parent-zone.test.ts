import { expect } from "chai";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf, stackFileConfig } from "./fixture";

describe("foundation parent DNS zone", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("owns the parent DNS zone the environments delegate from, and exports its id and name servers", () => {
        const zone = inventory.one("aws:route53/zone:Zone", "org-parent-zone");
        expect(inventory.input(zone, "name")).to.equal(stackFileConfig().parentDomain);
        expect(zone.protect).to.equal(true);
        expect(accountOf(inventory, zone)).to.equal(outputsOf(inventory).accountIds.management);
        expect(outputsOf(inventory).parentZoneId).to.equal(zone.id);
    });
});

import { expect } from "chai";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf, stackFileConfig } from "./fixture";

describe("foundation budgets", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("keeps one monthly cost budget per account in the payer account, alerting at the configured thresholds", () => {
        const { accountIds } = outputsOf(inventory);
        const budgets = stackFileConfig().budgets as Record<string, { monthlyLimitUsd: number; thresholdsPercent: number[]; subscribers: string[] }>;
        const deployed = inventory.ofType("aws:budgets/budget:Budget");
        expect(deployed).to.have.length(Object.keys(accountIds).length);
        for (const [account, id] of Object.entries(accountIds)) {
            const budget = deployed.find((b) => inventory.input<string[]>(b, "costFilters[0].values")[0] === id)!;
            expect(budget, account).to.not.equal(undefined);
            expect(accountOf(inventory, budget)).to.equal(accountIds.management);
            expect(inventory.input(budget, "costFilters[0].name")).to.equal("LinkedAccount");
            expect(inventory.input(budget, "timeUnit")).to.equal("MONTHLY");
            expect(Number(inventory.input(budget, "limitAmount"))).to.equal(budgets[account].monthlyLimitUsd);
            const notifications = inventory.input<{ threshold: number; subscriberEmailAddresses: string[] }[]>(budget, "notifications");
            expect(notifications.map((n) => n.threshold)).to.deep.equal(budgets[account].thresholdsPercent);
            for (const notification of notifications) {
                expect(notification.subscriberEmailAddresses).to.have.members(budgets[account].subscribers);
            }
        }
    });
});

import { expect } from "chai";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, jsonInput, outputsOf, stackFileConfig } from "./fixture";

describe("foundation budgets", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("keeps one monthly cost budget per account in the payer account, alerting at the configured thresholds", () => {
        const { accountIds } = outputsOf(inventory);
        const budgets = stackFileConfig().budgets as Record<
            string,
            { monthlyLimitUsd: number; thresholdsPercent: number[]; subscribers: string[] }
        >;
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

    it("also publishes every alert to the payer account's encrypted topic, which only Budgets of that account may use", () => {
        const { accountIds } = outputsOf(inventory);
        const topic = inventory.one("aws:sns/topic:Topic", "org-budget-alerts");
        expect(accountOf(inventory, topic)).to.equal(accountIds.management);
        for (const budget of inventory.ofType("aws:budgets/budget:Budget")) {
            for (const notification of inventory.input<{ subscriberSnsTopicArns: string[] }[]>(budget, "notifications")) {
                expect(notification.subscriberSnsTopicArns).to.deep.equal([topic.arn ?? topic.id]);
            }
        }
        const policy = jsonInput(inventory, inventory.one("aws:sns/topicPolicy:TopicPolicy", "org-budget-alerts"), "policy");
        expect(policy.Statement).to.have.length(1);
        expect(policy.Statement[0].Principal).to.deep.equal({ Service: "budgets.amazonaws.com" });
        expect(policy.Statement[0].Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": accountIds.management });
        const key = jsonInput(inventory, inventory.one("aws:kms/key:Key", "org-budget-alerts-key"), "policy");
        expect(key.Statement.find((s: { Sid: string }) => s.Sid === "ServicesPublish").Principal).to.deep.equal({
            Service: ["budgets.amazonaws.com"],
        });
        const subscription = inventory.one("aws:sns/topicSubscription:TopicSubscription", "org-budget-alerts");
        expect(inventory.input(subscription, "endpoint")).to.equal(stackFileConfig().budgetAlerts.endpoint);
    });
});

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountName } from "../lib/environments";
import { Namer } from "../lib/naming";
import type { BudgetConfig } from "./config";

export interface AccountBudgetsArgs {
    budgets: Record<AccountName, BudgetConfig>;
    accountIds: Record<AccountName, pulumi.Input<string>>;
    /** The budget alert topic: every notification is also published there (budgets.amazonaws.com may publish to it). */
    alertTopicArn: pulumi.Input<string>;
}

/** A monthly cost budget per account, kept in the management (payer) account and filtered by linked account. */
export class AccountBudgets extends pulumi.ComponentResource {
    constructor(name: string, args: AccountBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:AccountBudgets", name, {}, opts);
        const namer = new Namer(name);
        for (const [account, budget] of Object.entries(args.budgets) as [AccountName, BudgetConfig][]) {
            new aws.budgets.Budget(
                namer.name("budget", { suffix: account }),
                {
                    name: namer.name("budget", { suffix: account }),
                    budgetType: "COST",
                    limitAmount: budget.monthlyLimitUsd.toFixed(2),
                    limitUnit: "USD",
                    timeUnit: "MONTHLY",
                    costFilters: [{ name: "LinkedAccount", values: [args.accountIds[account]] }],
                    notifications: budget.thresholdsPercent.map((threshold) => ({
                        comparisonOperator: "GREATER_THAN",
                        threshold,
                        thresholdType: "PERCENTAGE",
                        notificationType: "ACTUAL",
                        subscriberEmailAddresses: budget.subscribers,
                        subscriberSnsTopicArns: [args.alertTopicArn],
                    })),
                },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}

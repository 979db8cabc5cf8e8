import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { estimatePlan } from "../../../plan-model/estimates";
import { PRICING, priceRuleOf } from "../../../plan-model/estimates/prices";
import { isStructural, TIMINGS } from "../../../plan-model/estimates/timings";
import { planOf } from "../../harness";

const ENVIRONMENTS = ["mgmt", "test", "preprod", "prod", "pr-42"];

/** Every `__pulumiType` the installed SDK package declares, e.g. "aws:s3/bucketV2:BucketV2". */
function sdkTypeTokens(pkg: string): Set<string> {
    const tokens = new Set<string>();
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory() && entry.name !== "node_modules") walk(full);
            else if (entry.name.endsWith(".js")) {
                for (const m of fs.readFileSync(full, "utf8").matchAll(/__pulumiType = '([^']+)'/g)) tokens.add(m[1]);
            }
        }
    };
    walk(path.dirname(require.resolve(`@pulumi/${pkg}/package.json`)));
    return tokens;
}

describe("estimates: tables cover the estate", () => {
    for (const env of ENVIRONMENTS) {
        it(`has a timing and a price rule for every resource type in the ${env} plan`, async () => {
            const plan = await planOf(env);
            const types = [...new Set(plan.stacks.flatMap((s) => s.resources.map((r) => r.type)))].sort();
            const noTiming = types.filter((t) => !isStructural(t) && TIMINGS[t] === undefined);
            const noPrice = types.filter((t) => priceRuleOf(t) === undefined);
            expect(noTiming, `types without an entry in automation/estimates/timings.ts TIMINGS: ${noTiming.join(", ")}`).to.be.empty;
            expect(noPrice, `types without a rule in automation/estimates/prices.ts PRICING (price, free or usage): ${noPrice.join(", ")}`)
                .to.be.empty;

            const gaps = estimatePlan(plan).stacks.flatMap((s) => s.unknownPrices.map((p) => `${s.project}/${s.stack}: ${p}`));
            expect(gaps, `input values without a price in automation/estimates/prices.ts: ${gaps.join("; ")}`).to.be.empty;
        });
    }

    it("gives every timed type a price rule and every priced type a timing", () => {
        const untimed = Object.keys(PRICING).filter((t) => TIMINGS[t] === undefined);
        const unpriced = Object.keys(TIMINGS).filter((t) => priceRuleOf(t) === undefined);
        expect(untimed, `priced but not timed: ${untimed.join(", ")}`).to.be.empty;
        expect(unpriced, `timed but not priced: ${unpriced.join(", ")}`).to.be.empty;
    });

    it("gives every figure a source and sane minutes", () => {
        for (const [type, entry] of Object.entries(TIMINGS)) {
            for (const t of [entry, ...(entry.variants ?? [])]) {
                expect(t.source, type).to.be.a("string").and.not.be.empty;
                expect(t.createMinutes, type).to.be.within(0, 60);
                expect(t.deleteMinutes, type).to.be.within(0, 60);
            }
        }
    });

    it("only names type tokens the installed aws, eks and awsx SDKs really declare", () => {
        const known = new Set([...sdkTypeTokens("aws"), ...sdkTypeTokens("eks"), ...sdkTypeTokens("awsx")]);
        const keys = [...Object.keys(TIMINGS), ...Object.keys(PRICING)].filter((t) => /^(aws|eks|awsx):/.test(t));
        const bogus = [...new Set(keys.filter((t) => !known.has(t)))];
        expect(bogus, `not a type token of the installed SDKs: ${bogus.join(", ")}`).to.be.empty;
    });
});

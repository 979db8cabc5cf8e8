import { expect } from "chai";
import { planOf } from "../harness";

/**
 * The estate must pass its own guardrails: no mandatory violation in any environment's plan.
 * Advisories (e.g. "cannot verify until apply") are allowed and shown by `npm run plan`.
 */
describe("policy-pack over every environment's plan", function () {
    // Each environment synthesizes three or four stacks; the machine is shared.
    this.timeout(300_000);
    for (const env of ["mgmt", "test", "preprod", "prod", "pr-42"]) {
        it(`finds no mandatory violation in ${env}`, async () => {
            const plan = await planOf(env);
            const mandatory = plan.stacks.flatMap((s) =>
                s.violations
                    .filter((v) => v.enforcementLevel === "mandatory")
                    .map((v) => `${s.project}/${s.stack} ${v.policy} ${v.urn ?? ""}: ${v.message}`),
            );
            expect(mandatory, mandatory.join("\n")).to.deep.equal([]);
            expect(plan.summary.mandatory).to.equal(0);
        });
    }
});

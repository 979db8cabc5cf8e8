import { expect } from "chai";
import { planOf, stackOf } from "../harness";

describe("platform in the environment plans", () => {
    for (const env of ["test", "prod"]) {
        it(`npm run plan -- --env ${env} synthesizes platform/mgmt and platform/${env} without a mandatory violation`, async () => {
            const plan = await planOf(env);
            for (const stack of ["mgmt", env]) {
                const platform = plan.stacks.find((s) => s.project === "platform" && s.stack === stack);
                expect(platform, `platform/${stack}`).to.not.equal(undefined);
                expect(
                    platform!.violations.filter((v) => v.enforcementLevel === "mandatory"),
                    `platform/${stack}`,
                ).to.deep.equal([]);
            }
            const platform = stackOf(plan, "platform", env);
            expect(platform.outputs.vpcCidr).to.equal(env === "test" ? "10.10.0.0/16" : "10.30.0.0/16");
            expect(platform.outputs.transitGatewayId).to.equal(stackOf(plan, "platform", "mgmt").outputs.transitGatewayId);
        });
    }
});

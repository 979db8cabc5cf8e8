import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { InvalidConfigError } from "../../lib/config";
import { FULL_ENVIRONMENTS } from "../../lib/environments";
import { CLUSTER_CONFIG_KEY } from "../../platform/cluster/config";
import { platformConfigKeys } from "../../platform/config";
import { foundationOutputs, synthesizePlatform } from "./fixtures";

/** The error a synthesis fails with (config errors may arrive wrapped by the runtime). */
async function failureOf(run: Promise<unknown>): Promise<Error> {
    try {
        await run;
    } catch (error) {
        return error as Error;
    }
    throw new Error("expected the synthesis to fail");
}

describe("platform config", () => {
    it("rejects a VPC CIDR that overlaps another environment's, naming both ranges and the fix", async () => {
        const error = await failureOf(synthesizePlatform("prod", { "platform:vpcCidr": "10.10.128.0/17" }));
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain("platform:vpcCidr");
        expect(error.message).to.contain("overlaps the VPC CIDR of test (10.10.0.0/16)");
        expect(error.message).to.contain("set platform:vpcCidr to 10.30.0.0/16");
    });

    it("rejects a non-overlapping CIDR that is not the env's range from the conventions", async () => {
        const error = await failureOf(synthesizePlatform("preprod", { "platform:vpcCidr": "10.99.0.0/16" }));
        expect(error.message).to.contain("is not the preprod range 10.20.0.0/16");
    });

    it("rejects a deployment role missing from foundation/org, naming the account and the fix", async () => {
        const foundation = foundationOutputs();
        delete (foundation.deploymentRoleArns as Partial<typeof foundation.deploymentRoleArns>).prod;
        const error = await failureOf(synthesizePlatform("prod", {}, foundation));
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain(`exports no deployment role for the "prod" account`);
        expect(error.message).to.contain("deploymentRoleArns.prod");
        expect(error.message).to.match(/fix: add the "prod" account's deployment role .* foundation/);
    });

    it("rejects a deployment role that lives in another account than the one it deploys to", async () => {
        const foundation = foundationOutputs();
        foundation.deploymentRoleArns.prod = foundation.deploymentRoleArns.test;
        const error = await failureOf(synthesizePlatform("prod", {}, foundation));
        expect(error.message).to.contain("is in account 222222222222, not 444444444444");
    });

    it("takes the parent zone from foundation/org and refuses a zone id typed into the stack file", async () => {
        const error = await failureOf(
            synthesizePlatform("prod", {
                "platform:dns": {
                    domainName: "prod.payments.example.com",
                    privateZoneName: "internal.prod.payments.example.com",
                    parentZoneId: "Z0PAYMENTSPARENTZONE1",
                },
            }),
        );
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain(
            "platform:dns: parentZoneId is no longer read: the parent zone's id comes from foundation/org's parentZoneId output",
        );
        expect(error.message).to.contain("fix: remove platform:dns.parentZoneId");
    });

    it("refuses an Argo CD hostname outside the hub's private zone (nothing could route or certify it)", async () => {
        const hub = parse(fs.readFileSync(path.join(__dirname, "..", "..", "platform", "Pulumi.mgmt.yaml"), "utf8")).config[
            "platform:cluster"
        ];
        const error = await failureOf(
            synthesizePlatform("mgmt", { "platform:cluster": { ...hub, argocd: { ...hub.argocd, hostname: "argocd.example.org" } } }),
        );
        expect(error.message).to.contain(
            `platform:cluster: argocd.hostname "argocd.example.org" is not in the private zone internal.mgmt.payments.example.com`,
        );
        expect(error.message).to.contain("fix: set platform:cluster.argocd.hostname to e.g. argocd.internal.mgmt.payments.example.com");
    });

    it("allows a single NAT gateway only in test", async () => {
        const error = await failureOf(synthesizePlatform("prod", { "platform:natGateways": "single" }));
        expect(error.message).to.contain(`"single" is allowed only in test`);
    });

    it("requires ALB deletion protection in prod", async () => {
        const error = await failureOf(
            synthesizePlatform("prod", {
                "platform:edge": {
                    wafRateLimit: 1000,
                    albDeletionProtection: false,
                    accessLogRetentionDays: 365,
                    cloudfrontPriceClass: "PriceClass_All",
                },
            }),
        );
        expect(error.message).to.contain("albDeletionProtection is false in prod");
    });

    it("reports every problem at once", async () => {
        const error = await failureOf(
            synthesizePlatform("test", { "platform:flowLogRetentionDays": "8", "platform:allowedVpnCidrs": ["0.0.0.0/0"] }),
        );
        expect(error.message).to.contain("platform:flowLogRetentionDays");
        expect(error.message).to.contain("wider than a /8");
    });

    for (const env of FULL_ENVIRONMENTS) {
        it(`Pulumi.${env}.yaml holds exactly the keys the ${env} stack reads`, () => {
            const file = path.join(__dirname, "..", "..", "platform", `Pulumi.${env}.yaml`);
            const keys = Object.keys((parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config);
            const expected = [...platformConfigKeys(env), CLUSTER_CONFIG_KEY].map((key) => `platform:${key}`);
            expect([...keys].sort()).to.deep.equal([...expected].sort());
        });
    }
});

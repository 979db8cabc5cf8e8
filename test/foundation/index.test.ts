import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { FOUNDATION_CONFIG_KEYS } from "../../foundation/config";
import { FOUNDATION_OUTPUT_KEYS } from "../../foundation/outputs";
import { standardTags } from "../../lib/tags";
import { Inventory } from "../harness";
import { foundationOrg, jsonInput, outputsOf, stackFileConfig } from "./fixture";

describe("foundation stack", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("exports exactly the FoundationOutputs contract", () => {
        expect(Object.keys(inventory.outputs)).to.have.members([...FOUNDATION_OUTPUT_KEYS]);
        for (const key of FOUNDATION_OUTPUT_KEYS) {
            expect(inventory.outputs[key], key).to.not.equal(undefined);
            expect(JSON.stringify(inventory.outputs[key]), key).to.not.include("[unknown]");
        }
    });

    it("gives every resource an explicit provider that tags it as the foundation layer", () => {
        const config = stackFileConfig();
        const expectedTags = standardTags({ environment: "org", layer: "foundation", owner: config.owner, costCenter: config.costCenter });
        const custom = inventory.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        expect(custom.filter((r) => r.provider === null).map((r) => r.name)).to.deep.equal([]);
        const providers = inventory.ofType("pulumi:providers:aws");
        // The management account and Organizations' access role in each of the 4 member accounts.
        expect(providers).to.have.length(5);
        for (const provider of providers) {
            expect(jsonInput(inventory, provider, "defaultTags").tags, provider.name).to.deep.equal(expectedTags);
            expect(inventory.input(provider, "region")).to.equal(config.region);
        }
    });

    it("pins the management provider to the management account", () => {
        const management = inventory.named("org-provider-management");
        expect(jsonInput(inventory, management, "allowedAccountIds")).to.deep.equal([stackFileConfig().managementAccountId]);
        expect(inventory.input(management, "assumeRoles")).to.equal(undefined);
    });

    it("reaches each member account only through OrganizationAccountAccessRole, the audit resources included", () => {
        const { accountIds } = outputsOf(inventory);
        for (const account of ["security", "test", "preprod", "prod"] as const) {
            const provider = inventory.named(`org-provider-${account}`);
            expect(jsonInput(inventory, provider, "assumeRoles")).to.deep.equal([
                { roleArn: `arn:aws:iam::${accountIds[account]}:role/OrganizationAccountAccessRole`, sessionName: "foundation" },
            ]);
        }
        const security = inventory.named("org-provider-security").urn;
        expect(inventory.resources.filter((r) => r.provider === security).map((r) => r.type)).to.include.members([
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
            "aws:guardduty/detector:Detector",
        ]);
    });

    it("has a Pulumi.yaml for a TypeScript program and a stack file with every key the layer reads", () => {
        const dir = path.join(__dirname, "..", "..", "foundation");
        const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        expect(project.name).to.equal("foundation");
        expect(project.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
        expect(fs.existsSync(path.join(dir, project.main))).to.equal(true);
        expect(Object.keys(stackFileConfig())).to.have.members([...FOUNDATION_CONFIG_KEYS]);
    });
});

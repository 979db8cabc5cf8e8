import { expect } from "chai";
import { trailArn } from "../../foundation/organization-trail";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf, stackFileConfig } from "./fixture";

const TRAIL = "aws:cloudtrail/trail:Trail";

describe("foundation organization trail", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("logs every region of every account, with log file validation, KMS encryption and global events", () => {
        const trail = inventory.one(TRAIL);
        expect(inventory.input(trail, "isOrganizationTrail")).to.equal(true);
        expect(inventory.input(trail, "isMultiRegionTrail")).to.equal(true);
        expect(inventory.input(trail, "enableLogFileValidation")).to.equal(true);
        expect(inventory.input(trail, "includeGlobalServiceEvents")).to.equal(true);
        const key = inventory.one("aws:kms/key:Key", "org-log-archive-key");
        expect(inventory.dependenciesOf(trail).map((d) => d.urn)).to.include(key.urn);
        expect(inventory.input<string>(trail, "kmsKeyId")).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    });

    it("is owned by the management account and writes into the security account's archive", () => {
        const { accountIds, logArchiveBucket } = outputsOf(inventory);
        const trail = inventory.one(TRAIL);
        expect(accountOf(inventory, trail)).to.equal(accountIds.management);
        expect(inventory.input(trail, "s3BucketName")).to.equal(logArchiveBucket);
        expect(accountOf(inventory, inventory.one("aws:s3/bucket:Bucket"))).to.equal(accountIds.security);
        expect(accountOf(inventory, inventory.one("aws:kms/key:Key", "org-log-archive-key"))).to.equal(accountIds.security);
    });

    it("is created only after the archive's bucket policy lets CloudTrail in", () => {
        const trail = inventory.one(TRAIL);
        const archive = inventory.one("payments:foundation:LogArchive");
        const waitsFor = new Set(inventory.dependenciesOf(trail).map((d) => d.urn));
        // Waiting on the component waits on its children, the bucket policy among them.
        expect(waitsFor.has(archive.urn) || waitsFor.has(inventory.one("aws:s3/bucketPolicy:BucketPolicy").urn)).to.equal(true);
    });

    it("has the ARN the archive policies expect", () => {
        const config = stackFileConfig();
        const trail = inventory.one(TRAIL);
        expect(trailArn(config.region, config.managementAccountId, inventory.input(trail, "name"))).to.equal(`arn:aws:cloudtrail:us-east-1:${config.managementAccountId}:trail/org-audit-trail`);
    });
});

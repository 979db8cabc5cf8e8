import { expect } from "chai";
import { Inventory } from "../harness";
import { foundationOrg, jsonInput, outputsOf, stackFileConfig } from "./fixture";

describe("foundation log archive", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("is versioned, object-locked in compliance mode and expires on a lifecycle", () => {
        const { objectLockDays, transitionToGlacierDays, expirationDays } = stackFileConfig().logArchive;
        expect(inventory.input(inventory.one("aws:s3/bucket:Bucket"), "objectLockEnabled")).to.equal(true);
        expect(inventory.input(inventory.one("aws:s3/bucketVersioning:BucketVersioning"), "versioningConfiguration.status")).to.equal(
            "Enabled",
        );
        const lock = inventory.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
        expect(inventory.input(lock, "rule.defaultRetention")).to.deep.equal({ mode: "COMPLIANCE", days: objectLockDays });
        const rules = inventory.input<any[]>(inventory.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), "rules");
        const archive = rules.find((r) => r.id === "archive-then-expire");
        expect(archive.transitions).to.deep.equal([{ days: transitionToGlacierDays, storageClass: "GLACIER" }]);
        expect(archive.expiration.days).to.equal(expirationDays);
    });

    it("is encrypted with its own rotating KMS key and blocks public access", () => {
        const encryption = inventory.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        expect(inventory.input(encryption, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm")).to.equal("aws:kms");
        expect(inventory.input(inventory.one("aws:kms/key:Key", "org-log-archive-key"), "enableKeyRotation")).to.equal(true);
        const block = inventory.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        expect(inventory.input(block, "restrictPublicBuckets")).to.equal(true);
    });

    it("accepts writes from the organization trail only, under the organization's and management account's prefixes", () => {
        const { organizationId, logArchiveBucket, accountIds } = outputsOf(inventory);
        const policy = jsonInput(inventory, inventory.one("aws:s3/bucketPolicy:BucketPolicy"), "policy");
        const write = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudTrailWritesOrganizationTrail");
        expect(write.Principal).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
        expect(write.Resource).to.have.members([
            `arn:aws:s3:::${logArchiveBucket}/AWSLogs/${accountIds.management}/*`,
            `arn:aws:s3:::${logArchiveBucket}/AWSLogs/${organizationId}/*`,
        ]);
        expect(write.Condition.StringEquals["aws:SourceArn"]).to.equal(
            `arn:aws:cloudtrail:us-east-1:${accountIds.management}:trail/org-audit-trail`,
        );
        const keyPolicy = jsonInput(inventory, inventory.one("aws:kms/key:Key", "org-log-archive-key"), "policy");
        const encrypt = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === "CloudTrailEncryptsOrganizationTrail");
        expect(encrypt.Condition.StringEquals["aws:SourceArn"]).to.equal(write.Condition.StringEquals["aws:SourceArn"]);
    });

    it("keeps the bucket when the stack is destroyed", () => {
        expect(inventory.one("aws:s3/bucket:Bucket").retainOnDelete).to.equal(true);
    });
});

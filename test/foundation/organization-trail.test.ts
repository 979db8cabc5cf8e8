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
        expect(trailArn(config.region, config.managementAccountId, inventory.input(trail, "name"))).to.equal(
            `arn:aws:cloudtrail:us-east-1:${config.managementAccountId}:trail/org-audit-trail`,
        );
    });

    it("also delivers to a KMS-encrypted CloudWatch log group kept a year, through a role only CloudTrail of this account assumes", () => {
        const { accountIds } = outputsOf(inventory);
        const trail = inventory.one(TRAIL);
        const group = inventory.one("aws:cloudwatch/logGroup:LogGroup", "org-audit-trail-logs");
        expect(inventory.input(group, "retentionInDays")).to.equal(365);
        expect(inventory.input<string>(group, "kmsKeyId")).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
        expect(accountOf(inventory, group)).to.equal(accountIds.management);
        expect(inventory.input<string>(trail, "cloudWatchLogsGroupArn")).to.match(
            /^arn:aws:logs:us-east-1:\d{12}:log-group:\/aws\/cloudtrail\/org-audit-trail:\*$/,
        );
        const role = inventory.one("aws:iam/role:Role", "org-audit-trail-logs");
        expect(inventory.input(trail, "cloudWatchLogsRoleArn")).to.match(/:role\/org-audit-trail-logs$/);
        const trust = JSON.parse(inventory.input<string>(role, "assumeRolePolicy"));
        expect(trust.Statement).to.deep.equal([
            {
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountIds.management } },
            },
        ]);
        const policy = JSON.parse(
            inventory.input<string>(inventory.one("aws:iam/rolePolicy:RolePolicy", "org-audit-trail-logs"), "policy"),
        );
        expect(policy.Statement[0].Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
        expect(policy.Statement[0].Resource).to.match(/:log-group:\/aws\/cloudtrail\/org-audit-trail:log-stream:\*$/);
    });
});

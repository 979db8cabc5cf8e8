import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { SecureBucket } from "../../lib/secure-bucket";
import { Inventory, synthesize } from "../harness";

function bucketIn(args: Partial<ConstructorParameters<typeof SecureBucket>[1]> = {}) {
    return synthesize(
        () => {
            const provider = new aws.Provider("p", { region: "us-east-1" });
            new SecureBucket(
                "data",
                { bucketName: "prod-data", versioning: true, kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/k", ...args },
                { provider },
            );
        },
        { project: "demo", stack: "prod" },
    );
}

function policyOf(inventory: Inventory) {
    return JSON.parse(inventory.input<string>(inventory.one("aws:s3/bucketPolicy:BucketPolicy"), "policy"));
}

describe("SecureBucket", () => {
    it("blocks public access, disables ACLs and encrypts with the given KMS key", async () => {
        const inventory = await bucketIn();
        const block = inventory.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        expect(block).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(inventory.input(inventory.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), "rule.objectOwnership")).to.equal(
            "BucketOwnerEnforced",
        );
        const sse = inventory.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        expect(inventory.input(sse, "rules[0].applyServerSideEncryptionByDefault")).to.deep.equal({
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "arn:aws:kms:us-east-1:111111111111:key/k",
        });
    });

    it("denies every request without TLS, after the public access block exists", async () => {
        const inventory = await bucketIn();
        const [statement] = policyOf(inventory).Statement;
        expect(statement).to.deep.include({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        expect(statement.Resource).to.deep.equal(["arn:aws:s3:::prod-data", "arn:aws:s3:::prod-data/*"]);
        const policy = inventory.one("aws:s3/bucketPolicy:BucketPolicy");
        expect(policy.dependencies).to.include(inventory.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").urn);
    });

    it("enables versioning and object lock only when asked, and always aborts stale multipart uploads", async () => {
        const locked = await bucketIn({ objectLock: { mode: "COMPLIANCE", days: 365 } });
        expect(locked.input(locked.one("aws:s3/bucket:Bucket"), "objectLockEnabled")).to.equal(true);
        expect(
            locked.input(locked.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"), "rule.defaultRetention"),
        ).to.deep.equal({ mode: "COMPLIANCE", days: 365 });
        const plain = await bucketIn({ versioning: false, kmsKeyArn: undefined });
        expect(plain.ofType("aws:s3/bucketVersioning:BucketVersioning")).to.have.length(0);
        expect(
            plain.input(
                plain.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
                "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm",
            ),
        ).to.equal("AES256");
        expect(
            plain.input(
                plain.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
                "rules[0].abortIncompleteMultipartUpload.daysAfterInitiation",
            ),
        ).to.equal(7);
    });

    it("refuses object lock without versioning", async () => {
        const error = await bucketIn({ versioning: false, objectLock: { mode: "GOVERNANCE", days: 1 } }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.message).to.include("object lock requires versioning");
    });
});

import * as aws from "@pulumi/aws";
import { PlannedResource } from "../../plan-model/types";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const TLS_ONLY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::prod-raw", "arn:aws:s3:::prod-raw/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
};

/** A bucket with every companion a compliant data bucket has, each referring to it by name and dependency. */
function fullBucket(
    b: StackBuilder,
    name: string,
    overrides: Partial<Record<string, Record<string, unknown> | null>> = {},
): PlannedResource {
    const bucket = b.add(BUCKET, name, { bucket: name });
    const companion = (type: string, suffix: string, inputs: Record<string, unknown>) => {
        const custom = overrides[suffix];
        if (custom !== null) {
            b.add(type, `${name}-${suffix}`, { bucket: name, ...inputs, ...(custom ?? {}) }, { dependsOn: [bucket] });
        }
    };
    companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    companion("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
        rules: [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:111111111111:key/k" },
                bucketKeyEnabled: true,
            },
        ],
    });
    companion("aws:s3/bucketPolicy:BucketPolicy", "policy", { policy: JSON.stringify(TLS_ONLY) });
    companion("aws:s3/bucketVersioning:BucketVersioning", "versioning", { versioningConfiguration: { status: "Enabled" } });
    companion("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership", { rule: { objectOwnership: "BucketOwnerEnforced" } });
    return bucket;
}

describe("policy-pack s3", () => {
    describe("BucketV2 inline configuration (the provider's plural list inputs)", () => {
        it("passes a BucketV2 that declares encryption and versioning inline", () => {
            const b = new StackBuilder("prod");
            b.resource(aws.s3.BucketV2, "prod-raw", {
                bucket: "prod-raw",
                serverSideEncryptionConfigurations: [
                    { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }], bucketKeyEnabled: true }] },
                ],
                versionings: [{ enabled: true }],
            });
            expectCompliant("s3-encryption", b);
            expectCompliant("s3-versioning", b);
        });
        it("flags a BucketV2 whose inline versioning is off and that declares no encryption", () => {
            const b = new StackBuilder("prod");
            b.resource(aws.s3.BucketV2, "prod-raw", { bucket: "prod-raw", versionings: [{ enabled: false }] });
            expectViolation("s3-encryption", b, ["prod-raw"], /encryption/);
            expectViolation("s3-versioning", b, ["prod-raw"], /versioning/);
        });
        it("passes a Bucket (v1) that declares both inline", () => {
            const b = new StackBuilder("prod");
            b.resource(aws.s3.Bucket, "prod-raw", {
                bucket: "prod-raw",
                serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
                versioning: { enabled: true },
            });
            expectCompliant("s3-encryption", b);
            expectCompliant("s3-versioning", b);
        });
    });

    describe("s3-public-access-block", () => {
        it("passes a bucket whose access block sets all four flags", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw");
            expectCompliant("s3-public-access-block", b);
        });
        it("flags a bucket without an access block and one with a flag off", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { pab: null });
            fullBucket(b, "prod-assets", { pab: { restrictPublicBuckets: false } });
            expectViolation("s3-public-access-block", b, ["prod-raw", "prod-assets"], /public access block|BucketPublicAccessBlock/);
        });
        it("links an auto-named bucket through its dependency", () => {
            const b = new StackBuilder("prod");
            const bucket = b.add(BUCKET, "prod-auto", {});
            b.add(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "prod-auto-pab",
                {
                    bucket: "prod-auto-1a2b3c4",
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                { dependsOn: [bucket] },
            );
            expectCompliant("s3-public-access-block", b);
        });
        it("cannot verify while a flag is unknown", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { pab: { blockPublicPolicy: UNKNOWN } });
            expectCannotVerify("s3-public-access-block", b);
        });
    });

    describe("s3-encryption", () => {
        it("passes KMS default encryption, and inline AES256 on a log bucket", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw");
            b.add(BUCKET, "prod-alb-logs", {
                serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
            });
            expectCompliant("s3-encryption", b);
        });
        it("flags a bucket without default encryption", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { sse: null });
            expectViolation("s3-encryption", b, ["prod-raw"], /no default encryption/);
        });
    });

    describe("s3-tls-only", () => {
        it("passes a bucket policy denying aws:SecureTransport=false", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw");
            expectCompliant("s3-tls-only", b);
        });
        it("flags a bucket without a policy and one whose policy only allows", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { policy: null });
            fullBucket(b, "prod-assets", {
                policy: {
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" },
                        ],
                    }),
                },
            });
            expectViolation("s3-tls-only", b, ["prod-raw", "prod-assets"], /SecureTransport/);
        });
        it("cannot verify a policy document that is unknown until apply", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { policy: { policy: UNKNOWN } });
            expectCannotVerify("s3-tls-only", b);
        });
    });

    describe("s3-versioning", () => {
        it("passes a versioned data bucket and skips a load balancer's log bucket", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw");
            const logs = b.add(BUCKET, "prod-edge-logs", { bucket: "prod-edge-logs" });
            b.add(
                "aws:lb/loadBalancer:LoadBalancer",
                "prod-alb",
                { accessLogs: { bucket: "prod-edge-logs", enabled: true } },
                { dependsOn: [logs] },
            );
            expectCompliant("s3-versioning", b);
        });
        it("cannot verify an unversioned bucket that may be the log target named by an unknown reference", () => {
            const b = new StackBuilder("prod");
            const assets = fullBucket(b, "prod-assets");
            const maybeLogs = fullBucket(b, "prod-edge", { versioning: null });
            b.add(
                "aws:cloudfront/distribution:Distribution",
                "prod-cdn",
                { loggingConfig: { bucket: UNKNOWN } },
                { dependsOn: [assets, maybeLogs] },
            );
            expectCannotVerify("s3-versioning", b);
        });
        it("flags an unversioned data bucket, mandatory in prod and advisory elsewhere", () => {
            const prod = new StackBuilder("prod");
            fullBucket(prod, "prod-raw", { versioning: { versioningConfiguration: { status: "Suspended" } } });
            const [violation] = expectViolation("s3-versioning", prod, ["prod-raw"], /versioning/);
            const test = new StackBuilder("test");
            fullBucket(test, "test-raw", { versioning: null });
            const [advisory] = expectViolation("s3-versioning", test, ["test-raw"], /versioning/);
            if (violation.enforcementLevel !== "mandatory" || advisory.enforcementLevel !== "advisory") {
                throw new Error(`levels: prod ${violation.enforcementLevel}, test ${advisory.enforcementLevel}`);
            }
        });
    });

    describe("s3-acls-disabled", () => {
        it("passes BucketOwnerEnforced, and a CloudFront log bucket that needs ACLs", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw");
            const cfLogs = fullBucket(b, "prod-cf-logs", { ownership: { rule: { objectOwnership: "BucketOwnerPreferred" } } });
            b.add(
                "aws:cloudfront/distribution:Distribution",
                "prod-cdn",
                { loggingConfig: { bucket: "prod-cf-logs.s3.amazonaws.com" } },
                { dependsOn: [cfLogs] },
            );
            expectCompliant("s3-acls-disabled", b);
        });
        it("recognises an auto-named CloudFront log bucket by its domain name when the distribution depends on several buckets", () => {
            const b = new StackBuilder("prod");
            const assets = fullBucket(b, "prod-assets");
            const logs = b.add(BUCKET, "prod-cf-logs", {});
            b.add(
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "prod-cf-logs-ownership",
                { bucket: UNKNOWN, rule: { objectOwnership: "BucketOwnerPreferred" } },
                { dependsOn: [logs] },
            );
            b.add(
                "aws:cloudfront/distribution:Distribution",
                "prod-cdn",
                { loggingConfig: { bucket: "prod-cf-logs-0a1b2c3.s3.amazonaws.com" } },
                { dependsOn: [assets, logs] },
            );
            expectCompliant("s3-acls-disabled", b);
        });
        it("flags ObjectWriter ownership and a public-read ACL", () => {
            const b = new StackBuilder("prod");
            fullBucket(b, "prod-raw", { ownership: { rule: { objectOwnership: "ObjectWriter" } } });
            const assets = fullBucket(b, "prod-assets");
            b.add("aws:s3/bucketAcl:BucketAcl", "prod-assets-acl", { bucket: "prod-assets", acl: "public-read" }, { dependsOn: [assets] });
            expectViolation("s3-acls-disabled", b, ["prod-raw", "prod-assets"], /ACL/);
        });
    });

    describe("during a preview, when companions name the bucket by an id unknown until apply", () => {
        function previewBucket(inputs: Record<string, Record<string, unknown>>): StackBuilder {
            const b = new StackBuilder("prod");
            const bucket = b.add(BUCKET, "prod-raw", {});
            for (const [type, props] of Object.entries(inputs)) {
                b.add(type, `prod-raw-${type.split(":").pop()}`, { bucket: UNKNOWN, ...props }, { dependsOn: [bucket] });
            }
            return b;
        }
        it("links them through their dependency on the bucket, so a compliant bucket passes every S3 policy", () => {
            const b = previewBucket({
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }],
                },
                "aws:s3/bucketPolicy:BucketPolicy": { policy: JSON.stringify(TLS_ONLY) },
                "aws:s3/bucketVersioning:BucketVersioning": { versioningConfiguration: { status: "Enabled" } },
            });
            for (const policy of ["s3-public-access-block", "s3-encryption", "s3-tls-only", "s3-versioning", "s3-acls-disabled"]) {
                expectCompliant(policy, b);
            }
        });
        it("does not pass a bucket whose companion settings are unknown", () => {
            const b = previewBucket({
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { rules: UNKNOWN },
                "aws:s3/bucketVersioning:BucketVersioning": { versioningConfiguration: UNKNOWN },
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { rule: UNKNOWN },
            });
            for (const policy of ["s3-encryption", "s3-versioning", "s3-acls-disabled"]) {
                expectCannotVerify(policy, b);
            }
        });
    });
    it("s3-lifecycle: a bucket needs a lifecycle configuration with an enabled rule", () => {
        const b = new StackBuilder("prod");
        const kept = b.resource(aws.s3.Bucket, "prod-raw", { bucket: "prod-raw" });
        b.resource(
            aws.s3.BucketLifecycleConfiguration,
            "prod-raw-lifecycle",
            { bucket: "prod-raw", rules: [{ id: "old-versions", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } }] },
            { dependsOn: [kept] },
        );
        const paused = b.resource(aws.s3.Bucket, "prod-paused", { bucket: "prod-paused" });
        b.resource(
            aws.s3.BucketLifecycleConfiguration,
            "prod-paused-lifecycle",
            { bucket: "prod-paused", rules: [{ id: "expire", status: "Disabled", expiration: { days: 30 } }] },
            { dependsOn: [paused] },
        );
        b.resource(aws.s3.Bucket, "prod-forever", { bucket: "prod-forever" });
        b.resource(aws.s3.Bucket, "prod-inline", { bucket: "prod-inline", lifecycleRules: [{ enabled: true, expiration: { days: 90 } }] });
        expectViolation("s3-lifecycle", b, ["prod-paused", "prod-forever"], /no lifecycle configuration with an enabled rule/);
    });
});

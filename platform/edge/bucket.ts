import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucketArgs {
    bucketName: string;
    /**
     * `BucketOwnerPreferred` keeps ACLs available, which only CloudFront standard logging needs
     * (it grants itself write access through an ACL); everything else disables ACLs.
     */
    objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    versioned: boolean;
    expireAfterDays?: number;
    forceDestroy: boolean;
    /** Statements besides the TLS-only deny, given the bucket's ARN. */
    statements: (bucketArn: pulumi.Output<string>) => pulumi.Input<aws.iam.PolicyStatement>[];
}

/**
 * An S3 bucket nobody reaches publicly: public access blocked, TLS required, SSE-S3 (the only
 * encryption ELB access logs and CloudFront standard logs can write to), optional expiry.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:PrivateBucket", name, {}, opts);
        const parent = { parent: this };
        this.bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: args.forceDestroy }, parent);
        const bucket = this.bucket.id;
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketOwnershipControls(name, { bucket, rule: { objectOwnership: args.objectOwnership } }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, parent);
        if (args.versioned) {
            new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: "Enabled" } }, parent);
        }
        if (args.expireAfterDays !== undefined) {
            new aws.s3.BucketLifecycleConfiguration(
                name,
                {
                    bucket,
                    rules: [
                        {
                            id: "expire",
                            status: "Enabled",
                            filter: { prefix: "" },
                            expiration: { days: args.expireAfterDays },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                parent,
            );
        }
        const arn = this.bucket.arn;
        new aws.s3.BucketPolicy(
            name,
            {
                bucket,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, pulumi.interpolate`${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        ...args.statements(arn),
                    ],
                }),
            },
            // S3 rejects policies granting a service principal until the public access block exists.
            { parent: this, dependsOn: [publicAccess] },
        );
        this.registerOutputs({ bucket: this.bucket.id });
    }
}

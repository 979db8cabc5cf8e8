import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../../workloads/stateful";

export interface PrivateBucketArgs {
    bucketName: string;
    /**
     * `BucketOwnerPreferred` keeps ACLs available, which only CloudFront standard logging needs
     * (it grants itself write access through an ACL); everything else disables ACLs.
     */
    objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    versioned: boolean;
    expireAfterDays?: number;
    /** Prod: protected and retained on delete; elsewhere emptied on destroy so envs tear down cleanly. */
    protect: boolean;
}

/**
 * An S3 bucket nobody reaches publicly: public access blocked, TLS required, SSE-S3 (the only
 * encryption ELB access logs and CloudFront standard logs can write to), optional expiry.
 * The owner adds its grants once with `attachPolicy`, which may name resources created after
 * the bucket (e.g. the distribution that reads it).
 */
export class PrivateBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    private readonly bucketLogicalName: string;
    private readonly publicAccess: aws.s3.BucketPublicAccessBlock;

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:PrivateBucket", name, {}, opts);
        const parent = { parent: this };
        this.bucketLogicalName = name;
        this.bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: !args.protect }, statefulOptions(args.protect, parent));
        const bucket = this.bucket.id;
        this.publicAccess = new aws.s3.BucketPublicAccessBlock(
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
        this.registerOutputs({ bucket: this.bucket.id });
    }

    /** The bucket policy: TLS-only, plus `statements` (given the bucket ARN). */
    attachPolicy(statements: (bucketArn: pulumi.Output<string>) => pulumi.Input<aws.iam.PolicyStatement>[]): aws.s3.BucketPolicy {
        const arn = this.bucket.arn;
        return new aws.s3.BucketPolicy(
            this.bucketLogicalName,
            {
                bucket: this.bucket.id,
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
                        ...statements(arn),
                    ],
                }),
            },
            // S3 rejects policies granting a service principal until the public access block exists.
            { parent: this, dependsOn: [this.publicAccess] },
        );
    }
}

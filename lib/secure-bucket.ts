import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecureBucketArgs {
    /** The physical bucket name (lib/naming, kind "s3Bucket"). */
    bucketName: pulumi.Input<string>;
    /** SSE-KMS with this key; omitted means SSE-S3, which is what ALB access logs require. */
    kmsKeyArn?: pulumi.Input<string>;
    versioning: boolean;
    /** Lifecycle rules (the abort-incomplete-multipart rule is always added). */
    lifecycleRules?: aws.types.input.s3.BucketLifecycleConfigurationRule[];
    /** Object lock in governance/compliance mode for this many days; needs versioning. */
    objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
    /** Statements added to the TLS-only bucket policy (e.g. service principals that write logs). */
    policyStatements?: pulumi.Input<aws.iam.PolicyStatement>[];
    /**
     * Leave the policy to a later `attachPolicy` call, for grants that name resources created
     * after the bucket (e.g. the CloudFront distribution that reads it).
     */
    deferPolicy?: boolean;
    /**
     * `BucketOwnerPreferred` keeps ACLs available, which only CloudFront standard logging needs
     * (it grants itself write access through an ACL); the default disables ACLs.
     */
    objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred";
    /** Only for ephemeral environments: lets `pulumi destroy` delete a bucket that still holds objects. */
    forceDestroy?: boolean;
}

/** Denies every request that does not use TLS, for this bucket and its objects. */
export function tlsOnlyStatement(bucketArn: pulumi.Input<string>): pulumi.Output<aws.iam.PolicyStatement> {
    return pulumi.output(bucketArn).apply((arn): aws.iam.PolicyStatement => ({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    }));
}

/**
 * An S3 bucket with the estate's baseline: public access blocked, ACLs disabled (bucket owner
 * enforced), encryption by default, TLS-only policy, optional versioning, lifecycle and object lock.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    private readonly logicalName: string;
    private readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    private policy?: aws.s3.BucketPolicy;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:lib:SecureBucket", name, {}, opts);
        if (args.objectLock && !args.versioning) {
            throw new Error(`SecureBucket ${name}: object lock requires versioning`);
        }
        const child = { parent: this };
        // retainOnDelete is not inherited from the component, and the bucket is what holds the data.
        this.bucket = new aws.s3.Bucket(
            name,
            { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, objectLockEnabled: args.objectLock !== undefined },
            { ...child, retainOnDelete: opts?.retainOnDelete },
        );
        this.arn = this.bucket.arn;
        this.name = this.bucket.bucket;

        this.logicalName = name;
        this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        new aws.s3.BucketOwnershipControls(
            name,
            { bucket: this.bucket.id, rule: { objectOwnership: args.objectOwnership ?? "BucketOwnerEnforced" } },
            child,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: this.bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: args.kmsKeyArn
                            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }
                            : { sseAlgorithm: "AES256" },
                        bucketKeyEnabled: args.kmsKeyArn !== undefined,
                    },
                ],
            },
            child,
        );
        const versioning = args.versioning
            ? new aws.s3.BucketVersioning(name, { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } }, child)
            : undefined;
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket: this.bucket.id,
                rules: [
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: {},
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    ...(args.lifecycleRules ?? []),
                ],
            },
            { ...child, dependsOn: versioning ? [versioning] : [] },
        );
        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                name,
                { bucket: this.bucket.id, rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
                { ...child, dependsOn: versioning ? [versioning] : [] },
            );
        }
        if (!args.deferPolicy) {
            this.attachPolicy(() => args.policyStatements ?? []);
        }
        this.registerOutputs({ arn: this.arn, name: this.name });
    }

    /** The bucket policy: TLS-only plus `statements` (given the bucket ARN). A bucket has one policy. */
    attachPolicy(statements: (bucketArn: pulumi.Output<string>) => pulumi.Input<aws.iam.PolicyStatement>[]): aws.s3.BucketPolicy {
        if (this.policy) {
            throw new Error(`SecureBucket ${this.logicalName} already has its policy`);
        }
        const document = pulumi
            .all([tlsOnlyStatement(this.bucket.arn), ...statements(this.bucket.arn)])
            .apply((all): aws.iam.PolicyDocument => ({ Version: "2012-10-17", Statement: all as aws.iam.PolicyStatement[] }));
        // After the public access block: S3 rejects policies granting a service principal while a change to it is in flight.
        this.policy = new aws.s3.BucketPolicy(
            this.logicalName,
            { bucket: this.bucket.id, policy: document.apply((doc) => JSON.stringify(doc)) },
            { parent: this, dependsOn: [this.publicAccessBlock] },
        );
        return this.policy;
    }
}

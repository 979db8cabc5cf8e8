import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { createDataKey, statefulOptions } from "./stateful";
import { PAYMENTS_TABLE_KEY } from "./worker/contract";

/**
 * Where the API archives raw payloads (`payments/<yyyy>/<mm>/<dd>/<paymentId>.json`); the bucket
 * notification, the lifecycle rule and the worker's IAM are scoped to it.
 */
export const RAW_PAYLOAD_PREFIX = "payments/";
/** Epoch seconds after which DynamoDB deletes an idempotency record. */
export const TTL_ATTRIBUTE = "expiresAt";

export interface IngestArgs {
    env: Environment;
    /** Makes the bucket name globally unique without a random suffix. */
    accountId: string;
    glacierAfterDays: number;
    /** Compliance-mode retention of every object version; 0 disables object lock. */
    objectLockDays: number;
    /** Let `pulumi destroy` empty the bucket (PR environments only). */
    forceDestroy: boolean;
    /** Deletion protection on the table, protect + retainOnDelete on table, bucket and key. */
    protect: boolean;
}

/**
 * Where a payment first lands: the `payments` table (status and idempotency) and the
 * raw-payload archive bucket, both encrypted with the environment's data key.
 */
export class Ingest extends pulumi.ComponentResource {
    readonly dataKey: aws.kms.Key;
    readonly table: aws.dynamodb.Table;
    readonly bucket: aws.s3.Bucket;

    constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:Ingest", name, {}, opts);
        const namer = new Namer(args.env);
        const stateful = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(args.protect, { parent: this, ...extra });

        this.dataKey = createDataKey(
            namer.name("payments-data", { suffix: "key" }),
            { name: namer.name("payments-data"), description: `Payments table and raw payloads (${args.env})`, protect: args.protect },
            this,
        );

        const tableName = namer.name("payments", { kind: "dynamodbTable" });
        this.table = new aws.dynamodb.Table(
            tableName,
            {
                name: tableName,
                billingMode: "PAY_PER_REQUEST",
                hashKey: PAYMENTS_TABLE_KEY,
                attributes: [{ name: PAYMENTS_TABLE_KEY, type: "S" }],
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true, kmsKeyArn: this.dataKey.arn },
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
                deletionProtectionEnabled: args.protect,
            },
            stateful(),
        );

        const bucketLogicalName = namer.name("payments-raw");
        this.bucket = new aws.s3.Bucket(
            bucketLogicalName,
            {
                bucket: namer.name("payments-raw", { suffix: args.accountId, kind: "s3Bucket" }),
                forceDestroy: args.forceDestroy,
                objectLockEnabled: args.objectLockDays > 0,
            },
            stateful(),
        );
        const bucket = this.bucket.id;
        const child = { parent: this };

        new aws.s3.BucketOwnershipControls(bucketLogicalName, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            bucketLogicalName,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(bucketLogicalName, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            bucketLogicalName,
            {
                bucket,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.dataKey.arn }, bucketKeyEnabled: true }],
            },
            child,
        );
        new aws.s3.BucketPolicy(
            bucketLogicalName,
            {
                bucket,
                policy: this.bucket.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DenyInsecureTransport",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: [arn, `${arn}/*`],
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            // S3 rejects any bucket policy while a public-access-block change is in flight.
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            bucketLogicalName,
            {
                bucket,
                rules: [
                    {
                        id: "archive-raw-payloads",
                        status: "Enabled",
                        filter: { prefix: RAW_PAYLOAD_PREFIX },
                        transitions: [{ days: args.glacierAfterDays, storageClass: "GLACIER" }],
                        noncurrentVersionTransitions: [{ noncurrentDays: args.glacierAfterDays, storageClass: "GLACIER" }],
                    },
                    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
        if (args.objectLockDays > 0) {
            new aws.s3.BucketObjectLockConfiguration(
                bucketLogicalName,
                { bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: args.objectLockDays } } },
                { parent: this, dependsOn: [versioning] },
            );
        }

        this.registerOutputs({ tableName: this.table.name, tableArn: this.table.arn, bucket: this.bucket.bucket, bucketArn: this.bucket.arn });
    }
}

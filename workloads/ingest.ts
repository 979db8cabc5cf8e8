import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";
import { createDataKey, statefulOptions } from "../lib/stateful";
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

        this.bucket = new SecureBucket(
            namer.name("payments-raw"),
            {
                bucketName: namer.name("payments-raw", { suffix: args.accountId, kind: "s3Bucket" }),
                kmsKeyArn: this.dataKey.arn,
                versioning: true,
                forceDestroy: args.forceDestroy,
                objectLock: args.objectLockDays > 0 ? { mode: "COMPLIANCE", days: args.objectLockDays } : undefined,
                lifecycleRules: [
                    {
                        id: "archive-raw-payloads",
                        status: "Enabled",
                        filter: { prefix: RAW_PAYLOAD_PREFIX },
                        transitions: [{ days: args.glacierAfterDays, storageClass: "GLACIER" }],
                        noncurrentVersionTransitions: [{ noncurrentDays: args.glacierAfterDays, storageClass: "GLACIER" }],
                    },
                ],
            },
            stateful(),
        ).bucket;

        this.registerOutputs({
            tableName: this.table.name,
            tableArn: this.table.arn,
            bucket: this.bucket.bucket,
            bucketArn: this.bucket.arn,
        });
    }
}

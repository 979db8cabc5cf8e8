import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";
import type { LogArchiveConfig } from "./config";
import { CONFIG_DELIVERY_PREFIX } from "./config-recorder";
import { policyDocument } from "./policies/document";

export interface LogArchiveArgs extends LogArchiveConfig {
    bucketName: string;
    securityAccountId: pulumi.Input<string>;
    managementAccountId: string;
    organizationId: pulumi.Input<string>;
    /** The organization trail's ARN: only that trail may write, so no other trail can fill or spoof the archive. */
    trailArn: string;
    /** The accounts whose AWS Config delivers here, each only under its own `config/AWSLogs/<account>/Config/` prefix. */
    configAccountIds: pulumi.Input<string>[];
}

/** The organization's log archive in the security account: KMS-encrypted, versioned, object-locked. */
export class LogArchive extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:LogArchive", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const trailCondition = { StringEquals: { "aws:SourceArn": args.trailArn } };

        const keyPolicy = pulumi.all([args.securityAccountId, args.configAccountIds]).apply(([securityAccountId, configAccountIds]) =>
            JSON.stringify(
                policyDocument(
                    {
                        Sid: "AccountAdministersThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${securityAccountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "CloudTrailEncryptsOrganizationTrail",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "kms:GenerateDataKey*",
                        Resource: "*",
                        Condition: {
                            ...trailCondition,
                            StringLike: {
                                "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${args.managementAccountId}:trail/*`,
                            },
                        },
                    },
                    {
                        Sid: "CloudTrailDescribesKey",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "kms:DescribeKey",
                        Resource: "*",
                        Condition: trailCondition,
                    },
                    {
                        // Config's deliveries are encrypted with this key; only for the organization's own recorders.
                        Sid: "ConfigEncryptsDeliveries",
                        Effect: "Allow",
                        Principal: { Service: "config.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": configAccountIds } },
                    },
                ),
            ),
        );
        const key = new aws.kms.Key(
            namer.name("key"),
            {
                description: "Encrypts the organization CloudTrail log archive",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: keyPolicy,
            },
            // The audit trail of every account (PCI DSS 10.5): never removed by a stray destroy.
            { ...child, protect: true },
        );
        new aws.kms.Alias(namer.name("key-alias"), { name: `alias/${namer.name("key")}`, targetKeyId: key.keyId }, child);

        const bucket = new SecureBucket(
            namer.name("bucket"),
            {
                bucketName: args.bucketName,
                kmsKeyArn: key.arn,
                versioning: true,
                // Compliance mode: not even the root user can shorten retention or delete a locked log.
                objectLock: { mode: "COMPLIANCE", days: args.objectLockDays },
                lifecycleRules: [
                    {
                        id: "archive-then-expire",
                        status: "Enabled",
                        filter: {},
                        transitions: [{ days: args.transitionToGlacierDays, storageClass: "GLACIER" }],
                        expiration: { days: args.expirationDays },
                        noncurrentVersionExpiration: { noncurrentDays: args.objectLockDays },
                    },
                ],
                policyStatements: [
                    pulumi.interpolate`arn:aws:s3:::${args.bucketName}`.apply((arn): aws.iam.PolicyStatement => ({
                        Sid: "CloudTrailAclCheck",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:GetBucketAcl",
                        Resource: arn,
                        Condition: trailCondition,
                    })),
                    pulumi.output(args.organizationId).apply((organizationId): aws.iam.PolicyStatement => ({
                        Sid: "CloudTrailWritesOrganizationTrail",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: [
                            `arn:aws:s3:::${args.bucketName}/AWSLogs/${args.managementAccountId}/*`,
                            `arn:aws:s3:::${args.bucketName}/AWSLogs/${organizationId}/*`,
                        ],
                        Condition: { StringEquals: { "aws:SourceArn": args.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
                    })),
                    {
                        // Only the audit services write here: no role, not even the security account's own deployer, can forge a log.
                        Sid: "OnlyAuditServicesWrite",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:PutObject",
                        Resource: `arn:aws:s3:::${args.bucketName}/*`,
                        Condition: { Bool: { "aws:PrincipalIsAWSService": "false" } },
                    },
                    ...configDeliveryStatements(args.bucketName, args.configAccountIds),
                ],
            },
            { ...child, retainOnDelete: true, protect: true },
        );
        this.bucketName = bucket.name;
        this.bucketArn = bucket.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ bucketName: this.bucketName, keyArn: this.keyArn });
    }
}

/**
 * AWS Config (with its service-linked role) checks the bucket, then writes as the service principal
 * for one account: each account may write only its own prefix, so one account's recorder can
 * neither fill nor forge another's history
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
 */
function configDeliveryStatements(bucketName: string, accountIds: pulumi.Input<string>[]): pulumi.Output<aws.iam.PolicyStatement>[] {
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const all = pulumi.output(accountIds);
    return [
        all.apply((ids): aws.iam.PolicyStatement => ({
            Sid: "ConfigChecksBucket",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucketArn,
            Condition: { StringEquals: { "aws:SourceAccount": ids } },
        })),
        ...accountIds.map((accountId) =>
            pulumi.output(accountId).apply((id): aws.iam.PolicyStatement => ({
                Sid: `ConfigDelivers${id}`,
                Effect: "Allow",
                Principal: { Service: "config.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${CONFIG_DELIVERY_PREFIX}/AWSLogs/${id}/Config/*`,
                Condition: { StringEquals: { "aws:SourceAccount": id, "s3:x-amz-acl": "bucket-owner-full-control" } },
            })),
        ),
    ];
}

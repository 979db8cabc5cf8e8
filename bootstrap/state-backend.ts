import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CI_TARGETS, CiTarget, secretsKeyAlias } from "../lib/ci-trust";
import { physicalName } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";

export interface StateBackendArgs {
    env: string;
    region: string;
    accountId: string;
    noncurrentVersionRetentionDays: number;
    /** Per environment, the roles that may encrypt and decrypt with its secrets key, and those that may only decrypt. */
    secretsKeyUsers: Record<CiTarget, { encrypt: pulumi.Input<string>[]; decrypt: pulumi.Input<string>[] }>;
    /** Identity Center permission-set roles (ARN patterns) of the people who run pulumi by hand. */
    adminPrincipalPatterns: string[];
}

const KEY_ADMINISTRATION = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];
const ENCRYPT = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

/**
 * One environment's secrets key: the account administers it, but only that environment's CI roles
 * (and readers of its stacks' outputs, decrypt only) and the platform admins may use it. IAM policies
 * of other principals in the account cannot widen that: the key policy names no `:root` for use.
 */
export function secretsKeyPolicy(
    accountId: string,
    users: { encrypt: string[]; decrypt: string[] },
    adminPrincipalPatterns: string[],
): aws.iam.PolicyDocument {
    const root = `arn:aws:iam::${accountId}:root`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "KeyAdministration", Effect: "Allow" as const, Principal: { AWS: root }, Action: KEY_ADMINISTRATION, Resource: "*" },
            ...(users.encrypt.length === 0
                ? []
                : [
                      {
                          Sid: "EnvironmentCiRoles",
                          Effect: "Allow" as const,
                          Principal: { AWS: users.encrypt },
                          Action: ENCRYPT,
                          Resource: "*",
                      },
                  ]),
            ...(users.decrypt.length === 0
                ? []
                : [
                      {
                          Sid: "ReadersOfItsStackOutputs",
                          Effect: "Allow" as const,
                          Principal: { AWS: users.decrypt },
                          Action: ["kms:Decrypt", "kms:DescribeKey"],
                          Resource: "*",
                      },
                  ]),
            ...(adminPrincipalPatterns.length === 0
                ? []
                : [
                      {
                          Sid: "PlatformAdmins",
                          Effect: "Allow" as const,
                          Principal: { AWS: root },
                          Action: ENCRYPT,
                          Resource: "*",
                          Condition: { ArnLike: { "aws:PrincipalArn": adminPrincipalPatterns } },
                      },
                  ]),
        ],
    };
}

/** Allows the account's IAM policies to grant use of the key: the key policy AWS recommends as a base. */
export function accountRootKeyPolicy(accountId: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnableIamPolicies",
                Effect: "Allow" as const,
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };
}

/**
 * Where every other stack keeps its state and encrypts its secrets. Both are protected and
 * retained: losing either loses the estate's state, and no `pulumi destroy` should reach them.
 */
export class StateBackend extends pulumi.ComponentResource {
    readonly bucket: SecureBucket;
    readonly stateKey: aws.kms.Key;
    /** The one key of the single-key estate: kept (protected) until every stack has moved to its environment's key (docs/ci-trust.md). */
    readonly legacySecretsKey: aws.kms.Key;
    readonly secretsKeys = {} as Record<CiTarget, aws.kms.Key>;
    readonly backendUrl: pulumi.Output<string>;
    /** `awskms://` URL per environment, for `pulumi stack init --secrets-provider`. */
    readonly secretsProviderUrls: pulumi.Output<Record<CiTarget, string>>;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:bootstrap:StateBackend", name, {}, opts);
        const keep = { parent: this, protect: true, retainOnDelete: true };
        const keyPolicy = JSON.stringify(accountRootKeyPolicy(args.accountId));

        this.stateKey = new aws.kms.Key(
            physicalName(args.env, "pulumi-state"),
            { description: "Encrypts the Pulumi state bucket", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy },
            keep,
        );
        this.legacySecretsKey = new aws.kms.Key(
            physicalName(args.env, "pulumi-secrets"),
            {
                description: "Former secrets provider of every stack: no CI role may use it",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: keyPolicy,
            },
            keep,
        );
        new aws.kms.Alias(
            physicalName(args.env, "pulumi-secrets"),
            { name: `alias/${physicalName(args.env, "pulumi-secrets")}`, targetKeyId: this.legacySecretsKey.keyId },
            { parent: this },
        );
        for (const target of CI_TARGETS) {
            const users = args.secretsKeyUsers[target];
            const name = physicalName(args.env, "pulumi-secrets", { suffix: target });
            this.secretsKeys[target] = new aws.kms.Key(
                name,
                {
                    description: `Pulumi secrets provider of the ${target} stacks`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi
                        .all([pulumi.all(users.encrypt), pulumi.all(users.decrypt)])
                        .apply(([encrypt, decrypt]) =>
                            JSON.stringify(secretsKeyPolicy(args.accountId, { encrypt, decrypt }, args.adminPrincipalPatterns)),
                        ),
                },
                keep,
            );
            new aws.kms.Alias(name, { name: secretsKeyAlias(target), targetKeyId: this.secretsKeys[target].keyId }, { parent: this });
        }

        this.bucket = new SecureBucket(
            physicalName(args.env, "pulumi-state"),
            {
                bucketName: physicalName(args.env, "pulumi-state", { suffix: args.accountId, kind: "s3Bucket" }),
                kmsKeyArn: this.stateKey.arn,
                versioning: true,
                lifecycleRules: [
                    {
                        id: "expire-old-state-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }],
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionRetentionDays, newerNoncurrentVersions: 10 },
                    },
                ],
            },
            keep,
        );
        this.backendUrl = pulumi.interpolate`s3://${this.bucket.name}`;
        this.secretsProviderUrls = pulumi.output(
            Object.fromEntries(CI_TARGETS.map((target) => [target, `awskms://${secretsKeyAlias(target)}?region=${args.region}`])) as Record<
                CiTarget,
                string
            >,
        );
        this.registerOutputs({ backendUrl: this.backendUrl, secretsProviderUrls: this.secretsProviderUrls });
    }
}

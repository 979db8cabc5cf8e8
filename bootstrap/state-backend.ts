import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";

export interface StateBackendArgs {
    env: string;
    region: string;
    accountId: string;
    noncurrentVersionRetentionDays: number;
}

/** Allows the account's IAM policies to grant use of the key: the key policy AWS recommends as a base. */
export function accountRootKeyPolicy(accountId: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
    };
}

/**
 * Where every other stack keeps its state and encrypts its secrets. Both are protected and
 * retained: losing either loses the estate's state, and no `pulumi destroy` should reach them.
 */
export class StateBackend extends pulumi.ComponentResource {
    readonly bucket: SecureBucket;
    readonly stateKey: aws.kms.Key;
    readonly secretsKey: aws.kms.Key;
    readonly secretsKeyAlias: aws.kms.Alias;
    readonly backendUrl: pulumi.Output<string>;
    readonly secretsProviderUrl: pulumi.Output<string>;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:bootstrap:StateBackend", name, {}, opts);
        const keep = { parent: this, protect: true, retainOnDelete: true };
        const keyPolicy = JSON.stringify(accountRootKeyPolicy(args.accountId));

        this.stateKey = new aws.kms.Key(
            physicalName(args.env, "pulumi-state"),
            { description: "Encrypts the Pulumi state bucket", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy },
            keep,
        );
        this.secretsKey = new aws.kms.Key(
            physicalName(args.env, "pulumi-secrets"),
            { description: "Pulumi secrets provider for every stack", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy },
            keep,
        );
        const aliasName = `alias/${physicalName(args.env, "pulumi-secrets")}`;
        this.secretsKeyAlias = new aws.kms.Alias(physicalName(args.env, "pulumi-secrets"), { name: aliasName, targetKeyId: this.secretsKey.keyId }, { parent: this });

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
        this.secretsProviderUrl = pulumi.output(`awskms://${aliasName}?region=${args.region}`);
        this.registerOutputs({ backendUrl: this.backendUrl, secretsProviderUrl: this.secretsProviderUrl });
    }
}

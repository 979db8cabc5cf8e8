import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Options for anything that holds data (tables, buckets, databases, domains, KMS keys): in
 * protected environments a stray `pulumi destroy` or a rename must neither delete it nor
 * orphan the data, so it is both protected and retained on delete.
 */
export function statefulOptions(protect: boolean, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return protect ? { ...opts, protect: true, retainOnDelete: true } : opts;
}

export interface DataKeyArgs {
    /** Physical name for the alias (`alias/<name>`). */
    name: string;
    description: string;
    protect: boolean;
}

/**
 * A customer-managed, rotating KMS key with an alias. The key policy is AWS's default (the
 * account administers the key and delegates use to IAM), so each consumer's IAM policy names
 * this exact key ARN instead of a wildcard.
 */
export function createDataKey(logicalName: string, args: DataKeyArgs, parent: pulumi.Resource): aws.kms.Key {
    const key = new aws.kms.Key(
        logicalName,
        {
            description: args.description,
            enableKeyRotation: true,
            // A scheduled deletion can still be cancelled during this window (policy: at least 30 days).
            deletionWindowInDays: 30,
        },
        statefulOptions(args.protect, { parent }),
    );
    new aws.kms.Alias(logicalName, { name: `alias/${args.name}`, targetKeyId: key.keyId }, { parent });
    return key;
}

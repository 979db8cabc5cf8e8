import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a stack's resources live: the account (from foundation/org) and region, for ARNs and key policies. */
export interface AccountContext {
    accountId: pulumi.Input<string>;
    region: string;
}

/** The ARN partition of a region, computed instead of invoked so plans need no credentials. */
export function partitionOf(region: string): string {
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return region.startsWith("cn-") ? "aws-cn" : "aws";
}

/** Trust policy for a role assumed by one AWS service, limited to this account's resources (confused deputy). */
export function serviceTrustPolicy(service: string, accountId?: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(accountId).apply((account) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: service },
                    Action: "sts:AssumeRole",
                    ...(account === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": account } } }),
                },
            ],
        } satisfies aws.iam.PolicyDocument),
    );
}

/**
 * A customer-managed key for the layer's logs and secrets: the account administers it through
 * IAM, and CloudWatch Logs may use it only for log groups of this account and region.
 */
export function createLogsKey(name: string, description: string, context: AccountContext, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const partition = partitionOf(context.region);
    const policy = pulumi.output(context.accountId).apply((account) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersThroughIam",
                    Effect: "Allow",
                    Principal: { AWS: `arn:${partition}:iam::${account}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
                    Effect: "Allow",
                    Principal: { Service: `logs.${context.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${context.region}:${account}:log-group:*` } },
                },
            ],
        } satisfies aws.iam.PolicyDocument),
    );
    return new aws.kms.Key(name, { description, enableKeyRotation: true, deletionWindowInDays: 30, policy }, opts);
}

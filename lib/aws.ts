import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "./arn";

/** Where a stack's resources live: the account (from foundation/org) and region, for ARNs and key policies. */
export interface AccountContext {
    accountId: pulumi.Input<string>;
    region: string;
}

/**
 * Trust policy for a role assumed by one AWS service; with `sourceAccount`, limited to that
 * account's resources (confused deputy).
 */
export function serviceTrustDocument(service: string, sourceAccount?: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
            },
        ],
    };
}

/** `serviceTrustDocument` as the JSON an `aws.iam.Role` takes, for an account id known only at deploy time. */
export function serviceTrustPolicy(service: string, accountId?: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(accountId).apply((account) => JSON.stringify(serviceTrustDocument(service, account)));
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
                    Condition: {
                        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${context.region}:${account}:log-group:*` },
                    },
                },
            ],
        } satisfies aws.iam.PolicyDocument),
    );
    return new aws.kms.Key(name, { description, enableKeyRotation: true, deletionWindowInDays: 30, policy }, opts);
}

/** The one statement of a traced VPC Lambda whose actions have no resource-level permissions (its ENIs, X-Ray). */
export const UNSCOPED_STATEMENT_SID = "NoResourceLevelPermissions";
export function vpcFunctionUnscopedStatement(): aws.iam.PolicyStatement {
    return {
        Sid: UNSCOPED_STATEMENT_SID,
        Effect: "Allow",
        Action: [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
        ],
        Resource: "*",
    };
}

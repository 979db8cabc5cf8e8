import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createLogsKey, serviceTrustDocument } from "../lib/aws";

export interface OrganizationTrailArgs {
    trailName: string;
    bucketName: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    /** The management account (where the trail, its log group and role live) and region. */
    managementAccountId: string;
    region: string;
}

/** A year searchable in CloudWatch Logs (PCI DSS 10.5.1); the archive in S3 keeps the long history. */
export const TRAIL_LOG_RETENTION_DAYS = 365;

/** ARN of the trail before it exists, so the bucket and key policies can name it (no cycle). */
export function trailArn(region: string, managementAccountId: string, trailName: string): string {
    return `arn:aws:cloudtrail:${region}:${managementAccountId}:trail/${trailName}`;
}

/**
 * The organization trail. It lives in the management account, where no SCP reaches and member
 * admins cannot stop it; its logs go to the security account's archive.
 */
export class OrganizationTrail extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: OrganizationTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:OrganizationTrail", name, {}, opts);
        // CloudWatch Logs as well as S3: metric filters and alarms see API activity within minutes.
        const child = { parent: this };
        const logsKey = createLogsKey(
            `${name}-logs-key`,
            `${args.trailName} CloudWatch log group`,
            { accountId: args.managementAccountId, region: args.region },
            { ...child, protect: true },
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/cloudtrail/${args.trailName}`, retentionInDays: TRAIL_LOG_RETENTION_DAYS, kmsKeyId: logsKey.arn },
            { ...child, protect: true },
        );
        const deliveryRole = new aws.iam.Role(
            `${name}-logs`,
            {
                name: `${args.trailName}-logs`,
                description: `CloudTrail delivers ${args.trailName} to its CloudWatch log group`,
                assumeRolePolicy: JSON.stringify(serviceTrustDocument("cloudtrail.amazonaws.com", args.managementAccountId)),
            },
            child,
        );
        const delivery = new aws.iam.RolePolicy(
            `${name}-logs`,
            {
                role: deliveryRole.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                        },
                    ],
                }),
            },
            child,
        );
        const trail = new aws.cloudtrail.Trail(
            name,
            {
                name: args.trailName,
                s3BucketName: args.bucketName,
                kmsKeyId: args.kmsKeyArn,
                // CloudTrail wants the log group's ARN with the stream wildcard.
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: deliveryRole.arn,
                isOrganizationTrail: true,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            },
            // The component's dependencies (the archive's bucket policy) must hold for the trail itself,
            // and the role must be allowed to write before CloudTrail validates it.
            {
                parent: this,
                dependsOn: pulumi.output(opts?.dependsOn ?? []).apply((deps) => [...(Array.isArray(deps) ? deps : [deps]), delivery]),
            },
        );
        this.arn = trail.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

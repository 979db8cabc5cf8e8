import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsQueryLogsArgs {
    /** The public hosted zone whose queries are logged. */
    zoneId: pulumi.Input<string>;
    domainName: string;
    /** The zone's account: only Route 53 acting for it may write the log group. */
    accountId: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    retentionInDays: number;
}

/**
 * Who resolved which public name, from where (PCI DSS 10.2): Route 53 query logs to CloudWatch Logs.
 * `opts` must place them in us-east-1, the only region Route 53 writes query logs to.
 */
export function logDnsQueries(name: string, args: DnsQueryLogsArgs, opts: pulumi.CustomResourceOptions): void {
    const logGroup = new aws.cloudwatch.LogGroup(
        name,
        { name: `/aws/route53/${args.domainName}`, retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyArn },
        opts,
    );
    const writeAccess = new aws.cloudwatch.LogResourcePolicy(
        name,
        {
            policyName: name,
            policyDocument: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "Route53WritesThisAccountsQueryLogs",
                        Effect: "Allow",
                        Principal: { Service: "route53.amazonaws.com" },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${logGroup.arn}:*`,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": args.accountId },
                            ArnLike: { "aws:SourceArn": "arn:aws:route53:::hostedzone/*" },
                        },
                    },
                ],
            }),
        },
        opts,
    );
    new aws.route53.QueryLog(name, { zoneId: args.zoneId, cloudwatchLogGroupArn: logGroup.arn }, { ...opts, dependsOn: [writeAccess] });
}

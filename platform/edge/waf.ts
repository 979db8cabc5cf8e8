import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** AWS managed rule groups every web ACL evaluates, in priority order after the rate rule. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

export type WebAclScope = "REGIONAL" | "CLOUDFRONT";

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

/**
 * A WAFv2 web ACL: per-IP rate limiting first (cheapest to evaluate, stops floods before the
 * managed groups bill per request), then AWS's managed groups in blocking mode.
 * CLOUDFRONT-scope ACLs must be created in us-east-1: pass that region's provider in `opts`.
 */
export interface WebAclLogging {
    retentionInDays: number;
    /** A key CloudWatch Logs may use for this account's log groups in the ACL's region. */
    kmsKeyArn: pulumi.Input<string>;
}

export function createWebAcl(
    name: string,
    args: { scope: WebAclScope; rateLimit: number; description: string; logging: WebAclLogging },
    opts: pulumi.CustomResourceOptions,
): aws.wafv2.WebAcl {
    const rules: aws.types.input.wafv2.WebAclRule[] = [
        {
            name: "rate-limit-per-ip",
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${name}-rate-limit`),
        },
        ...MANAGED_RULE_GROUPS.map((group, index) => ({
            name: group,
            priority: index + 1,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(`${name}-${group}`),
        })),
    ];
    const acl = new aws.wafv2.WebAcl(
        name,
        { name, description: args.description, scope: args.scope, defaultAction: { allow: {} }, rules, visibilityConfig: visibility(name) },
        opts,
    );
    // Blocked requests are evidence (PCI DSS 10.2): WAF logs only to log groups named aws-waf-logs-*.
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        { name: `aws-waf-logs-${name}`, retentionInDays: args.logging.retentionInDays, kmsKeyId: args.logging.kmsKeyArn },
        opts,
    );
    new aws.wafv2.WebAclLoggingConfiguration(`${name}-logs`, { resourceArn: acl.arn, logDestinationConfigs: [logGroup.arn] }, opts);
    return acl;
}

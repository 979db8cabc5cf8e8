import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * Services whose control plane lives in us-east-1 (or is global) whatever region the caller uses:
 * denying them outside the allowed regions would break IAM, billing, DNS and the console.
 */
export const GLOBAL_SERVICE_ACTIONS = [
    "account:*",
    "acm:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "budgets:*",
    "ce:*",
    "cloudfront:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "fms:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "kms:*",
    "networkmanager:*",
    "organizations:*",
    "pricing:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublicAccessBlock",
    "s3:ListAllMyBuckets",
    "s3:PutAccountPublicAccessBlock",
    "shield:*",
    "sso:*",
    "sts:*",
    "support:*",
    "trustedadvisor:*",
    "waf:*",
    "wafv2:*",
];

/** Everything outside the allowed regions is denied, except global services and break-glass. */
export function regionRestrictionPolicy(params: Pick<GuardrailParameters, "allowedRegions" | "breakGlassRoleName">): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyOutsideAllowedRegions",
        Effect: "Deny",
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: "*",
        Condition: {
            StringNotEquals: { "aws:RequestedRegion": params.allowedRegions },
            ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.breakGlassRoleName)] },
        },
    });
}

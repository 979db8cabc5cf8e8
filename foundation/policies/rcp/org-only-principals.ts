import { elbLogDeliveryAccounts } from "../../../lib/aws-log-delivery";
import { GuardrailParameters } from "../parameters";
import { policyDocument, StaticPolicyDocument } from "../document";

/**
 * Only identities of this organization (and AWS services) reach its resources, whatever a bucket,
 * key or queue policy says. sts: only the actions an in-org identity calls: web-identity and SAML
 * federation have no aws:PrincipalOrgID and are governed by their own trust policies.
 */
export function orgOnlyPrincipalsPolicy(params: Pick<GuardrailParameters, "organizationId" | "allowedRegions">): StaticPolicyDocument {
    const outsideOrg = {
        StringNotEqualsIfExists: { "aws:PrincipalOrgID": params.organizationId },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
    };
    return policyDocument(
        {
            Sid: "EnforceOrgIdentities",
            Effect: "Deny",
            Principal: "*",
            Action: [
                "sqs:*",
                "kms:*",
                "secretsmanager:*",
                "dynamodb:*",
                "ecr:*",
                "logs:*",
                "sts:AssumeRole",
                "sts:DecodeAuthorizationMessage",
                "sts:GetAccessKeyInfo",
                "sts:GetFederationToken",
                "sts:GetServiceBearerToken",
                "sts:GetSessionToken",
                "sts:SetContext",
            ],
            Resource: "*",
            Condition: outsideOrg,
        },
        // ALB access logs are written by an ELB-owned account, not a service principal: it alone is
        // let through, for S3 only; which bucket and prefix it may write stays the bucket policy's call.
        {
            Sid: "EnforceOrgIdentitiesOnS3",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: "*",
            Condition: {
                ...outsideOrg,
                StringNotEqualsIfExists: {
                    ...outsideOrg.StringNotEqualsIfExists,
                    "aws:PrincipalAccount": elbLogDeliveryAccounts(params.allowedRegions),
                },
            },
        },
    );
}

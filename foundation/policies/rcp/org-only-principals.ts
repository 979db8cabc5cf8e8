import { GuardrailParameters } from "../parameters";
import { policyDocument, StaticPolicyDocument } from "../document";

/**
 * Only identities of this organization (and AWS services) reach its resources, whatever a bucket,
 * key or queue policy says. sts: only the actions an in-org identity calls: web-identity and SAML
 * federation have no aws:PrincipalOrgID and are governed by their own trust policies.
 */
export function orgOnlyPrincipalsPolicy(params: Pick<GuardrailParameters, "organizationId">): StaticPolicyDocument {
    return policyDocument({
        Sid: "EnforceOrgIdentities",
        Effect: "Deny",
        Principal: "*",
        Action: [
            "s3:*",
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
        Condition: {
            StringNotEqualsIfExists: { "aws:PrincipalOrgID": params.organizationId },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
    });
}

import { GuardrailParameters } from "../parameters";
import { policyDocument, StaticPolicyDocument } from "../document";

/**
 * An AWS service acting for someone else's account (a confused deputy) cannot use our resources:
 * a service call that names its source account must come from this organization.
 */
export function confusedDeputyPolicy(params: Pick<GuardrailParameters, "organizationId">): StaticPolicyDocument {
    return policyDocument({
        Sid: "EnforceConfusedDeputyProtection",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:*", "logs:*"],
        Resource: "*",
        Condition: {
            StringNotEqualsIfExists: { "aws:SourceOrgID": params.organizationId },
            Bool: { "aws:PrincipalIsAWSService": "true" },
            Null: { "aws:SourceAccount": "false" },
        },
    });
}

import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * The public-access blocks are set by code; only the deployment role may change them.
 * (DeletePublicAccessBlock is authorised as s3:PutBucketPublicAccessBlock.) The foundation
 * itself sets the log archive's block through Organizations' access role, which only
 * management-account administrators can assume, and they can detach any SCP anyway.
 */
export function protectS3PublicAccessBlockPolicy(params: Pick<GuardrailParameters, "deploymentRoleName" | "organizationAccessRoleName">): StaticPolicyDocument {
    return policyDocument({
        Sid: "ProtectS3PublicAccessBlock",
        Effect: "Deny",
        Action: ["s3:PutBucketPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.deploymentRoleName), roleArnPattern(params.organizationAccessRoleName)] } },
    });
}

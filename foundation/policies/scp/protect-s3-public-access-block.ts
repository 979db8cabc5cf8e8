import { PR_DEPLOYMENT_ROLE_NAME, PR_NAME_PATTERN } from "../../../lib/ci-trust";
import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * The public-access blocks are set by code; only the deployment role may change them.
 * (DeletePublicAccessBlock is authorised as s3:PutBucketPublicAccessBlock.) The foundation
 * itself sets the log archive's block through Organizations' access role, which only
 * management-account administrators can assume, and they can detach any SCP anyway.
 */
export function protectS3PublicAccessBlockPolicy(
    params: Pick<GuardrailParameters, "deploymentRoleName" | "organizationAccessRoleName">,
): StaticPolicyDocument {
    const pr = roleArnPattern(PR_DEPLOYMENT_ROLE_NAME);
    return policyDocument(
        {
            Sid: "ProtectS3PublicAccessBlock",
            Effect: "Deny",
            Action: ["s3:PutBucketPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
            Resource: "*",
            Condition: {
                ArnNotLike: {
                    "aws:PrincipalArn": [roleArnPattern(params.deploymentRoleName), roleArnPattern(params.organizationAccessRoleName), pr],
                },
            },
        },
        {
            // The PR deployment role sets the blocks of its own pr-* buckets, and no other.
            Sid: "PrBucketsOnly",
            Effect: "Deny",
            Action: ["s3:PutBucketPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
            NotResource: `arn:aws:s3:::${PR_NAME_PATTERN}`,
            Condition: { ArnLike: { "aws:PrincipalArn": pr } },
        },
    );
}

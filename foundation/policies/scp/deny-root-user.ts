import { policyDocument, StaticPolicyDocument } from "../document";

/** Member accounts are used through Identity Center roles only; their root users do nothing. */
export function denyRootUserPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyRootUser",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } },
    });
}

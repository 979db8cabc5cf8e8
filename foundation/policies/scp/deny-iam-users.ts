import { policyDocument, StaticPolicyDocument } from "../document";

/** People sign in through Identity Center and workloads use roles: no long-lived IAM credentials. */
export function denyIamUsersPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyIamUsersAndAccessKeys",
        Effect: "Deny",
        Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
        Resource: "*",
    });
}

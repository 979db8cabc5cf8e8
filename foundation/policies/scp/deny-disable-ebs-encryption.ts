import { policyDocument, StaticPolicyDocument } from "../document";

/** Every new EBS volume and snapshot copy stays encrypted. */
export function denyDisableEbsEncryptionPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyDisableEbsDefaultEncryption",
        Effect: "Deny",
        Action: "ec2:DisableEbsEncryptionByDefault",
        Resource: "*",
    });
}

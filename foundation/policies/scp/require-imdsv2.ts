import { policyDocument, StaticPolicyDocument } from "../document";

/** IMDSv1 lets an SSRF in any pod or process read the instance role's credentials. */
export function requireImdsV2Policy(): StaticPolicyDocument {
    return policyDocument(
        {
            Sid: "RequireImdsV2OnLaunch",
            Effect: "Deny",
            Action: "ec2:RunInstances",
            Resource: "arn:aws:ec2:*:*:instance/*",
            Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } },
        },
        {
            Sid: "DenyImdsV1Downgrade",
            Effect: "Deny",
            Action: "ec2:ModifyInstanceMetadataOptions",
            Resource: "arn:aws:ec2:*:*:instance/*",
            Condition: { StringEquals: { "ec2:MetadataHttpTokens": "optional" } },
        },
    );
}

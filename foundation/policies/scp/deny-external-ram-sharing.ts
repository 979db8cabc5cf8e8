import { policyDocument, StaticPolicyDocument } from "../document";

/** Transit Gateway and subnet shares stay inside the organization. */
export function denyExternalRamSharingPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyRamSharingOutsideOrg",
        Effect: "Deny",
        Action: ["ram:CreateResourceShare", "ram:UpdateResourceShare"],
        Resource: "*",
        Condition: { Bool: { "ram:RequestedAllowsExternalPrincipals": "true" } },
    });
}

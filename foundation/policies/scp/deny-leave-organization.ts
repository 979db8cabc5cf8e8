import { policyDocument, StaticPolicyDocument } from "../document";

/** A member account that leaves the organization leaves every guardrail and the org trail behind. */
export function denyLeaveOrganizationPolicy(): StaticPolicyDocument {
    return policyDocument({ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" });
}

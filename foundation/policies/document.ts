import * as aws from "@pulumi/aws";

/**
 * A policy document whose values are all known at build time: what SCPs and RCPs are made of,
 * so they can be measured, merged and simulated before anything is deployed.
 */
export interface StaticPolicyDocument extends aws.iam.PolicyDocument {
    Version: "2012-10-17";
    Statement: aws.iam.PolicyStatement[];
}

export function policyDocument(...statements: aws.iam.PolicyStatement[]): StaticPolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Organizations counts the JSON without whitespace against the size limit. */
export function minified(document: StaticPolicyDocument): string {
    return JSON.stringify(document);
}

/**
 * One document holding the statements of several guardrails: how the number of directly attached
 * policies stays within the Organizations quota. Sids must stay unique inside one document.
 */
export function mergeDocuments(...documents: StaticPolicyDocument[]): StaticPolicyDocument {
    const statements = documents.flatMap((d) => d.Statement);
    const sids = statements.map((s) => s.Sid).filter((sid): sid is string => typeof sid === "string");
    const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (duplicate !== undefined) {
        throw new Error(`mergeDocuments: Sid "${duplicate}" appears in more than one guardrail; Sids must be unique in a policy`);
    }
    return policyDocument(...statements);
}

/** Any role of this name in any account of the organization (SCPs and RCPs match on aws:PrincipalArn). */
export function roleArnPattern(roleName: string): string {
    return `arn:aws:iam::*:role/${roleName}`;
}

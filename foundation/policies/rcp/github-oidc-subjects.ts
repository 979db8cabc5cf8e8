import { GuardrailParameters } from "../parameters";
import { policyDocument, StaticPolicyDocument } from "../document";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * A role that trusts GitHub's OIDC issuer can be assumed only by this repository's workflows,
 * even if its trust policy forgets to pin the subject. Other issuers (EKS IRSA) are untouched.
 */
export function githubOidcSubjectsPolicy(params: Pick<GuardrailParameters, "githubRepository">): StaticPolicyDocument {
    return policyDocument({
        Sid: "RestrictGithubOidcToRepository",
        Effect: "Deny",
        Principal: "*",
        Action: "sts:AssumeRoleWithWebIdentity",
        Resource: "*",
        Condition: {
            StringNotLike: { [`${GITHUB_ISSUER}:sub`]: `repo:${params.githubRepository}:*` },
            Null: { [`${GITHUB_ISSUER}:sub`]: "false" },
        },
    });
}

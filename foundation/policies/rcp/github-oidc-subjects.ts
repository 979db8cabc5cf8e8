import { GuardrailParameters } from "../parameters";
import { policyDocument, StaticPolicyDocument } from "../document";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * A role that trusts GitHub's OIDC issuer can be assumed only by this repository's workflows,
 * even if its trust policy forgets to pin the subject. Other issuers (EKS IRSA) are untouched.
 */
export function githubOidcSubjectsPolicy(params: Pick<GuardrailParameters, "githubRepository">): StaticPolicyDocument {
    const claim = (name: string) => `${GITHUB_ISSUER}:${name}`;
    return policyDocument(
        {
            Sid: "RestrictGithubOidcSubjects",
            Effect: "Deny",
            Principal: "*",
            Action: "sts:AssumeRoleWithWebIdentity",
            Resource: "*",
            Condition: { StringNotLike: { [claim("sub")]: `repo:${params.githubRepository}:*` }, Null: { [claim("sub")]: "false" } },
        },
        {
            // Defence in depth: a repository can customise the format of its subject claim, never
            // its repository claim.
            Sid: "RestrictGithubOidcRepository",
            Effect: "Deny",
            Principal: "*",
            Action: "sts:AssumeRoleWithWebIdentity",
            Resource: "*",
            Condition: { StringNotEquals: { [claim("repository")]: params.githubRepository }, Null: { [claim("repository")]: "false" } },
        },
    );
}

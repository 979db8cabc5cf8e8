/** What the guardrails need to know about the estate; each policy takes only the fields it uses. */
export interface GuardrailParameters {
    organizationId: string;
    allowedRegions: string[];
    /** Name (path included, if any) of the role every stack assumes to deploy. */
    deploymentRoleName: string;
    breakGlassRoleName: string;
    /** The role Organizations creates in each member account, assumable only from the management account. */
    organizationAccessRoleName: string;
    /** `owner/name` of the GitHub repository whose workflows may federate into AWS. */
    githubRepository: string;
}

import {
    CI_TARGETS,
    ciRoleName,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_HOST,
    PR_DEPLOYMENT_ROLE_NAME,
    TARGET_ACCOUNT,
} from "../../lib/ci-trust";
import { Flow } from "../../plan-model/flows";
import { Estate, EstateResource, parsed } from "./estate";
import { judge } from "./flow";
import { authorize, IamPrincipal, rolePrincipal } from "./iam/authorize";
import { PolicyDocument } from "./iam/policy";

/**
 * The CI trust chain (#13), proven where the plan holds the bootstrap stack's CI roles (mgmt's plan):
 * GitHub's OIDC token -> CI role (management account) -> account role. A pull request reaches the
 * PR deployment role in test and nothing else; only `environment:prod` on main through promote.yml
 * reaches prod's deployment role; each deploy CI role reaches its own account only.
 */

const DEPLOYMENT_ROLE_NAME = "payments-deployment";
const claim = (name: string) => `${GITHUB_OIDC_HOST}:${name}`;

interface Token {
    label: string;
    sub: string;
    ref: string;
    workflow: string;
    repository?: string;
}

/** The repository the CI roles trust, as their trust policies pin it. */
function trustedRepository(role: EstateResource): string | undefined {
    const trust = parsed<PolicyDocument>(role.inputs.assumeRolePolicy);
    for (const statement of [trust?.Statement ?? []].flat()) {
        const value = (statement.Condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals?.[claim("repository")];
        if (typeof value === "string") {
            return value;
        }
    }
    return undefined;
}

export function ciTrustFlows(estate: Estate): Flow[] {
    const provider = estate
        .ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
        .find((p) => String(p.inputs.url ?? "").includes(GITHUB_OIDC_HOST));
    const roles = estate.ofType("aws:iam/role:Role");
    const ciRole = (name: string) => roles.find((r) => r.inputs.name === name && r.account === provider?.account);
    const prRole = ciRole(ciRoleName("pr"));
    const repository = prRole && trustedRepository(prRole);
    if (!provider?.arn || !prRole || !repository) {
        return [];
    }
    const flows: Flow[] = [];
    const stack = provider.stack;

    const exchange = (token: Token, roleName: string, expect: "allowed" | "denied") => {
        const role = ciRole(roleName);
        if (!role?.arn) {
            return;
        }
        const repo = token.repository ?? repository;
        const principal: IamPrincipal = {
            label: `GitHub token (${token.label})`,
            request: { federated: provider.arn },
            // A web identity: only the role's trust decides, as for a service principal.
            kind: "service",
            context: {
                [claim("aud")]: GITHUB_OIDC_AUDIENCE,
                [claim("sub")]: `repo:${repo}:${token.sub}`,
                [claim("repository")]: repo,
                [claim("ref")]: token.ref,
                [claim("job_workflow_ref")]: `${repo}/.github/workflows/${token.workflow}`,
            },
        };
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: principal.label,
                    action: "sts:AssumeRoleWithWebIdentity",
                    target: `role ${roleName}`,
                    expect,
                    stack: role.stack,
                },
                authorize(estate, principal, "sts:AssumeRoleWithWebIdentity", role.arn),
            ),
        );
    };
    const pullRequest: Token = {
        label: "pull_request",
        sub: "pull_request",
        ref: "refs/pull/7/merge",
        workflow: "pr-environment.yml@refs/pull/7/merge",
    };
    const deploy = (environment: string, ref = "refs/heads/main"): Token => ({
        label: `environment:${environment} on ${ref}`,
        sub: `environment:${environment}`,
        ref,
        workflow: `promote.yml@${ref}`,
    });

    exchange(pullRequest, ciRoleName("pr"), "allowed");
    exchange({ ...pullRequest, label: "pull_request of another repository", repository: "someone/fork" }, ciRoleName("pr"), "denied");
    for (const target of CI_TARGETS) {
        exchange(pullRequest, ciRoleName("deploy", target), "denied");
        exchange(pullRequest, ciRoleName("preview", target), "denied");
        exchange(deploy(target), ciRoleName("deploy", target), "allowed");
    }
    exchange(deploy("prod", "refs/heads/feature"), ciRoleName("deploy", "prod"), "denied");
    exchange(deploy("test"), ciRoleName("deploy", "prod"), "denied");

    // The second hop: a CI role assuming an account role (configure-aws-credentials tags the session).
    const accountRoles = roles.filter((r) => r.inputs.name === DEPLOYMENT_ROLE_NAME || r.inputs.name === PR_DEPLOYMENT_ROLE_NAME);
    const accountName = (account: string | undefined) => Object.entries(estate.accountIds).find(([, id]) => id === account)?.[0];
    const chain = (ciName: string, target: EstateResource, expect: "allowed" | "denied") => {
        const ci = ciRole(ciName);
        if (!ci?.arn || !target.arn) {
            return;
        }
        for (const action of expect === "allowed" ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"]) {
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: `role ${ciName}`,
                        action,
                        target: `role ${target.inputs.name} (${accountName(target.account)})`,
                        expect,
                        stack,
                    },
                    authorize(estate, rolePrincipal(estate, ci.arn), action, target.arn),
                ),
            );
        }
    };
    for (const target of accountRoles) {
        const home = accountName(target.account);
        chain(ciRoleName("pr"), target, target.inputs.name === PR_DEPLOYMENT_ROLE_NAME ? "allowed" : "denied");
        for (const env of CI_TARGETS) {
            // foundation/org also deploys into the security account (log archive, security services' administration).
            const homes: string[] = env === "org" ? [TARGET_ACCOUNT[env], "security"] : [TARGET_ACCOUNT[env]];
            const own = target.inputs.name === DEPLOYMENT_ROLE_NAME && home !== undefined && homes.includes(home);
            chain(ciRoleName("deploy", env), target, own ? "allowed" : "denied");
        }
    }
    return flows;
}

import { runSimulation, Simulation } from "@cloud-copilot/iam-simulate";
import type { MemberAccount } from "../../../lib/environments";
import {
    AWS_MANAGED_FULL_ACCESS,
    GuardrailParameters,
    organizationPolicies,
    OrganizationPolicyType,
    PolicyTarget,
} from "../../../foundation/policies";

/** The estate the simulations run against: the same parameters shape the stack passes. */
export const PARAMETERS: GuardrailParameters = {
    organizationId: "o-a1b2c3d4e5",
    allowedRegions: ["us-east-1", "us-west-2"],
    deploymentRoleName: "payments-deployment",
    breakGlassRoleName: "payments-break-glass",
    organizationAccessRoleName: "OrganizationAccountAccessRole",
    githubRepository: "example-payments/estate",
};

export const ACCOUNT_IDS = {
    management: "111111111111",
    security: "222222222222",
    test: "333333333333",
    preprod: "444444444444",
    prod: "555555555555",
    outside: "999999999999",
} as const;
export type SimulatedAccount = keyof typeof ACCOUNT_IDS;

/** Root first, account last: the order in which Organizations applies inherited policies. */
const HIERARCHY: Record<MemberAccount, PolicyTarget[]> = {
    security: ["root", "security"],
    test: ["root", "workloads", "nonProd"],
    preprod: ["root", "workloads", "nonProd"],
    prod: ["root", "workloads", "prod"],
};

const TARGET_IDS: Record<PolicyTarget, string> = {
    root: "r-ab12",
    security: "ou-ab12-security",
    workloads: "ou-ab12-workloads",
    nonProd: "ou-ab12-nonprod",
    prod: "ou-ab12-prod",
};

const FULL_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const POLICIES = organizationPolicies(PARAMETERS);

function isMember(account: SimulatedAccount): account is MemberAccount {
    return account in HIERARCHY;
}

/** What applies to one account: every level of its hierarchy, with what is attached there. */
export function orgPolicies(account: SimulatedAccount, type: OrganizationPolicyType): Simulation["serviceControlPolicies"] {
    if (!isMember(account)) {
        // Neither SCPs nor RCPs apply to the management account or to accounts outside the organization.
        return [];
    }
    const levels: Simulation["serviceControlPolicies"] = HIERARCHY[account].map((target) => ({
        orgIdentifier: TARGET_IDS[target],
        policies: POLICIES.filter((p) => p.type === type && p.targets.includes(target)).map((p) => ({ name: p.key, policy: p.document })),
    }));
    const withAccount = [...levels, { orgIdentifier: ACCOUNT_IDS[account], policies: [] }];
    if (type === "SERVICE_CONTROL_POLICY") {
        // FullAWSAccess is attached at every level; the simulator adds RCPFullAWSAccess itself.
        for (const level of withAccount) {
            level.policies.unshift({ name: AWS_MANAGED_FULL_ACCESS[type], policy: FULL_ACCESS });
        }
    }
    return withAccount;
}

export const ROOT_USER = "root";

export function roleArn(account: SimulatedAccount, roleName: string): string {
    return roleName === ROOT_USER ? `arn:aws:iam::${ACCOUNT_IDS[account]}:root` : `arn:aws:iam::${ACCOUNT_IDS[account]}:role/${roleName}`;
}

export const PLATFORM_ADMIN_ROLE = "aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_0123456789abcdef";

export interface SimulatedRequest {
    /**
     * An IAM role (`account` + `role`) with AdministratorAccess, an AWS service principal, or a
     * web-identity caller of an OIDC provider (`federated`: the provider's ARN). `role: ROOT_USER`
     * is the account's root user.
     */
    principal: { account: SimulatedAccount; role: string } | { service: string } | { federated: string };
    action: string;
    resource: string;
    /** The account that owns the resource; defaults to the principal's. */
    resourceAccount?: SimulatedAccount;
    context?: Record<string, string | string[]>;
    /** The resource policy (bucket, key, trust policy); cross-account requests need one to be allowed at all. */
    resourcePolicy?: unknown;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** Evaluates one request against the attachment plan the foundation stack deploys. */
export async function decide(request: SimulatedRequest): Promise<Decision> {
    const isService = "service" in request.principal;
    const principalAccount = "account" in request.principal ? request.principal.account : undefined;
    const resourceAccount = request.resourceAccount ?? principalAccount;
    if (resourceAccount === undefined) {
        throw new Error("decide: a request by a service or federated principal needs resourceAccount");
    }
    const principal =
        "service" in request.principal
            ? request.principal.service
            : "federated" in request.principal
              ? request.principal.federated
              : roleArn(request.principal.account, request.principal.role);
    const context: Record<string, string | string[]> = {
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": "us-east-1",
        "aws:PrincipalIsAWSService": isService ? "true" : "false",
        ...(principalAccount === undefined
            ? {}
            : {
                  "aws:PrincipalArn": principal,
                  "aws:PrincipalAccount": ACCOUNT_IDS[principalAccount],
                  ...(principalAccount === "outside" ? {} : { "aws:PrincipalOrgID": PARAMETERS.organizationId }),
              }),
        ...request.context,
    };
    const simulation: Simulation = {
        request: {
            principal,
            action: request.action,
            resource: { resource: request.resource, accountId: ACCOUNT_IDS[resourceAccount] },
            contextVariables: context,
        },
        identityPolicies: principalAccount === undefined ? [] : [{ name: "AdministratorAccess", policy: FULL_ACCESS }],
        serviceControlPolicies: principalAccount === undefined ? [] : orgPolicies(principalAccount, "SERVICE_CONTROL_POLICY"),
        resourceControlPolicies: orgPolicies(resourceAccount, "RESOURCE_CONTROL_POLICY"),
        resourcePolicy: request.resourcePolicy,
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        throw new Error(`simulation of ${request.action} on ${request.resource} is invalid: ${JSON.stringify(result.errors)}`);
    }
    if (result.resultType === "single" && (result.result.ignoredContextKeys ?? []).some((key) => key in (request.context ?? {}))) {
        throw new Error(
            `simulation of ${request.action} ignored context keys ${JSON.stringify(result.result.ignoredContextKeys)}: the test would prove nothing`,
        );
    }
    return result.overallResult as Decision;
}

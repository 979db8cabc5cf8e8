import { runSimulation } from "@cloud-copilot/iam-simulate";
import { synthesizeStack } from "../../automation/plan/plan";
import { REPO_ROOT } from "../../lib/repository";
import type { FoundationOutputs } from "../../foundation/outputs";
import type { AccountName } from "../../lib/environments";
import { foundationOrg, outputsOf } from "../foundation/fixture";
import { orgPolicies, PARAMETERS } from "../foundation/policies/simulator";
import { Inventory } from "../harness";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/**
 * The evaluator's data knows GitHub's `ref`, `repository`, `job_workflow_ref`... condition keys but
 * not `aud` and `sub`, which it would silently drop (and every trust would deny for the wrong
 * reason). They are renamed, in the policies and the requests alike, to another web identity
 * provider's `aud` and `sub`: String keys the evaluator compares the same way. Nothing else changes.
 */
const UNKNOWN_GITHUB_KEYS: Record<string, string> = {
    "token.actions.githubusercontent.com:aud": "accounts.google.com:aud",
    "token.actions.githubusercontent.com:sub": "accounts.google.com:sub",
};

function aliased<T>(value: T): T {
    let json = JSON.stringify(value);
    for (const [key, alias] of Object.entries(UNKNOWN_GITHUB_KEYS)) {
        json = json.split(key).join(alias);
    }
    return JSON.parse(json) as T;
}

export interface Estate {
    bootstrap: Inventory;
    foundation: Inventory;
    outputs: FoundationOutputs;
    accountIds: Record<AccountName, string>;
    accountOf(id: string): AccountName;
}

let estate: Promise<Estate> | undefined;

/** The bootstrap stack and foundation/org as their stack files configure them, synthesized once. */
export function synthesizedEstate(): Promise<Estate> {
    estate ??= (async () => {
        const result = await synthesizeStack(REPO_ROOT, "mgmt");
        const bootstrap = new Inventory(result.resources, result.outputs);
        const foundation = await foundationOrg();
        const outputs = outputsOf(foundation);
        const accountIds = outputs.accountIds;
        const accountOf = (id: string) => {
            const name = (Object.keys(accountIds) as AccountName[]).find((account) => accountIds[account] === id);
            if (name === undefined) {
                throw new Error(`account ${id} is not one of the estate's`);
            }
            return name;
        };
        return { bootstrap, foundation, outputs, accountIds, accountOf };
    })();
    return estate;
}

export interface Request {
    /** A role ARN, or the OIDC provider's ARN for a web identity. */
    principal: string;
    action: string;
    resource: string;
    /** The account owning the resource (its SCPs do not apply; its RCPs do). */
    resourceAccount: AccountName;
    identityPolicies?: unknown[];
    permissionBoundaries?: unknown[];
    resourcePolicy?: unknown;
    context?: Record<string, string | string[]>;
}

/** One request, decided by the maintained evaluator with the organization's SCPs and RCPs. */
export async function decide(estate: Estate, request: Request): Promise<Decision> {
    const federated = request.principal.includes(":oidc-provider/");
    const principalAccount = estate.accountOf(request.principal.split(":")[4]);
    const member = (account: AccountName) => (account === "management" ? undefined : account);
    const scpAccount = member(principalAccount);
    const rcpAccount = member(request.resourceAccount);
    const context = {
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": "us-east-1",
        "aws:PrincipalIsAWSService": "false",
        ...(federated
            ? {}
            : {
                  "aws:PrincipalArn": request.principal,
                  "aws:PrincipalAccount": estate.accountIds[principalAccount],
                  "aws:PrincipalOrgID": PARAMETERS.organizationId,
              }),
        ...request.context,
    };
    const result = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: estate.accountIds[request.resourceAccount] },
                contextVariables: aliased(context),
            },
            identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy: aliased(policy) })),
            permissionBoundaryPolicies: request.permissionBoundaries?.map((policy, i) => ({
                name: `boundary-${i}`,
                policy: aliased(policy),
            })),
            serviceControlPolicies: federated || scpAccount === undefined ? [] : orgPolicies(scpAccount, "SERVICE_CONTROL_POLICY"),
            resourceControlPolicies: rcpAccount === undefined ? [] : orgPolicies(rcpAccount, "RESOURCE_CONTROL_POLICY"),
            resourcePolicy: request.resourcePolicy === undefined ? undefined : aliased(request.resourcePolicy),
        } as Parameters<typeof runSimulation>[0],
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`simulation of ${request.action} on ${request.resource} is invalid: ${JSON.stringify(result.errors)}`);
    }
    if (result.resultType === "single") {
        const ignored = (result.result.ignoredContextKeys ?? []).filter(
            (key) => key in (request.context ?? {}) || Object.values(UNKNOWN_GITHUB_KEYS).includes(key),
        );
        if (ignored.length > 0) {
            throw new Error(
                `simulation of ${request.action} ignored context keys ${JSON.stringify(ignored)}: the test would prove nothing`,
            );
        }
    }
    return result.overallResult as Decision;
}

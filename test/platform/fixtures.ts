import * as path from "path";
import type { FoundationOutputs } from "../../foundation/outputs";
import { REPO_ROOT } from "../../lib/repository";
import type { Diagnostic } from "../../automation/engine/diagnostics";
import { StackRegistry, synthesizeStack } from "../../automation/plan/plan";
import type { PlannedResource } from "../../plan-model/types";
import { Inventory } from "../harness";

const ACCOUNT_IDS = {
    management: "111111111111",
    security: "555555555555",
    test: "222222222222",
    preprod: "333333333333",
    prod: "444444444444",
};

/** foundation/org's outputs as the platform stacks read them, without synthesizing the foundation layer. */
export function foundationOutputs(): FoundationOutputs {
    const role = (account: keyof typeof ACCOUNT_IDS) => `arn:aws:iam::${ACCOUNT_IDS[account]}:role/payments-deployment`;
    return {
        organizationId: "o-abcdef1234",
        rootId: "r-ab12",
        ouIds: { security: "ou-ab12-security", workloads: "ou-ab12-workloads", nonProd: "ou-ab12-nonprod", prod: "ou-ab12-prod" },
        accountIds: { ...ACCOUNT_IDS },
        deploymentRoleArns: {
            management: role("management"),
            security: role("security"),
            test: role("test"),
            preprod: role("preprod"),
            prod: role("prod"),
        },
        previewRoleArns: {
            management: `arn:aws:iam::${ACCOUNT_IDS.management}:role/payments-preview`,
            security: `arn:aws:iam::${ACCOUNT_IDS.security}:role/payments-preview`,
            test: `arn:aws:iam::${ACCOUNT_IDS.test}:role/payments-preview`,
            preprod: `arn:aws:iam::${ACCOUNT_IDS.preprod}:role/payments-preview`,
            prod: `arn:aws:iam::${ACCOUNT_IDS.prod}:role/payments-preview`,
        },
        pullRequestDeploymentRoleArn: `arn:aws:iam::${ACCOUNT_IDS.test}:role/payments-pr-deployment`,
        pullRequestBoundaryArn: `arn:aws:iam::${ACCOUNT_IDS.test}:policy/payments-pr-boundary`,
        breakGlassRoleArns: { security: "", test: "", preprod: "", prod: "" },
        allowedRegions: ["us-east-1"],
        ecrRegistry: `${ACCOUNT_IDS.management}.dkr.ecr.us-east-1.amazonaws.com`,
        ecrRepositoryUrls: {},
        logArchiveBucket: "security-log-archive",
        identityCenterInstanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef",
        parentZoneId: "Z0123456789PARENTZONE",
        parentZoneNameServers: ["ns-1.awsdns-01.org"],
    };
}

export const ACCOUNTS = ACCOUNT_IDS;
const PLATFORM_DIR = path.join(REPO_ROOT, "platform");
const ORG = "organization";

async function synthesizeWith(
    stack: string,
    overrides: Record<string, unknown>,
    upstream: Record<string, Record<string, unknown>>,
): Promise<Inventory> {
    const diagnostics: Diagnostic[] = [];
    const result = await synthesizeStack(PLATFORM_DIR, stack, {
        config: overrides,
        registry: new StackRegistry(upstream),
        onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    return new Inventory(result.resources, result.outputs, diagnostics);
}

/**
 * Synthesizes platform/<stack> from its stack file (plus `overrides`), with foundation/org
 * answered by `foundation` and platform/mgmt by the mgmt stack's own synthesis.
 */
export function synthesizePlatform(stack: string, overrides?: Record<string, unknown>, foundation?: FoundationOutputs): Promise<Inventory> {
    if (overrides === undefined && foundation === undefined) {
        // Stacks from their own files are read-only in tests: synthesize each once per process.
        let cached = defaults.get(stack);
        if (!cached) {
            cached = synthesizeFresh(stack, {}, foundationOutputs());
            defaults.set(stack, cached);
        }
        return cached;
    }
    return synthesizeFresh(stack, overrides ?? {}, foundation ?? foundationOutputs());
}

const defaults = new Map<string, Promise<Inventory>>();

async function synthesizeFresh(stack: string, overrides: Record<string, unknown>, foundation: FoundationOutputs): Promise<Inventory> {
    const upstream: Record<string, Record<string, unknown>> = { [`${ORG}/foundation/org`]: { ...foundation } };
    if (stack !== "mgmt") {
        upstream[`${ORG}/platform/mgmt`] = (await synthesizePlatform("mgmt")).outputs;
    }
    return synthesizeWith(stack, overrides, upstream);
}

/** The AWS provider a resource is registered with, and its settings (provider inputs arrive as JSON strings). */
export function providerOf(inventory: Inventory, resource: PlannedResource): { name: string; region: string; roleArn: string | undefined } {
    if (resource.provider === null) {
        throw new Error(`${resource.name} has no explicit provider`);
    }
    const provider = inventory.byUrn(resource.provider.split("::").slice(0, 4).join("::"));
    const parse = (value: unknown) => (typeof value === "string" && /^[[{]/.test(value) ? JSON.parse(value) : value);
    const assumeRoles = parse(provider.inputs.assumeRoles) as { roleArn: string }[] | undefined;
    return { name: provider.name, region: String(provider.inputs.region), roleArn: assumeRoles?.[0]?.roleArn };
}

/** The resources under one of our components, so queries are not confused by other components' resources of the same type. */
export function within(inventory: Inventory, componentType: string, name?: string): Inventory {
    return new Inventory(inventory.descendantsOf(inventory.one(componentType, name)), inventory.outputs);
}

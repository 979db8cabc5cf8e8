import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { PlannedResource } from "../../plan-model/types";
import type { FoundationOutputs } from "../../foundation/outputs";
import { Inventory, synthesizeLayer } from "../harness";

let org: Promise<Inventory> | undefined;

/** foundation/org as its stack file configures it, synthesized once per test run. */
export function foundationOrg(): Promise<Inventory> {
    org ??= synthesizeLayer("foundation", "org");
    return org;
}

export function outputsOf(inventory: Inventory): FoundationOutputs {
    return inventory.outputs as unknown as FoundationOutputs;
}

/** A JSON-string input (policy documents, provider blocks) as an object. */
export function jsonInput<T = any>(inventory: Inventory, resource: PlannedResource, property: string): T {
    const value = inventory.input<unknown>(resource, property);
    return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export const STACK_FILE = path.join(__dirname, "..", "..", "foundation", "Pulumi.org.yaml");

/** The stack file's config, keys without the `foundation:` namespace. */
export function stackFileConfig(): Record<string, any> {
    const config = (parse(fs.readFileSync(STACK_FILE, "utf8")) as { config: Record<string, unknown> }).config;
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^foundation:/, ""), value]));
}

/** The provider a resource deploys through, following parents (component children inherit it). */
export function providerOf(inventory: Inventory, resource: PlannedResource): PlannedResource {
    let current: PlannedResource | undefined = resource;
    while (current && !current.provider) {
        current = current.parent ? inventory.resources.find((r) => r.urn === current!.parent) : undefined;
    }
    if (!current?.provider) {
        throw new Error(`${resource.name} has no provider`);
    }
    return inventory.byUrn(current.provider);
}

/** The account a provider deploys into: the one it assumes a role in, else the one it is pinned to. */
export function accountOfProvider(inventory: Inventory, provider: PlannedResource): string {
    const assumeRoles = jsonInput<{ roleArn: string }[] | undefined>(inventory, provider, "assumeRoles");
    if (assumeRoles && assumeRoles.length > 0) {
        return assumeRoles[0].roleArn.split(":")[4];
    }
    return jsonInput<string[]>(inventory, provider, "allowedAccountIds")[0];
}

export function accountOf(inventory: Inventory, resource: PlannedResource): string {
    return accountOfProvider(inventory, providerOf(inventory, resource));
}

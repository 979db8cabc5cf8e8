import type { PlannedResource } from "../../plan-model/types";
import { Inventory, planOf } from "../harness";

/** The workloads stack of an environment's plan (`npm run plan -- --env <env>`), memoized per process. */
export async function workloadsOf(env: string): Promise<Inventory> {
    return stackOf(env, "workloads");
}

/** The platform stack the workloads of `env` run on (platform/test for a pr-<n>). */
export async function platformOf(env: string): Promise<Inventory> {
    return stackOf(env, "platform", env.startsWith("pr-") ? "test" : env);
}

async function stackOf(env: string, project: string, stack: string = env): Promise<Inventory> {
    const plan = await planOf(env);
    const found = plan.stacks.find((s) => s.project === project && s.stack === stack);
    if (found === undefined) {
        throw new Error(`plan of ${env} has no ${project}/${stack}: [${plan.stacks.map((s) => `${s.project}/${s.stack}`).join(", ")}]`);
    }
    return Inventory.of(found);
}

export interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

/** A policy input (JSON string or object) as a document. */
export function policyOf(inventory: Inventory, resource: PlannedResource, path: string): { Statement: Statement[] } {
    const value = inventory.input<unknown>(resource, path);
    return (typeof value === "string" ? JSON.parse(value) : value) as { Statement: Statement[] };
}

export function asList<T>(value: T | T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

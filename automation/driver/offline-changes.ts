/**
 * What the offline engine does to a stack's recorded state: the diff against a plan, and the
 * steps applied in the engine's order, with failures injected on demand (tests, demos).
 */
import type { PlannedResource } from "../../plan-model/types";
import type { ChangeOp, FailedResource, OperationOptions, ResourceChange, StackRef } from "./engine";

/** One step the engine is about to apply; a failure injector may fail it with a message. */
export interface Step {
    ref: StackRef;
    urn: string;
    type: string;
    op: Exclude<ChangeOp, "same">;
}

export type FailureInjector = (step: Step) => string | undefined;

/** A regular expression: every step whose URN matches fails ("a failing resource" on demand, e.g. in a demo). */
export const FAIL_URN_ENV = "PAYMENTS_OFFLINE_FAIL_URN";

export function injectorFromEnvironment(): FailureInjector | undefined {
    const pattern = process.env[FAIL_URN_ENV];
    if (pattern === undefined || pattern === "") {
        return undefined;
    }
    const regex = new RegExp(pattern);
    return (step) => (regex.test(step.urn) ? `injected failure (${FAIL_URN_ENV}=${pattern})` : undefined);
}

/** JSON with object keys sorted, so equal values always give the same text. */
export function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v,
    );
}

function comparable(resource: PlannedResource): string {
    return stableJson({
        type: resource.type,
        inputs: resource.inputs,
        parent: resource.parent,
        provider: resource.provider,
        protect: resource.protect,
        retainOnDelete: resource.retainOnDelete,
    });
}

/** Creates and updates in registration order, then deletes in reverse order of the old state. */
export function diff(current: readonly PlannedResource[], desired: readonly PlannedResource[]): ResourceChange[] {
    const before = new Map(current.map((r) => [r.urn, r]));
    const after = new Set(desired.map((r) => r.urn));
    const changes: ResourceChange[] = desired.map((r) => {
        const old = before.get(r.urn);
        const op: ChangeOp = old === undefined ? "create" : comparable(old) === comparable(r) ? "same" : "update";
        return { urn: r.urn, type: r.type, op };
    });
    for (const r of [...current].reverse()) {
        if (!after.has(r.urn)) {
            changes.push({ urn: r.urn, type: r.type, op: "delete" });
        }
    }
    return changes;
}

const SYMBOL: Record<Exclude<ChangeOp, "same">, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const PAST: Record<Exclude<ChangeOp, "same">, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted" };

/** Streams the changes a preview would make, as the CLI prints them. */
export function streamChanges(options: OperationOptions, changes: readonly ResourceChange[], verb: string): void {
    for (const { op, type, urn } of changes) {
        if (op !== "same") {
            options.onOutput?.(`  ${SYMBOL[op]} ${type} ${urn} ${verb} ${op}\n`);
        }
    }
}

/**
 * Applies the steps in order. A failed step keeps the resource's old state (or none), and every
 * resource that depends on a failed or skipped one is skipped, as the engine does.
 */
export function applyChanges(
    ref: StackRef,
    current: readonly PlannedResource[],
    desired: readonly PlannedResource[],
    changes: readonly ResourceChange[],
    options: OperationOptions,
    failWhen: FailureInjector | undefined,
): { resources: PlannedResource[]; failed: FailedResource[]; cancelled: boolean } {
    const desiredByUrn = new Map(desired.map((r) => [r.urn, r]));
    const state = new Map(current.map((r) => [r.urn, r]));
    const blocked = new Set<string>();
    const failed: FailedResource[] = [];
    let cancelled = false;
    for (const change of changes) {
        if (options.signal?.aborted) {
            // Stop between steps, as the CLI does on SIGINT: what is done is recorded, the rest waits.
            cancelled = true;
            break;
        }
        if (change.op === "same") {
            state.set(change.urn, desiredByUrn.get(change.urn) as PlannedResource);
            continue;
        }
        const target = desiredByUrn.get(change.urn);
        const waitsOn = target === undefined ? [] : [...target.dependencies, ...(target.parent ? [target.parent] : [])];
        if (waitsOn.some((urn) => blocked.has(urn))) {
            blocked.add(change.urn);
            options.onOutput?.(`  ~ ${change.type} ${change.urn} skipped (a dependency failed)\n`);
            continue;
        }
        if (change.op === "delete") {
            // As the engine does: what a remaining resource depends on (its parent, provider or a
            // dependency, e.g. the provider of a resource whose delete failed) stays.
            const dependent = [...state.values()].find(
                (r) =>
                    r.urn !== change.urn && (r.dependencies.includes(change.urn) || r.parent === change.urn || r.provider === change.urn),
            );
            if (dependent !== undefined) {
                options.onOutput?.(`  ~ ${change.type} ${change.urn} kept (${dependent.urn} still depends on it)\n`);
                continue;
            }
        }
        const message = failWhen?.({ ref, urn: change.urn, type: change.type, op: change.op });
        if (message !== undefined) {
            blocked.add(change.urn);
            failed.push({ urn: change.urn, type: change.type, message });
            options.onOutput?.(`  x ${change.type} ${change.urn} **${change.op} failed**: ${message}\n`);
            continue;
        }
        if (change.op === "delete") {
            state.delete(change.urn);
        } else {
            state.set(change.urn, target as PlannedResource);
        }
        options.onOutput?.(`  ${SYMBOL[change.op]} ${change.type} ${change.urn} ${PAST[change.op]}\n`);
    }
    // Keep desired (registration) order, then what is left of the old state.
    const ordered = [...desired.filter((r) => state.has(r.urn)).map((r) => state.get(r.urn) as PlannedResource)];
    const kept = current.filter((r) => !desiredByUrn.has(r.urn) && state.has(r.urn));
    return { resources: [...ordered, ...kept], failed, cancelled };
}

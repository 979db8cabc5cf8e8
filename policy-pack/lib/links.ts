import type { PolicyResource } from "@pulumi/policy";
import { isUnknownValueError } from "./unknowns";
import { list } from "./values";

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Reads an input that may be unknown during preview; undefined when it is. */
function peek(resource: PolicyResource, key: string): unknown {
    try {
        return JSON.parse(JSON.stringify(resource.props[key] ?? null));
    } catch (error) {
        if (isUnknownValueError(error)) {
            return undefined;
        }
        throw error;
    }
}

export interface LinkOptions {
    /** Inputs of a target that hold its physical name (e.g. `bucket`, `name`). */
    nameKeys?: string[];
    /** How a referring value matches a target's name (default: equal; e.g. an ARN ending in it). */
    matches?: (value: string, name: string) => boolean;
    /** The input may name several targets (e.g. a list of security groups). */
    many?: boolean;
}

/**
 * The resources among `targets` that `from` refers to through its input `key` (e.g. a public
 * access block's `bucket`). A real preview says which resources each input came from
 * (propertyDependencies); where that is missing (the offline plan) the value is matched against
 * the target's physical name (explicit, or Pulumi's `<logical>-<7 hex>` auto-name, also inside an
 * ARN or domain name), and failing
 * that a dependency on targets is used: for a single-valued input only when it is unambiguous.
 */
export function referencedBy(
    from: PolicyResource,
    key: string,
    targets: readonly PolicyResource[],
    options: LinkOptions = {},
): PolicyResource[] {
    const byProperty = (from.propertyDependencies?.[key] ?? []).filter((d) => targets.includes(d));
    if (byProperty.length > 0) {
        return byProperty;
    }
    const values = list(peek(from, key)).filter((v): v is string => typeof v === "string");
    if (values.length > 0) {
        const byValue = targets.filter((t) => {
            const names = (options.nameKeys ?? []).map((k) => peek(t, k)).filter((n): n is string => typeof n === "string");
            // Pulumi's auto-name, alone or inside an ARN, URL or domain name.
            const autoName = new RegExp(`(^|[:/])${escapeRegExp(t.name)}-[0-9a-f]{7}($|[.:/])`);
            return values.some(
                (v) => names.some((n) => (options.matches ?? ((value, name) => value === name))(v, n)) || autoName.test(v) || v === t.urn,
            );
        });
        if (byValue.length > 0) {
            return byValue;
        }
    }
    const byDependency = targets.filter((t) => from.dependencies.includes(t));
    return options.many || byDependency.length === 1 ? byDependency : [];
}

/** The resources whose input `key` refers to `target`. */
export function referrersOf(
    target: PolicyResource,
    key: string,
    from: readonly PolicyResource[],
    targets: readonly PolicyResource[],
    options: LinkOptions = {},
): PolicyResource[] {
    return from.filter((r) => referencedBy(r, key, targets, options).includes(target));
}

/** The resource and its ancestors, nearest first. */
export function lineage(resource: PolicyResource): PolicyResource[] {
    const chain: PolicyResource[] = [];
    for (let r: PolicyResource | undefined = resource; r !== undefined; r = r.parent) {
        chain.push(r);
    }
    return chain;
}

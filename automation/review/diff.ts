import { PlannedResource, PlannedStack, SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../plan-model/types";

/** How a value known only at apply time reads in a change review. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

export interface PropertyChange {
    /** `a.b[2].c`, or `a.b[name=web].c` where array items have an identity. */
    path: string;
    /** Absent on an added property. */
    before?: unknown;
    /** Absent on a removed property. */
    after?: unknown;
}

export interface ResourceChange {
    urn: string;
    type: string;
    name: string;
    kind: "add" | "remove" | "change";
    protect: boolean;
    properties: PropertyChange[];
    /** A removed resource and an added one that look like the same thing under a new name. */
    rename?: { from: string; to: string; keptByAlias: boolean };
}

export interface StackDiff {
    project: string;
    stack: string;
    changes: ResourceChange[];
}

/** Keys that identify an item of an array of objects (statements, rules, tags, containers...). */
const IDENTITY_KEYS = ["Sid", "sid", "name", "Name", "key", "Key", "id", "arn", "type"];

/** Secret values by resource URN and property path, as keyed digests (never the values): see SecretFingerprints. */
export type SecretFingerprints = Map<string, Map<string, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function display(value: unknown): unknown {
    return value === UNKNOWN_PLACEHOLDER ? KNOWN_AFTER_APPLY : value;
}

/** The key whose string values tell the items of both arrays apart, each side on its own. */
function identityKey(before: unknown[], after: unknown[]): string | undefined {
    const items = [...before, ...after];
    if (items.length === 0 || !items.every(isRecord)) {
        return undefined;
    }
    return IDENTITY_KEYS.find((key) =>
        [before, after].every((side) => {
            const values = side.map((item) => (item as Record<string, unknown>)[key]);
            return values.every((v) => typeof v === "string" && v !== UNKNOWN_PLACEHOLDER) && new Set(values).size === values.length;
        }),
    );
}

/** Fingerprints of the secrets on each side, by the property path as the plan stores it (positions, not identities). */
export interface SecretSides {
    before?: Map<string, string>;
    after?: Map<string, string>;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Property-level differences between two values. Arrays whose items share an identity key are
 * matched by it (a reordered list is no change); other arrays by position. Secrets compare by
 * fingerprint when both are known (a changed secret shows `[secret]` on both sides).
 */
export function diffValues(before: unknown, after: unknown, secrets: SecretSides = {}): PropertyChange[] {
    const changes: PropertyChange[] = [];
    const walk = (a: unknown, b: unknown, path: string, rawA: string, rawB: string): void => {
        if (a === SECRET_PLACEHOLDER && b === SECRET_PLACEHOLDER) {
            const fa = secrets.before?.get(rawA);
            const fb = secrets.after?.get(rawB);
            if (fa !== undefined && fb !== undefined && fa !== fb) {
                changes.push({ path, before: a, after: b });
            }
            return;
        }
        if (isRecord(a) && isRecord(b)) {
            for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
                walk(a[key], b[key], join(path, key), join(rawA, key), join(rawB, key));
            }
            return;
        }
        if (Array.isArray(a) && Array.isArray(b)) {
            const key = identityKey(a, b);
            if (key === undefined) {
                for (let i = 0; i < Math.max(a.length, b.length); i++) {
                    walk(a[i], b[i], `${path}[${i}]`, `${rawA}[${i}]`, `${rawB}[${i}]`);
                }
                return;
            }
            const index = (items: unknown[]) => new Map(items.map((item, i) => [String((item as Record<string, unknown>)[key]), i]));
            const ia = index(a);
            const ib = index(b);
            for (const id of [...new Set([...ia.keys(), ...ib.keys()])]) {
                const i = ia.get(id);
                const j = ib.get(id);
                walk(
                    i === undefined ? undefined : a[i],
                    j === undefined ? undefined : b[j],
                    `${path}[${key}=${id}]`,
                    `${rawA}[${i}]`,
                    `${rawB}[${j}]`,
                );
            }
            return;
        }
        if (JSON.stringify(a) !== JSON.stringify(b)) {
            changes.push({ path, ...(a !== undefined ? { before: display(a) } : {}), ...(b !== undefined ? { after: display(b) } : {}) });
        }
    };
    walk(before, after, "", "", "");
    return changes;
}

/** The inputs that make a resource what it is, for spotting a rename: everything but names and tags. */
function shape(resource: PlannedResource): string {
    const rest = Object.entries(resource.inputs).filter(([key]) => !["name", "tags", "tagsAll"].includes(key));
    return `${resource.type}\0${JSON.stringify(rest)}`;
}

/** Every resource added, removed or changed between two revisions of a stack, matched by URN. */
export function diffStack(
    base: PlannedStack | undefined,
    head: PlannedStack | undefined,
    fingerprints: { base?: SecretFingerprints; head?: SecretFingerprints } = {},
): StackDiff {
    const project = (head ?? base)!.project;
    const stack = (head ?? base)!.stack;
    const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
    const after = new Map((head?.resources ?? []).map((r) => [r.urn, r]));
    const changes: ResourceChange[] = [];
    for (const [urn, resource] of after) {
        const old = before.get(urn);
        if (old === undefined) {
            changes.push({ urn, type: resource.type, name: resource.name, kind: "add", protect: resource.protect, properties: [] });
            continue;
        }
        const properties = diffValues(old.inputs, resource.inputs, {
            before: fingerprints.base?.get(urn),
            after: fingerprints.head?.get(urn),
        });
        if (old.protect !== resource.protect) {
            properties.push({ path: "(protect)", before: old.protect, after: resource.protect });
        }
        if (properties.length > 0) {
            changes.push({
                urn,
                type: resource.type,
                name: resource.name,
                kind: "change",
                protect: old.protect || resource.protect,
                properties,
            });
        }
    }
    for (const [urn, resource] of before) {
        if (!after.has(urn)) {
            changes.push({ urn, type: resource.type, name: resource.name, kind: "remove", protect: resource.protect, properties: [] });
        }
    }
    markRenames(changes, before, after);
    return { project, stack, changes };
}

/**
 * A removed resource and an added one of the same type and the same inputs but for names and tags
 * is most likely a rename: the engine would delete and recreate it unless the new one lists the old
 * URN in `aliases` (which the plan records).
 */
function markRenames(changes: ResourceChange[], before: Map<string, PlannedResource>, after: Map<string, PlannedResource>): void {
    const added = changes.filter((c) => c.kind === "add");
    for (const removed of changes.filter((c) => c.kind === "remove")) {
        const old = before.get(removed.urn)!;
        const aliased = added.find((c) => (after.get(c.urn)!.aliases ?? []).includes(removed.urn));
        const candidate = aliased ?? added.find((c) => c.rename === undefined && shape(after.get(c.urn)!) === shape(old));
        if (candidate !== undefined) {
            const rename = { from: removed.urn, to: candidate.urn, keptByAlias: aliased !== undefined };
            removed.rename = rename;
            candidate.rename = rename;
        }
    }
}

import { SECRET_PLACEHOLDER } from "../../plan-model/types";
import type { Subject } from "./definition";
import { CannotVerifyError } from "./unknowns";

/* eslint-disable @typescript-eslint/no-explicit-any -- resource properties are untyped JSON from the engine */

/** A value that is a list in the schema; absent means empty. */
export function list<T = any>(value: unknown): T[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Reading a value hidden as a secret (offline only: a real preview sees plaintext) cannot prove anything. */
export function readable<T>(value: T, what: string): T {
    if (value === SECRET_PLACEHOLDER) {
        throw new CannotVerifyError(`${what} is a secret in the plan`);
    }
    return value;
}

/**
 * A JSON document input (IAM, bucket and SCP policies are strings or objects depending on how the
 * program built them), as a plain object. Throws CannotVerifyError when it cannot be read.
 */
export function jsonDocument(value: unknown, what: string): any {
    readable(value, what);
    if (typeof value === "string") {
        try {
            return JSON.parse(value);
        } catch {
            throw new CannotVerifyError(`${what} is not valid JSON`);
        }
    }
    // Copying touches every property, so an unknown nested value throws here, not later.
    return value === undefined || value === null ? undefined : JSON.parse(JSON.stringify(value));
}

/** The minified length of a JSON document input, as AWS counts it against its size limits. */
export function minifiedLength(value: unknown, what: string): number {
    return JSON.stringify(jsonDocument(value, what)).length;
}

export interface Statement {
    effect: string;
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    principal: unknown;
    condition: unknown;
}

export function statements(document: any): Statement[] {
    if (document === undefined || document === null) {
        return [];
    }
    return list(document.Statement).map((s: any) => ({
        effect: String(s.Effect ?? ""),
        actions: list<string>(s.Action),
        notActions: list<string>(s.NotAction),
        resources: list<string>(s.Resource),
        notResources: list<string>(s.NotResource),
        principal: s.Principal,
        condition: s.Condition,
    }));
}

/** Tags as a map, from either the map form or the ASG-style list of {key, value}. */
export function tagMap(value: unknown): Record<string, string> {
    if (value === undefined || value === null) {
        return {};
    }
    if (typeof value === "string") {
        // Provider inputs reach the engine JSON-encoded.
        return value === "" ? {} : tagMap(JSON.parse(value));
    }
    if (Array.isArray(value)) {
        return Object.fromEntries(value.map((t: any) => [String(t.key ?? t.Key), String(t.value ?? t.Value)]));
    }
    return { ...(value as Record<string, string>) };
}

/** The provider's defaultTags.tags, whether the inputs carry the object or its JSON encoding. */
export function providerDefaultTags(provider: { props: Record<string, any> } | undefined): Record<string, string> {
    if (!provider) {
        return {};
    }
    let defaultTags: any = provider.props.defaultTags;
    if (typeof defaultTags === "string") {
        defaultTags = defaultTags === "" ? undefined : JSON.parse(defaultTags);
    }
    return tagMap(list(defaultTags)[0]?.tags);
}

/**
 * The tags AWS will put on a resource: the provider's defaultTags overlaid by the resource's own
 * (the provider merges them the same way; `tagsAll` is an output, never an input a policy sees).
 */
export function effectiveTags(resource: Subject): Record<string, string> {
    return { ...providerDefaultTags(resource.provider), ...tagMap(resource.props.tags) };
}

/** CIDR sources that mean "anyone". */
export const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

/** Whether a port range (protocol "-1"/"all" means every port) covers `port`. */
export function coversPort(protocol: unknown, fromPort: unknown, toPort: unknown, port: number): boolean {
    const p = String(protocol ?? "").toLowerCase();
    if (p === "-1" || p === "all") {
        return true;
    }
    if (p !== "tcp" && p !== "6") {
        return false;
    }
    const from = Number(fromPort ?? 0);
    const to = Number(toPort ?? from);
    return from <= port && port <= to;
}

/** Whether an input is set, without reading it (an input unknown during preview is still set). */
export function has(props: Record<string, any> | undefined, key: string): boolean {
    // The descriptor holds the raw value: reading it does not trip the SDK's unknown-value proxy.
    const descriptor = props === undefined || props === null ? undefined : Object.getOwnPropertyDescriptor(props, key);
    return descriptor !== undefined && descriptor.value !== undefined && descriptor.value !== null && descriptor.value !== "";
}

export function ofTypes<T extends { type: string }>(resources: readonly T[], types: readonly string[]): T[] {
    return resources.filter((r) => types.includes(r.type));
}

import type { PolicyConfigSchema } from "@pulumi/policy";
import { isPullRequestEnvironment } from "../../lib/environments";

/** The levels a policy of this pack can run at (the SDK's "remediate" is not used: no policy rewrites inputs). */
export type Level = "advisory" | "mandatory" | "disabled";

/**
 * Skips one policy for one resource until a date. The reason is required so a reviewer can judge
 * it; the expiry forces the question to be asked again. Dates are `YYYY-MM-DD` and inclusive.
 */
export interface Exemption {
    urn: string;
    reason: string;
    expires: string;
}

/** A pack-level exemption: names the policy it lifts and who answers for it. */
export interface PackExemption extends Exemption {
    policy: string;
    /** The team or person who fixes the resource before the expiry. */
    owner: string;
}

/** What every policy of the pack reads from its Pulumi policy config (`getConfig()`). */
export interface CommonPolicyConfig {
    /** The environment the stack belongs to; derived from the stack name (in the URN) when unset. */
    environment?: string;
    exemptions?: Exemption[];
    /** The date exemptions are judged against (`YYYY-MM-DD`); today when unset. */
    asOf?: string;
}

/**
 * One configuration for the whole pack, the form a person writes (and `evaluateStack` takes).
 * `toPolicyPackConfig` turns it into the per-policy JSON that `pulumi preview --policy-pack-config`
 * reads, so a real preview and the offline plan see the same settings.
 */
export interface PackConfig {
    environment?: string;
    allowedRegions?: string[];
    requiredTags?: string[];
    exemptions?: PackExemption[];
    /** Per-policy enforcement level, overriding the default and the prod default. */
    enforcement?: Record<string, Level>;
    /** Further per-policy settings, by policy name (e.g. thresholds), validated by each policy's schema. */
    policies?: Record<string, Record<string, unknown>>;
    asOf?: string;
}

const DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

const EXEMPTION_SCHEMA = {
    type: "object" as const,
    required: ["urn", "reason", "expires"],
    properties: {
        urn: { type: "string" as const, pattern: "^urn:pulumi:" },
        reason: { type: "string" as const, minLength: 10 },
        expires: { type: "string" as const, pattern: DATE },
    },
};

/** The configSchema properties every policy accepts, merged with the policy's own. */
export function commonSchema(own: PolicyConfigSchema["properties"] = {}): PolicyConfigSchema {
    return {
        properties: {
            environment: { type: "string", description: "Environment name; derived from the stack name when unset." },
            exemptions: {
                type: "array",
                items: EXEMPTION_SCHEMA,
                description: "Resources this policy skips, each with a reason and an expiry date.",
            },
            asOf: { type: "string", pattern: DATE, description: "Judge exemption expiry as of this date (default: today)." },
            ...own,
        },
    };
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> `<stack>`. */
export function stackOfUrn(urn: string): string | undefined {
    const match = /^urn:pulumi:([^:]+)::/.exec(urn);
    return match ? match[1] : undefined;
}

/**
 * Environments held to prod levels: prod itself, mgmt (its Argo CD deploys prod and its Transit
 * Gateway reaches prod's VPC, so a weakness there is a path into prod) and org (the organization,
 * its audit trail and the deployment roles of every account).
 */
export const PROD_LEVEL_ENVIRONMENTS = ["prod", "mgmt", "org"];

export function isProd(env: string): boolean {
    return PROD_LEVEL_ENVIRONMENTS.includes(env);
}

/** `pr-<n>`; the issue defines PR environments by the `pr-` prefix, the estate by `pr-<number>`. */
export function isPullRequest(env: string): boolean {
    return isPullRequestEnvironment(env) || env.startsWith("pr-");
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDate(date: Date): string {
    return date.toISOString().slice(0, 10);
}

export type ExemptionStatus = { state: "none" } | { state: "active"; exemption: Exemption } | { state: "expired"; exemption: Exemption };

/** Whether `urn` is exempt on `asOf`; an exemption whose date is invalid counts as expired. */
export function exemptionFor(urn: string, exemptions: readonly Exemption[], asOf: string): ExemptionStatus {
    const matching = exemptions.filter((e) => e.urn === urn);
    const active = matching.find((e) => new RegExp(DATE).test(e.expires) && e.expires >= asOf && e.reason.trim() !== "");
    if (active) {
        return { state: "active", exemption: active };
    }
    return matching.length > 0 ? { state: "expired", exemption: matching[0] } : { state: "none" };
}

import type { PlanEstimates } from "../estimates";

/**
 * The plan JSON contract from shared/CONVENTIONS.md ("The offline plan"). Fields may be added;
 * none of these may change.
 */
export type EnforcementLevel = "mandatory" | "advisory";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string | null;
    provider: string | null;
    inputs: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    /** URNs this resource waits for: explicit dependsOn plus the resources whose outputs it consumes. */
    dependencies: string[];
    /** URNs this resource was known by before (its `aliases` option), when it has any. */
    aliases?: string[];
}

export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    urn: string | null;
    message: string;
}

export interface PlannedStack {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    violations: Violation[];
}

export interface PlanSummary {
    stacks: number;
    resources: number;
    mandatory: number;
    advisory: number;
}

export interface PlanDocument {
    env: string;
    stacks: PlannedStack[];
    summary: PlanSummary;
    /** Spin-up, teardown and cost estimates per stack and for the environment (automation/estimates). */
    estimates?: PlanEstimates;
}

/** How secret values appear anywhere in a plan. */
export const SECRET_PLACEHOLDER = "[secret]";
/** How values that only exist after apply appear in a plan. */
export const UNKNOWN_PLACEHOLDER = "[unknown]";

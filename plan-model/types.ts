import type { PlanEstimates } from "./estimates/types";
import type { Flow, FlowSummary } from "./flows";

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
    /** Custom resources: the physical id the provider would return (offline: the engine's deterministic one). */
    id?: string;
    /** Custom resources with an ARN: as the provider would compute it. */
    arn?: string;
    /** Custom resources: the account the resource's provider deploys into. */
    account?: string;
    /** Remote components (whose children never register offline): their scalar outputs, e.g. the EKS cluster security group id. */
    outputs?: Record<string, unknown>;
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
    /** Behaviour checks across the plan's stacks (automation/flows). */
    flows?: FlowSummary;
}

export interface PlanDocument {
    env: string;
    stacks: PlannedStack[];
    summary: PlanSummary;
    /** Spin-up, teardown and cost estimates per stack and for the environment (plan-model/estimates). */
    estimates?: PlanEstimates;
    /** Who may do what, which packets pass, which names resolve: each flow proven, failing or unknown. */
    flows?: Flow[];
}

/** How secret values appear anywhere in a plan. */
export const SECRET_PLACEHOLDER = "[secret]";
/** How values that only exist after apply appear in a plan. */
export const UNKNOWN_PLACEHOLDER = "[unknown]";

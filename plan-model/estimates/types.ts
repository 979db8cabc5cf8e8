import type { QuotaId } from "./quotas";

/** The estimates section of the plan JSON (`estimates`): what `estimatePlan` produces. */
export interface CostItem {
    urn?: string;
    item: string;
    monthlyUsd: number;
}

export interface Estimate {
    /** Resources (of every kind, components included) the estimate covers. */
    resources: number;
    spinUpMinutes: number;
    teardownMinutes: number;
    monthlyUsd: number;
    dailyUsd: number;
    /** URNs `pulumi up` waits for, in order (zero-time resources left out). */
    criticalPath: string[];
    /** URNs `pulumi destroy` waits for, in order. */
    teardownPath: string[];
    /** The three largest fixed monthly costs. */
    topCosts: CostItem[];
    /** Usage-based costs this estimate leaves out (requests, GB, LCUs...), one line per kind. */
    unpricedUsageBased: string[];
    /** Resource types neither table knows: their time and cost are missing from the figures. */
    unknownTypes: string[];
    /** Input values the price tables lack (e.g. an instance type): their cost is missing from the figures. */
    unknownPrices: string[];
    /** What else a reader must know (protected resources blocking destroy, retained resources). */
    notes: string[];
}

export interface StackEstimate extends Estimate {
    project: string;
    stack: string;
    /** An upstream stack that already exists for this environment: not counted in `environment`. */
    shared: boolean;
}

export interface PlanEstimates {
    env: string;
    /** `<project>/<stack>` of the stacks the environment figures count. */
    counted: string[];
    environment: Estimate;
    stacks: StackEstimate[];
    /** How many PR environments the test platform holds (plans of a `pr-<n>`, which include platform/test). */
    capacity?: CapacityEstimate;
}

export interface CapacityRow {
    quota: QuotaId;
    name: string;
    scope: string;
    perPullRequest: number;
    platformFixed: number;
    limit: number;
    /** `default` (AWS's), `requested` (a Service Quotas request in the platform stack) or `derived` (from sizing). */
    limitFrom: "default" | "requested" | "derived";
    /** Live PRs that fit; null when a PR uses none of it. */
    fits: number | null;
    /** How the figures were obtained. */
    basis: string;
    source: string;
}

export interface CapacityEstimate {
    /** `<project>/<stack>` of the platform and of the PR stack the figures come from. */
    platform: string;
    pullRequestStack: string;
    livePullRequests: number;
    /** The quotas that set the ceiling. */
    limitedBy: QuotaId[];
    /** Every quota, fewest fitting PRs first (unlimited last). */
    rows: CapacityRow[];
    quotasAsOf: string;
    /** Quotas whose limit is unknown to the tables (an instance type...): left out of the ceiling. */
    unknown: string[];
}

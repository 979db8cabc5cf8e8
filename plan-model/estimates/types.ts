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
}

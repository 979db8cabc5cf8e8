/** One behaviour the plan proves or refutes: who may do what to which target, across stacks. */
export type FlowKind = "identity" | "network" | "kubernetes" | "reference";
export type FlowExpectation = "allowed" | "denied";
/** `proven`: the model decides as expected; `failing`: it decides the other way; `unknown`: the plan cannot know (see `because`). */
export type FlowResult = "proven" | "failing" | "unknown";

export interface Flow {
    /** Stable across plans: `<kind>:<subject>-><target>:<action>` shortened to what identifies it. */
    id: string;
    kind: FlowKind;
    subject: string;
    action: string;
    target: string;
    expect: FlowExpectation;
    result: FlowResult;
    /** Why the model decided as it did (the statement, rule or object that allows or denies). */
    because: string;
    /** `<project>/<stack>` of the resource the flow was derived from. */
    stack: string;
}

export interface FlowSummary {
    proven: number;
    failing: number;
    unknown: number;
}

import { Flow, FlowExpectation, FlowKind } from "../../plan-model/flows";

/** What a checker decides before it is compared with the expectation. */
export interface Decision {
    /** undefined: the plan cannot know. */
    allowed: boolean | undefined;
    because: string;
}

export interface FlowSpec {
    kind: FlowKind;
    subject: string;
    action: string;
    target: string;
    expect: FlowExpectation;
    stack: string;
}

/** Compares a decision with the expectation. */
export function judge(spec: FlowSpec, decision: Decision): Flow {
    const result = decision.allowed === undefined ? "unknown" : decision.allowed === (spec.expect === "allowed") ? "proven" : "failing";
    return {
        id: `${spec.kind}:${spec.subject} -> ${spec.target}: ${spec.action}`,
        ...spec,
        result,
        because: decision.because,
    };
}

/** A reference check: holds or not, with the reason either way. */
export function reference(spec: Omit<FlowSpec, "kind" | "expect">, holds: boolean | undefined, because: string): Flow {
    return judge({ ...spec, kind: "reference", expect: "allowed" }, { allowed: holds, because });
}

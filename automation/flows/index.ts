import { PlanDocument } from "../../plan-model/types";
import { Estate } from "./estate";
import { identityFlows } from "./identity-flows";
import { kubernetesFlows } from "./kubernetes-flows";
import { networkFlows } from "./network-flows";
import { referenceFlows } from "./reference-flows";
import { Flow, FlowSummary } from "../../plan-model/flows";

export { Flow, FlowSummary } from "../../plan-model/flows";

/** Every flow of a plan: derived from the structure of all its stacks, each proven, failing or unknown. */
export function evaluateFlows(plan: Pick<PlanDocument, "env" | "stacks">): Flow[] {
    const estate = new Estate(plan as PlanDocument);
    const flows = [...identityFlows(estate), ...networkFlows(estate), ...kubernetesFlows(estate), ...referenceFlows(estate)];
    // One flow per id: the same fact derived twice (e.g. a trust seen from both sides) is reported once.
    return [...new Map(flows.map((f) => [f.id, f])).values()];
}

export function summarizeFlows(flows: Flow[]): FlowSummary {
    return {
        proven: flows.filter((f) => f.result === "proven").length,
        failing: flows.filter((f) => f.result === "failing").length,
        unknown: flows.filter((f) => f.result === "unknown").length,
    };
}

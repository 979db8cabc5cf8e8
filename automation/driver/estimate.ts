/**
 * Cost and time estimates for the Markdown report, from plan-model/estimates. Only a result the
 * engine synthesized itself (offline) carries the planned stack they are computed from.
 */
import { estimateStack, renderCapacityMarkdown, renderStackEstimateMarkdown } from "../../plan-model/estimates";
import type { OperationResult } from "./engine";

export function estimateSection(result: OperationResult): string | undefined {
    if (result.planned === undefined) {
        return undefined;
    }
    const capacity = result.capacity === undefined ? [] : [renderCapacityMarkdown(result.capacity), ""];
    return ["**Estimates** (plan-model/estimates)", "", renderStackEstimateMarkdown(estimateStack(result.planned)), "", ...capacity].join(
        "\n",
    );
}

import * as path from "path";
import { PlanDocument } from "../../plan-model/types";
import { planProgram } from "../../automation/plan/plan";

/** test/fixtures/probe-program: one realistic mistake per class the pack must catch, otherwise compliant. */
export const PROBE_PROGRAM = path.join(__dirname, "..", "fixtures", "probe-program");

let cached: Promise<PlanDocument> | undefined;

export function probePlan(): Promise<PlanDocument> {
    cached ??= planProgram(PROBE_PROGRAM, "prod");
    return cached;
}

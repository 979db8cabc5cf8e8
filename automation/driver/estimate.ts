/**
 * Cost and time estimates for a PR environment's Markdown, from automation/estimates when that
 * module is present (it is optional for the driver: without it the report simply has no estimate).
 */
import type { PlannedStack } from "../engine/types";
import type { OperationResult } from "./engine";

interface EstimatesModule {
    estimateStack?: (stack: PlannedStack) => unknown;
}

function loadEstimates(): EstimatesModule | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("../estimates") as EstimatesModule;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((error as Error).message).includes("estimates")) {
            return undefined;
        }
        throw error;
    }
}

function scalarRows(value: unknown, prefix = ""): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return [];
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
        typeof v === "number" || typeof v === "string" ? [`| ${prefix}${key} | ${typeof v === "number" ? Number(v.toFixed(2)) : v} |`] : prefix === "" ? scalarRows(v, `${key}.`) : [],
    );
}

/** The estimate of the stack a result planned, as a Markdown section, or undefined when unavailable. */
export function estimateSection(result: OperationResult): string | undefined {
    const estimates = result.planned === undefined ? undefined : loadEstimates();
    if (estimates?.estimateStack === undefined || result.planned === undefined) {
        return undefined;
    }
    const estimate = estimates.estimateStack(result.planned);
    if (typeof estimate === "string") {
        return estimate;
    }
    const rows = scalarRows(estimate);
    return rows.length === 0 ? undefined : ["<details><summary>Estimates</summary>", "", "| estimate | value |", "|---|---|", ...rows, "", "</details>", ""].join("\n");
}

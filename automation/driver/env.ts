/**
 * Promotions: `platform/<env>` then `workloads/<env>` (the order their stack references need),
 * each with the policy pack. Prod only with an explicit `--confirm prod`, which the deploy
 * workflow passes after the GitHub environment's reviewers approved.
 */
import { isWorkloadEnvironment, WORKLOAD_ENVIRONMENTS, type WorkloadEnvironment } from "../../lib/environments";
import { UsageError } from "../cli/framework";
import { ReportedError, runOperation, type DriverContext } from "./context";
import { UpdateFailedError, isNoOp, type OperationResult, type StackRef } from "./engine";
import { estimateSection } from "./estimate";
import { operationMarkdown } from "./markdown";
import { REPO_ROOT } from "../../lib/repository";
import { readStackFileConfig } from "./stack-config";

export const PROMOTION_LAYERS = ["platform", "workloads"] as const;
export type PromotionLayer = (typeof PROMOTION_LAYERS)[number];

export interface EnvRequest {
    action: "preview" | "up";
    env: string;
    layer?: string;
    chartVersion?: string;
    confirm?: string;
}

/** Validated request: the environment, the layers in dependency order. */
export function promotionPlan(request: EnvRequest): { env: WorkloadEnvironment; layers: PromotionLayer[] } {
    if (!isWorkloadEnvironment(request.env)) {
        throw new UsageError(
            `--env must be one of ${WORKLOAD_ENVIRONMENTS.join(", ")}, got "${request.env}" (PR environments use \`npm run pr\`)`,
        );
    }
    if (request.layer !== undefined && !(PROMOTION_LAYERS as readonly string[]).includes(request.layer)) {
        throw new UsageError(`--layer must be one of ${PROMOTION_LAYERS.join(", ")}, got "${request.layer}"`);
    }
    if (request.chartVersion !== undefined && request.layer === "platform") {
        throw new UsageError("--chart-version applies to the workloads layer; drop it or use --layer workloads");
    }
    const env = request.env as WorkloadEnvironment;
    if (env === "prod" && request.action === "up" && request.confirm !== "prod") {
        throw new UsageError(
            "refusing to update prod without --confirm prod (the deploy workflow passes it after the prod environment's approval)",
        );
    }
    if (request.confirm !== undefined && request.confirm !== env) {
        throw new UsageError(`--confirm ${request.confirm} does not match --env ${env}`);
    }
    return { env, layers: request.layer === undefined ? [...PROMOTION_LAYERS] : [request.layer as PromotionLayer] };
}

export interface EnvReport {
    results: OperationResult[];
    markdown: string;
}

export async function envRun(ctx: DriverContext, request: EnvRequest): Promise<EnvReport> {
    const { env, layers } = promotionPlan(request);
    const results: OperationResult[] = [];
    const sections: string[] = [];
    for (const layer of layers) {
        const ref: StackRef = { project: layer, stack: env };
        // The stack file is the configuration; a promotion only pins the chart version on top of it.
        const config =
            layer === "workloads" && request.chartVersion !== undefined
                ? { ...readStackFileConfig("workloads", env, ctx.repoRoot ?? REPO_ROOT), "workloads:chartVersion": request.chartVersion }
                : undefined;
        const title = `${request.action === "up" ? "Update" : "Preview"} of ${layer}/${env}`;
        const facts = request.chartVersion && layer === "workloads" ? [`chart: ${request.chartVersion}`] : [];
        try {
            const result = await runOperation(ctx, ref, (signal) => ctx.engine[request.action](ref, { config, signal, onOutput: ctx.log }));
            results.push(result);
            const status = request.action === "preview" ? "preview" : isNoOp(result.counts) ? "no changes" : "succeeded";
            sections.push(operationMarkdown(result, { title, facts, status, estimate: estimateSection(result) }));
        } catch (error) {
            if (error instanceof UpdateFailedError && error.result) {
                sections.push(operationMarkdown(error.result, { title, facts, status: "failed" }));
                // Later layers read this one's outputs: stop here.
                throw new ReportedError(error, sections.join("\n"));
            }
            throw error;
        }
    }
    return { results, markdown: sections.join("\n") };
}

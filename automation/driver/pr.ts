/**
 * PR environments: `workloads/pr-<n>` stacks on the test platform. Every mutating path goes
 * through assertPullRequestTarget (guard.ts) first.
 */
import { pullRequestHostname, pullRequestNumber } from "../../lib/environments";
import { accountFromArn } from "../../lib/arn";
import { formatDuration } from "../deadline";
import { ReportedError, runOperation, type DriverContext } from "./context";
import { UpdateFailedError, isNoOp, stackLabel, type Engine, type OperationResult, type StackRef } from "./engine";
import { estimateSection } from "./estimate";
import { assertPullRequestTarget } from "./guard";
import { operationMarkdown } from "./markdown";
import { REPO_ROOT } from "../../lib/repository";
import { pullRequestConfig } from "./stack-config";

export function prStackRef(pr: number): StackRef {
    return { project: "workloads", stack: `pr-${pr}` };
}

interface TestPlatform {
    accountId: string;
    domainName: string;
}

async function testPlatform(engine: Engine, ref: StackRef, config?: Record<string, unknown>): Promise<TestPlatform> {
    const outputs = await engine.platformOutputs("test", { ref, config });
    return { accountId: String(outputs.accountId ?? ""), domainName: String(outputs.domainName ?? "") };
}

/** The guard with the facts the engine has: the stack's recorded accounts plus the account the new config deploys into. */
async function guard(
    ctx: DriverContext,
    ref: StackRef,
    pr: number | undefined,
    platform: TestPlatform,
    config?: Record<string, unknown>,
): Promise<number> {
    const accounts = await ctx.engine.deploymentAccounts(ref);
    const roleArn = config?.["workloads:deploymentRoleArn"];
    const configAccount = typeof roleArn === "string" ? accountFromArn(roleArn) : undefined;
    return assertPullRequestTarget(
        { ref, accounts: configAccount ? [...accounts, configAccount] : accounts },
        { testAccountId: platform.accountId, pr },
    );
}

/** Where the PR's stack will serve, before it has a `publicHostname` output (a preview, a failed first up). */
export function prUrl(pr: number, domainName: string): string {
    return `https://${pullRequestHostname(`pr-${pr}`, domainName)}`;
}

/** The stack's own `publicHostname` output (WorkloadsOutputs), when it has one. */
function publicUrl(result: OperationResult): string | undefined {
    const host = result.outputs.publicHostname;
    return host !== undefined && !host.secret && typeof host.value === "string" && /^[a-z0-9.-]+$/.test(host.value)
        ? `https://${host.value}`
        : undefined;
}

export interface PrUpRequest {
    pr: number;
    sha: string;
    chartVersion?: string;
}

export type PrPreviewRequest = Omit<PrUpRequest, "sha"> & { sha?: string };

export interface PrReport {
    result: OperationResult;
    markdown: string;
    url?: string;
}

/** The report's elapsed time is the whole command's: synthesis, guard, lock waits and the operation. */
function sinceStart(result: OperationResult, started: number): OperationResult {
    return { ...result, elapsedMs: Date.now() - started };
}

/** The PR's stack, the config it gets and the test platform it runs on, once the guard has let it through. */
async function guardedTarget(
    ctx: DriverContext,
    request: PrPreviewRequest,
): Promise<{ ref: StackRef; config: Record<string, unknown>; platform: TestPlatform }> {
    const ref = prStackRef(request.pr);
    const config = pullRequestConfig({ sha: request.sha, chartVersion: request.chartVersion }, ctx.repoRoot ?? REPO_ROOT);
    const platform = await testPlatform(ctx.engine, ref, config);
    await guard(ctx, ref, request.pr, platform, config);
    return { ref, config, platform };
}

/** Creates or updates the PR's environment; the same inputs a second time change nothing. */
export async function prUp(ctx: DriverContext, request: PrUpRequest): Promise<PrReport> {
    const started = Date.now();
    const { ref, config, platform } = await guardedTarget(ctx, request);
    const expectedUrl = prUrl(request.pr, platform.domainName);
    const facts = [`commit: ${request.sha}`, ...(request.chartVersion ? [`chart: ${request.chartVersion}`] : [])];
    const title = `PR environment pr-${request.pr}`;
    try {
        const result = sinceStart(
            await runOperation(ctx, ref, (signal) => ctx.engine.up(ref, { config, signal, onOutput: ctx.log })),
            started,
        );
        const status = isNoOp(result.counts) ? "no changes" : "succeeded";
        const url = publicUrl(result) ?? expectedUrl;
        return { result, url, markdown: operationMarkdown(result, { title, url, facts, status, estimate: estimateSection(result) }) };
    } catch (error) {
        if (error instanceof UpdateFailedError && error.result) {
            throw new ReportedError(
                error,
                operationMarkdown(sinceStart(error.result, started), { title, url: expectedUrl, facts, status: "failed" }),
            );
        }
        throw error;
    }
}

export async function prPreview(ctx: DriverContext, request: PrPreviewRequest): Promise<PrReport> {
    const started = Date.now();
    const { ref, config, platform } = await guardedTarget(ctx, request);
    const url = prUrl(request.pr, platform.domainName);
    const result = sinceStart(
        await runOperation(ctx, ref, (signal) => ctx.engine.preview(ref, { config, signal, onOutput: ctx.log })),
        started,
    );
    const markdown = operationMarkdown(result, {
        title: `Preview of PR environment pr-${request.pr}`,
        url,
        facts: request.sha ? [`commit: ${request.sha}`] : [],
        status: "preview",
        estimate: estimateSection(result),
    });
    return { result, url, markdown };
}

export interface PrDownReport {
    pr: number;
    existed: boolean;
    /** True when the first destroy failed and the one after a refresh succeeded. */
    retried: boolean;
    markdown: string;
}

/** Destroys and removes the PR's stack; a PR without a stack is already down. */
export async function prDown(ctx: DriverContext, pr: number): Promise<PrDownReport> {
    const ref = prStackRef(pr);
    if (!(await ctx.engine.stackExists(ref))) {
        ctx.log(`${stackLabel(ref)} does not exist: nothing to destroy\n`);
        return { pr, existed: false, retried: false, markdown: `### PR environment pr-${pr}: already gone\n` };
    }
    await guard(ctx, ref, pr, await testPlatform(ctx.engine, ref));
    let retried = false;
    let result: OperationResult;
    try {
        result = await runOperation(ctx, ref, (signal) => ctx.engine.destroy(ref, { signal, onOutput: ctx.log }));
    } catch (error) {
        if (!(error instanceof UpdateFailedError)) {
            throw error;
        }
        // Typical cause: something deleted out of band (or a dependency still draining); a refresh reconciles it.
        ctx.log(`${error.message}\nrefreshing ${stackLabel(ref)} and retrying the destroy once\n`);
        retried = true;
        await runOperation(ctx, ref, (signal) => ctx.engine.refresh(ref, { signal, onOutput: ctx.log }));
        result = await runOperation(ctx, ref, (signal) => ctx.engine.destroy(ref, { signal, onOutput: ctx.log }));
    }
    await ctx.engine.removeStack(ref);
    const markdown = `### PR environment pr-${pr}: destroyed\n\n${result.counts.delete} resources deleted in ${formatDuration(result.elapsedMs)}${retried ? " (after a refresh and a retry)" : ""}; stack removed.\n`;
    return { pr, existed: true, retried, markdown };
}

export interface PrStackInfo {
    pr: number;
    stack: string;
    createdAt?: string;
    lastUpdate?: string;
    ageMs?: number;
    resourceCount?: number;
    updateInProgress: boolean;
    /** A lock whose holder is gone: nobody updates the stack, and the next run clears it. */
    staleLock?: string;
    unreadable?: string;
}

export async function prList(ctx: DriverContext): Promise<PrStackInfo[]> {
    const now = (ctx.now ?? (() => new Date()))().getTime();
    const stacks = await ctx.engine.listStacks("workloads");
    return stacks
        .map((s) => ({ summary: s, pr: pullRequestNumber(s.ref.stack) }))
        .filter((s): s is typeof s & { pr: number } => s.pr !== undefined)
        .map(({ summary, pr }) => ({
            pr,
            stack: summary.ref.stack,
            createdAt: summary.createdAt?.toISOString(),
            lastUpdate: summary.lastUpdate?.toISOString(),
            ageMs: summary.createdAt ? now - summary.createdAt.getTime() : undefined,
            resourceCount: summary.resourceCount,
            updateInProgress: summary.updateInProgress,
            ...(summary.staleLock === undefined ? {} : { staleLock: summary.staleLock }),
            ...(summary.unreadable === undefined ? {} : { unreadable: summary.unreadable }),
        }))
        .sort((a, b) => a.pr - b.pr);
}

function state(stack: PrStackInfo): string {
    if (stack.unreadable !== undefined) {
        return `unreadable: ${stack.unreadable}`;
    }
    return stack.updateInProgress ? "updating" : stack.staleLock !== undefined ? `stale lock: ${stack.staleLock}` : "";
}

export function prListTable(stacks: readonly PrStackInfo[]): string {
    if (stacks.length === 0) {
        return "No PR environments.\n";
    }
    const rows = stacks.map((s) =>
        [
            `#${s.pr}`,
            s.stack,
            s.ageMs === undefined ? "-" : formatDuration(s.ageMs),
            s.lastUpdate ?? "never",
            String(s.resourceCount ?? "-"),
            state(s),
        ].join(" | "),
    );
    return ["| PR | stack | age | last update | resources | |", "|---|---|---|---|---|---|", ...rows.map((r) => `| ${r} |`), ""].join("\n");
}

export interface GcRequest {
    maxAgeMs: number;
    /** The PRs still open; stacks of any other PR are destroyed. Without it only age counts. */
    open?: readonly number[];
    concurrency?: number;
}

export interface GcReport {
    destroyed: { pr: number; reason: string }[];
    kept: number[];
    failed: { pr: number; reason: string; error: string }[];
    markdown: string;
}

/** Destroys the stacks of closed PRs and stacks older than the maximum age; goes on past failures. */
export async function prGc(ctx: DriverContext, request: GcRequest): Promise<GcReport> {
    const stacks = await prList(ctx);
    const open = request.open === undefined ? undefined : new Set(request.open);
    const doomed: { pr: number; reason: string }[] = [];
    const kept: number[] = [];
    for (const stack of stacks) {
        const reasons = [
            ...(open !== undefined && !open.has(stack.pr) ? ["PR closed"] : []),
            ...(stack.ageMs !== undefined && stack.ageMs > request.maxAgeMs
                ? [`older than ${formatDuration(request.maxAgeMs)} (${formatDuration(stack.ageMs)})`]
                : []),
        ];
        if (reasons.length > 0) {
            doomed.push({ pr: stack.pr, reason: reasons.join(", ") });
        } else {
            kept.push(stack.pr);
        }
    }
    const destroyed: GcReport["destroyed"] = [];
    const failed: GcReport["failed"] = [];
    await forEachBounded(doomed, request.concurrency ?? 3, async (item) => {
        ctx.log(`gc: destroying pr-${item.pr} (${item.reason})\n`);
        try {
            await prDown(ctx, item.pr);
            destroyed.push(item);
        } catch (error) {
            failed.push({ ...item, error: (error as Error).message });
        }
    });
    destroyed.sort((a, b) => a.pr - b.pr);
    failed.sort((a, b) => a.pr - b.pr);
    const markdown = [
        `### PR environment gc: ${destroyed.length} destroyed, ${kept.length} kept, ${failed.length} failed`,
        "",
        ...destroyed.map((d) => `- destroyed pr-${d.pr}: ${d.reason}`),
        ...failed.map((f) => `- **failed** pr-${f.pr} (${f.reason}): ${f.error.split("\n").join(" ")}`),
        "",
    ].join("\n");
    return { destroyed, kept, failed, markdown };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            await work(items[next++]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Spin-up/teardown time and fixed-cost estimates of a plan, per stack and per environment.
 *
 * Environment scope: an environment's own stacks are those named after it (`platform/test` and
 * `workloads/test` for `test`; only `workloads/pr-42` for `pr-42`). The upstream stacks a plan also
 * synthesizes (`foundation/org`, `platform/mgmt`, and `platform/test` for a PR) already exist and are
 * shared, so they are estimated per stack but not counted in the environment: the environment figure
 * is what creating (and paying for) that environment adds.
 *
 * Environment time: stacks run one after another along their stack references (a consumer can only
 * start once the producer's outputs exist), so the environment spin-up is the longest path through
 * the own stacks' reference graph, i.e. the sum along the chain; teardown runs the chain backwards.
 */
import { PlanDocument, PlannedResource, PlannedStack } from "../types";
import { estimateCapacity } from "./capacity";
import { createTasks, deleteTasks, longestPath, Task } from "./critical-path";
import { CostLine, HOURS_PER_MONTH, priceRuleOf, PricingContext } from "./prices";
import { timingOf } from "./timings";
import type { CostItem, Estimate, PlanEstimates, StackEstimate } from "./types";

export { renderCapacityMarkdown, renderEstimates, renderStackEstimateMarkdown } from "./render";
export type { CapacityEstimate, CapacityRow, CostItem, Estimate, PlanEstimates, StackEstimate } from "./types";

interface Detailed {
    estimate: Estimate;
    costs: CostItem[];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function topThree(costs: CostItem[]): CostItem[] {
    return [...costs]
        .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
        .slice(0, 3)
        .map((c) => ({ ...c, monthlyUsd: round(c.monthlyUsd, 2) }));
}

function money(monthly: number): Pick<Estimate, "monthlyUsd" | "dailyUsd"> {
    return { monthlyUsd: round(monthly, 2), dailyUsd: round((monthly / HOURS_PER_MONTH) * 24, 2) };
}

function costsOf(resources: PlannedResource[], unknownTypes: Set<string>, unknownPrices: Set<string>, usage: Set<string>): CostItem[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ctx: PricingContext = {
        dependenciesOf: (r) => r.dependencies.map((urn) => byUrn.get(urn)).filter((d): d is PlannedResource => d !== undefined),
        unknownPrice: (what) => unknownPrices.add(what),
    };
    const costs: CostItem[] = [];
    for (const r of resources) {
        const rule = priceRuleOf(r.type);
        if (!rule) {
            unknownTypes.add(r.type);
        } else if (rule.kind === "usage") {
            usage.add(rule.what);
        } else if (rule.kind === "fixed") {
            costs.push(...rule.lines(r, ctx).map((line: CostLine) => ({ urn: r.urn, ...line })));
            const note = typeof rule.usage === "function" ? rule.usage(r) : rule.usage;
            if (note) usage.add(note);
        }
    }
    return costs;
}

function detailedStack(stack: PlannedStack): Detailed {
    const unknownTypes = new Set<string>();
    const unknownPrices = new Set<string>();
    const usage = new Set<string>();
    const timing = (r: PlannedResource) => {
        const t = timingOf(r);
        if (!t) unknownTypes.add(r.type);
        return t;
    };
    const up = longestPath(createTasks(stack.resources, (r) => timing(r)?.createMinutes ?? 0));
    // A retained resource is only forgotten by `pulumi destroy`: no delete call, no wait.
    const down = longestPath(deleteTasks(stack.resources, (r) => (r.retainOnDelete ? 0 : (timing(r)?.deleteMinutes ?? 0))));
    const costs = costsOf(stack.resources, unknownTypes, unknownPrices, usage);

    const notes: string[] = [];
    const protectedCount = stack.resources.filter((r) => r.protect).length;
    if (protectedCount > 0)
        notes.push(`${protectedCount} protected resources: destroy fails until protection is lifted (teardown assumes it is)`);
    const retained = stack.resources.filter((r) => r.retainOnDelete).length;
    if (retained > 0) notes.push(`${retained} resources are retained on delete and keep costing after teardown`);
    const cycles = [...up.cycles, ...down.cycles];
    if (cycles.length > 0) notes.push(`dependency cycle broken at ${sorted(cycles).join(", ")}`);

    return {
        costs,
        estimate: {
            resources: stack.resources.length,
            spinUpMinutes: round(up.minutes, 1),
            teardownMinutes: round(down.minutes, 1),
            ...money(costs.reduce((sum, c) => sum + c.monthlyUsd, 0)),
            criticalPath: up.path,
            teardownPath: down.path,
            topCosts: topThree(costs),
            unpricedUsageBased: sorted(usage),
            unknownTypes: sorted(unknownTypes),
            unknownPrices: sorted(unknownPrices),
            notes,
        },
    };
}

/** A stack's fixed monthly cost lines, each with the resource that causes it (what a change review compares). */
export function costItems(stack: PlannedStack): CostItem[] {
    return costsOf(stack.resources, new Set(), new Set(), new Set());
}

/** Time and fixed-cost estimate of one stack. */
export function estimateStack(stack: PlannedStack): StackEstimate {
    return { project: stack.project, stack: stack.stack, shared: false, ...detailedStack(stack).estimate };
}

const stackKey = (s: Pick<PlannedStack, "project" | "stack">) => `${s.project}/${s.stack}`;

/** Own stacks each stack references (through `pulumi:pulumi:StackReference` names `<org>/<project>/<stack>`). */
function referencedStacks(stack: PlannedStack, own: PlannedStack[]): string[] {
    const names = stack.resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => String(r.inputs.name ?? ""));
    return own.filter((o) => o !== stack && names.some((n) => n.endsWith(`/${stackKey(o)}`))).map(stackKey);
}

function ownStacks(doc: PlanDocument): PlannedStack[] {
    const own = doc.stacks.filter((s) => s.stack === doc.env);
    return own.length > 0 ? own : doc.stacks;
}

/** Stack-level tasks: along references when they are resolvable, else in plan (chain) order. */
function stackTasks(own: PlannedStack[], minutes: (s: PlannedStack) => number, reverse: boolean): Task[] {
    const refs = new Map(own.map((s) => [stackKey(s), referencedStacks(s, own)]));
    const anyRefs = [...refs.values()].some((r) => r.length > 0);
    const upstream = (s: PlannedStack, i: number) => (anyRefs ? refs.get(stackKey(s))! : i > 0 ? [stackKey(own[i - 1])] : []);
    const downstream = (s: PlannedStack) => own.filter((o, j) => upstream(o, j).includes(stackKey(s))).map(stackKey);
    return own.map((s, i) => ({ id: stackKey(s), minutes: minutes(s), after: reverse ? downstream(s) : upstream(s, i) }));
}

/** Estimates for every stack of a plan and for the environment (its own stacks, see the module comment). */
export function estimatePlan(doc: Omit<PlanDocument, "estimates">): PlanEstimates {
    const own = ownStacks(doc);
    const detailed = new Map(doc.stacks.map((s) => [stackKey(s), detailedStack(s)]));
    const of = (s: PlannedStack) => detailed.get(stackKey(s))!.estimate;

    const up = longestPath(stackTasks(own, (s) => of(s).spinUpMinutes, false));
    const down = longestPath(stackTasks(own, (s) => of(s).teardownMinutes, true));
    const ownEstimates = own.map(of);
    const costs = own.flatMap((s) => detailed.get(stackKey(s))!.costs);
    const union = (pick: (e: Estimate) => string[]) => sorted(ownEstimates.flatMap(pick));

    return {
        env: doc.env,
        counted: own.map(stackKey),
        environment: {
            resources: ownEstimates.reduce((sum, e) => sum + e.resources, 0),
            spinUpMinutes: round(up.minutes, 1),
            teardownMinutes: round(down.minutes, 1),
            ...money(costs.reduce((sum, c) => sum + c.monthlyUsd, 0)),
            criticalPath: up.path.flatMap((key) => detailed.get(key)!.estimate.criticalPath),
            teardownPath: down.path.flatMap((key) => detailed.get(key)!.estimate.teardownPath),
            topCosts: topThree(costs),
            unpricedUsageBased: union((e) => e.unpricedUsageBased),
            unknownTypes: union((e) => e.unknownTypes),
            unknownPrices: union((e) => e.unknownPrices),
            notes: own.flatMap((s) => of(s).notes.map((n) => `${stackKey(s)}: ${n}`)),
        },
        stacks: doc.stacks.map((s) => ({ project: s.project, stack: s.stack, shared: !own.includes(s), ...of(s) })),
        capacity: estimateCapacity(doc.stacks),
    };
}

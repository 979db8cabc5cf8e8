import { FULL_ENVIRONMENTS } from "../../lib/environments";
import { PlanDocument, PlannedStack, Violation } from "../../plan-model/types";
import { costItems } from "../../plan-model/estimates";
import { EnvironmentPlans } from "../plan/plan";
import { Danger, dangersOf } from "./danger";
import { diffStack, ResourceChange, StackDiff } from "./diff";

/** `--env all`: every environment, the PR environments represented by one (they share one template). */
export const ALL_ENVIRONMENTS = [...FULL_ENVIRONMENTS, "pr-42"];

export interface Counts {
    add: number;
    remove: number;
    change: number;
}

/** Flows as the plan's `flows` carries them (when the plan has them). */
interface Flow {
    id: string;
    result: string;
    subject?: string;
    action?: string;
    target?: string;
}

export interface StackReview extends StackDiff {
    /** The environments whose plans include this stack. */
    envs: string[];
    counts: Counts;
    policy: { introduced: Violation[]; fixed: Violation[] };
}

export interface EstimateSide {
    monthlyUsd: number;
    dailyUsd: number;
    spinUpMinutes: number;
}

export interface EnvironmentReview {
    env: string;
    stacks: string[];
    counts: Counts;
    estimate?: { before: EstimateSide; after: EstimateSide; causes: { urn: string; item: string; monthlyUsdDelta: number }[] };
    /** Null when the plans carry no flows. */
    flows: { introducedFailing: Flow[]; fixed: Flow[] } | null;
}

export interface ChangeReview {
    base: { ref: string; commit: string; sameEngine: boolean };
    envs: string[];
    dangers: Danger[];
    environments: EnvironmentReview[];
    stacks: StackReview[];
    summary: Counts & { dangers: number; mandatoryIntroduced: number; failingFlowsIntroduced: number };
}

const stackKey = (s: Pick<PlannedStack, "project" | "stack">) => `${s.project}/${s.stack}`;
const violationKey = (v: Violation) => `${v.policy}\0${v.urn}\0${v.message}`;

/**
 * Violations introduced and fixed. On a remove/add pair that looks like a rename, the same
 * violation carries the old URN (and name, in its message) on one side and the new on the other:
 * it matches by policy on the renamed resource, so a rename neither introduces nor fixes it.
 */
function policyDelta(before: Violation[], after: Violation[], changes: ResourceChange[]): StackReview["policy"] {
    const renamedTo = new Map<string, string>();
    for (const { rename } of changes) {
        if (rename !== undefined) {
            renamedTo.set(rename.from, rename.to);
            renamedTo.set(rename.to, rename.to);
        }
    }
    const key = (v: Violation) => {
        const renamed = v.urn === null ? undefined : renamedTo.get(v.urn);
        return renamed === undefined ? violationKey(v) : `${v.policy}\0${renamed}`;
    };
    return { introduced: difference(after, before, key), fixed: difference(before, after, key) };
}

function count(changes: ResourceChange[]): Counts {
    return {
        add: changes.filter((c) => c.kind === "add").length,
        remove: changes.filter((c) => c.kind === "remove").length,
        change: changes.filter((c) => c.kind === "change").length,
    };
}

function difference<T>(from: T[], without: T[], key: (item: T) => string): T[] {
    const known = new Set(without.map(key));
    return from.filter((item) => !known.has(key(item)));
}

function estimateSide(doc: PlanDocument): EstimateSide | undefined {
    const e = doc.estimates?.environment;
    return e ? { monthlyUsd: e.monthlyUsd, dailyUsd: e.dailyUsd, spinUpMinutes: e.spinUpMinutes } : undefined;
}

/** Monthly cost by resource over the stacks an environment's estimate counts. */
function costsByResource(doc: PlanDocument): Map<string, { item: string; monthlyUsd: number }> {
    const counted = new Set(doc.estimates?.counted ?? doc.stacks.map(stackKey));
    const costs = new Map<string, { item: string; monthlyUsd: number }>();
    for (const stack of doc.stacks.filter((s) => counted.has(stackKey(s)))) {
        for (const c of costItems(stack)) {
            const urn = c.urn ?? c.item;
            const previous = costs.get(urn);
            costs.set(urn, {
                item: previous ? `${previous.item}, ${c.item}` : c.item,
                monthlyUsd: (previous?.monthlyUsd ?? 0) + c.monthlyUsd,
            });
        }
    }
    return costs;
}

function estimateDelta(base: PlanDocument, head: PlanDocument): EnvironmentReview["estimate"] {
    const before = estimateSide(base);
    const after = estimateSide(head);
    if (!before || !after) {
        return undefined;
    }
    const a = costsByResource(base);
    const b = costsByResource(head);
    const causes = [...new Set([...a.keys(), ...b.keys()])]
        .map((urn) => ({
            urn,
            item: (b.get(urn) ?? a.get(urn))!.item,
            monthlyUsdDelta: Math.round(((b.get(urn)?.monthlyUsd ?? 0) - (a.get(urn)?.monthlyUsd ?? 0)) * 100) / 100,
        }))
        .filter((c) => c.monthlyUsdDelta !== 0)
        .sort((x, y) => Math.abs(y.monthlyUsdDelta) - Math.abs(x.monthlyUsdDelta))
        .slice(0, 5);
    return { before, after, causes };
}

function flowsOf(doc: PlanDocument): Flow[] | undefined {
    return (doc as PlanDocument & { flows?: Flow[] }).flows;
}

function flowsDelta(base: PlanDocument, head: PlanDocument): EnvironmentReview["flows"] {
    const before = flowsOf(base);
    const after = flowsOf(head);
    if (before === undefined && after === undefined) {
        return null;
    }
    const failing = (flows: Flow[] | undefined) => (flows ?? []).filter((f) => f.result === "failing");
    return {
        introducedFailing: difference(failing(after), failing(before), (f) => f.id),
        fixed: difference(failing(before), failing(after), (f) => f.id),
    };
}

/** What the working tree changes against the base, per environment and stack. */
export function reviewChange(
    base: { ref: string; commit: string; sameEngine: boolean; plans: EnvironmentPlans },
    head: EnvironmentPlans,
): ChangeReview {
    const stacks = new Map<string, StackReview>();
    const dangers: Danger[] = [];
    const environments: EnvironmentReview[] = [];
    head.docs.forEach((headDoc, i) => {
        const baseDoc = base.plans.docs[i];
        const keys = [...new Set([...baseDoc.stacks.map(stackKey), ...headDoc.stacks.map(stackKey)])];
        for (const key of keys) {
            const existing = stacks.get(key);
            if (existing) {
                existing.envs.push(headDoc.env);
                continue;
            }
            const before = baseDoc.stacks.find((s) => stackKey(s) === key);
            const after = headDoc.stacks.find((s) => stackKey(s) === key);
            const diff = diffStack(before, after, { base: base.plans.secretFingerprints.get(key), head: head.secretFingerprints.get(key) });
            stacks.set(key, {
                ...diff,
                envs: [headDoc.env],
                counts: count(diff.changes),
                policy: policyDelta(before?.violations ?? [], after?.violations ?? [], diff.changes),
            });
            dangers.push(...dangersOf(diff, before, after));
        }
        const changes = keys.flatMap((key) => stacks.get(key)!.changes);
        environments.push({
            env: headDoc.env,
            stacks: keys,
            counts: count(changes),
            estimate: estimateDelta(baseDoc, headDoc),
            flows: flowsDelta(baseDoc, headDoc),
        });
    });
    const all = [...stacks.values()];
    const changes = all.flatMap((s) => s.changes);
    const failingFlows = new Set(environments.flatMap((e) => e.flows?.introducedFailing ?? []).map((f) => f.id));
    return {
        base: { ref: base.ref, commit: base.commit, sameEngine: base.sameEngine },
        envs: head.docs.map((d) => d.env),
        dangers,
        environments,
        stacks: all,
        summary: {
            ...count(changes),
            dangers: dangers.length,
            mandatoryIntroduced: all.flatMap((s) => s.policy.introduced).filter((v) => v.enforcementLevel === "mandatory").length,
            failingFlowsIntroduced: failingFlows.size,
        },
    };
}

/** 0 nothing blocks, 1 a mandatory violation or failing flow introduced (or any danger, when asked). */
export function reviewExitCode(review: ChangeReview, failOnDanger: boolean): number {
    const blocked =
        review.summary.mandatoryIntroduced > 0 || review.summary.failingFlowsIntroduced > 0 || (failOnDanger && review.dangers.length > 0);
    return blocked ? 1 : 0;
}

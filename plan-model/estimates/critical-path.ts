/**
 * Critical path through a plan's dependency graph: how long `pulumi up` (or `pulumi destroy`) with
 * unbounded parallelism waits, and which resources it waits for.
 *
 * The model of what the engine waits for (Node SDK + engine semantics):
 * - A resource's create starts when everything it depends on has been created: its `dependencies`
 *   (explicit dependsOn + consumed outputs) and its provider (an explicit provider is a resource
 *   whose own inputs, e.g. a kubeconfig, may come from a cluster).
 * - A custom resource's URN resolves only after its create returns, so a child of a custom parent
 *   starts after the parent finishes. A component registers at once: its children start when it
 *   starts, and depending on a component means waiting for everything inside it, so a component
 *   finishes when its last child finishes. Depending on one's own ancestor component only waits for
 *   that ancestor's start (it cannot wait for itself).
 * - Delete runs the graph backwards: a resource is deleted after every resource that depends on it,
 *   uses it as provider, or is its child has been deleted.
 * `pulumi up --parallel` "defaults to unbounded" (https://www.pulumi.com/docs/iac/cli/commands/pulumi_up/),
 * so the longest path is the wall-clock estimate.
 */
import { PlannedResource } from "../types";

export interface Task {
    id: string;
    minutes: number;
    /** Must have finished before this task starts. */
    after: string[];
    /** Must have started before this task starts (children of a component wait for its registration). */
    afterStartOf?: string[];
    /** This task finishes only when these have finished (a component and its children). */
    contains?: string[];
}

export interface PathResult {
    minutes: number;
    /** Ids on the critical path in execution order, zero-minute tasks left out. */
    path: string[];
    /** Dependency cycles broken while computing (should never happen for a valid plan). */
    cycles: string[];
}

type Cause = { kind: "finish" | "start"; id: string } | undefined;

/** Longest path (earliest finish of everything) through a task graph; edges to unknown ids are ignored. */
export function longestPath(tasks: Task[]): PathResult {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const start = new Map<string, number>();
    const finish = new Map<string, number>();
    const startCause = new Map<string, Cause>();
    const finishCause = new Map<string, string | undefined>(); // a child whose finish ended this task, if any
    const inProgress = new Set<string>();
    const cycles: string[] = [];

    function guard(key: string, compute: () => number): number | undefined {
        if (inProgress.has(key)) {
            cycles.push(key);
            return undefined;
        }
        inProgress.add(key);
        try {
            return compute();
        } finally {
            inProgress.delete(key);
        }
    }

    function startOf(id: string): number {
        const known = start.get(id);
        if (known !== undefined) return known;
        const task = byId.get(id)!;
        const value = guard(`start:${id}`, () => {
            let best = 0;
            let cause: Cause;
            for (const dep of task.after) {
                if (!byId.has(dep) || dep === id) continue;
                const f = finishOf(dep);
                if (f !== undefined && f > best) [best, cause] = [f, { kind: "finish", id: dep }];
            }
            for (const dep of task.afterStartOf ?? []) {
                if (!byId.has(dep) || dep === id) continue;
                const s = startOf(dep);
                if (s > best) [best, cause] = [s, { kind: "start", id: dep }];
            }
            startCause.set(id, cause);
            return best;
        });
        start.set(id, value ?? 0);
        return value ?? 0;
    }

    function finishOf(id: string): number | undefined {
        const known = finish.get(id);
        if (known !== undefined) return known;
        const task = byId.get(id)!;
        const value = guard(`finish:${id}`, () => {
            let best = startOf(id) + task.minutes;
            let cause: string | undefined;
            for (const child of task.contains ?? []) {
                if (!byId.has(child) || child === id) continue;
                const f = finishOf(child);
                if (f !== undefined && f > best) [best, cause] = [f, child];
            }
            finishCause.set(id, cause);
            return best;
        });
        if (value !== undefined) finish.set(id, value);
        return value;
    }

    let end: string | undefined;
    let minutes = 0;
    for (const task of tasks) {
        const f = finishOf(task.id) ?? 0;
        if (end === undefined || f > minutes) [minutes, end] = [f, task.id];
    }

    // Walk back from the task that ends last; a component's finish leads to the child that ended it.
    const reversed: string[] = [];
    const seen = new Set<string>();
    let cursor: Cause = end === undefined ? undefined : { kind: "finish", id: end };
    while (cursor && !seen.has(`${cursor.kind}:${cursor.id}`)) {
        seen.add(`${cursor.kind}:${cursor.id}`);
        const { id } = cursor;
        if (cursor.kind === "finish") {
            const child = finishCause.get(id);
            if (child !== undefined) {
                cursor = { kind: "finish", id: child };
                continue;
            }
            if (byId.get(id)!.minutes > 0) reversed.push(id);
        }
        cursor = startCause.get(id);
    }
    return { minutes, path: reversed.reverse(), cycles };
}

/** A provider reference may carry the provider's id after its URN (`<urn>::<id>`). */
function providerUrn(ref: string | null, urns: Set<string>): string | undefined {
    if (!ref) return undefined;
    if (urns.has(ref)) return ref;
    const cut = ref.lastIndexOf("::");
    const urn = cut > 0 ? ref.slice(0, cut) : ref;
    return urns.has(urn) ? urn : undefined;
}

function childrenByParent(resources: PlannedResource[], byUrn: Map<string, PlannedResource>): Map<string, string[]> {
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent && byUrn.has(r.parent)) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
    return children;
}

function ancestorsOf(r: PlannedResource, byUrn: Map<string, PlannedResource>): Set<string> {
    const ancestors = new Set<string>();
    for (let p = r.parent; p && byUrn.has(p) && !ancestors.has(p); p = byUrn.get(p)!.parent) ancestors.add(p);
    return ancestors;
}

/** The create graph of one stack. `minutesOf` gives each resource's create time. */
export function createTasks(resources: PlannedResource[], minutesOf: (r: PlannedResource) => number): Task[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const urns = new Set(byUrn.keys());
    const children = childrenByParent(resources, byUrn);

    return resources.map((r) => {
        const ancestors = ancestorsOf(r, byUrn);
        const after: string[] = [];
        const afterStartOf: string[] = [];
        for (const dep of r.dependencies) {
            const target = byUrn.get(dep);
            if (!target) continue;
            (ancestors.has(dep) && !target.custom ? afterStartOf : after).push(dep);
        }
        const provider = providerUrn(r.provider, urns);
        if (provider) after.push(provider);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) (parent.custom ? after : afterStartOf).push(parent.urn);
        return { id: r.urn, minutes: minutesOf(r), after, afterStartOf, contains: r.custom ? [] : (children.get(r.urn) ?? []) };
    });
}

/**
 * The delete graph of one stack: each resource waits for its dependents, provider users and children.
 * Depending on a component means depending on everything inside it (as the SDK records it in state).
 */
export function deleteTasks(resources: PlannedResource[], minutesOf: (r: PlannedResource) => number): Task[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const urns = new Set(byUrn.keys());
    const children = childrenByParent(resources, byUrn);
    const withDescendants = (urn: string): string[] => {
        const out: string[] = [];
        const stack = [urn];
        while (stack.length > 0) {
            const next = stack.pop()!;
            if (out.includes(next)) continue;
            out.push(next);
            if (byUrn.get(next)?.custom === false) stack.push(...(children.get(next) ?? []));
        }
        return out;
    };

    const waitsFor = new Map<string, Set<string>>(resources.map((r) => [r.urn, new Set<string>()]));
    for (const r of resources) {
        const ancestors = ancestorsOf(r, byUrn);
        const blocks = [
            ...r.dependencies.filter((d) => !ancestors.has(d)).flatMap(withDescendants),
            providerUrn(r.provider, urns),
            r.parent ?? undefined,
        ];
        for (const target of blocks) if (target && target !== r.urn && waitsFor.has(target)) waitsFor.get(target)!.add(r.urn);
    }
    return resources.map((r) => ({ id: r.urn, minutes: minutesOf(r), after: [...waitsFor.get(r.urn)!] }));
}

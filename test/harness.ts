import * as path from "path";
import type { Diagnostic } from "../automation/engine/diagnostics";
import { synthesize as synthesizeProgram } from "../automation/engine/synthesize";
import { PlanDocument, PlannedResource, PlannedStack } from "../plan-model/types";
import { environmentChain, Layer, StackTarget } from "../lib/environments";
import { REPO_ROOT } from "../lib/repository";
import { planDocument, planned, StackRegistry, synthesizeStack } from "../automation/plan/plan";

/**
 * What a synthesis registered, with queries that let tests read as statements about the
 * infrastructure ("the queue's redrive policy names the DLQ").
 */
export class Inventory {
    constructor(
        readonly resources: PlannedResource[],
        readonly outputs: Record<string, unknown>,
        /** What the program logged (warnings for the person running it). */
        readonly diagnostics: Diagnostic[] = [],
    ) {}

    static of(stack: PlannedStack): Inventory {
        return new Inventory(stack.resources, stack.outputs);
    }

    ofType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    one(type: string, name?: string): PlannedResource {
        const matches = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (matches.length !== 1) {
            const candidates = this.ofType(type).map((r) => r.name);
            throw new Error(
                `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}; ${type} names: [${candidates.join(", ")}]`,
            );
        }
        return matches[0];
    }

    named(name: string): PlannedResource {
        const matches = this.resources.filter((r) => r.name === name);
        if (matches.length !== 1) {
            throw new Error(
                `expected exactly one resource named ${name}, found ${matches.length}: [${matches.map((r) => r.type).join(", ")}]`,
            );
        }
        return matches[0];
    }

    byUrn(urn: string): PlannedResource {
        const match = this.resources.find((r) => r.urn === urn);
        if (!match) {
            throw new Error(`no resource with URN ${urn}`);
        }
        return match;
    }

    childrenOf(parent: PlannedResource | string): PlannedResource[] {
        const urn = typeof parent === "string" ? parent : parent.urn;
        return this.resources.filter((r) => r.parent === urn);
    }

    descendantsOf(parent: PlannedResource | string): PlannedResource[] {
        return this.childrenOf(parent).flatMap((child) => [child, ...this.descendantsOf(child)]);
    }

    dependenciesOf(resource: PlannedResource): PlannedResource[] {
        return resource.dependencies.map((urn) => this.byUrn(urn));
    }

    input<T = unknown>(resource: PlannedResource, propertyPath: string): T {
        return readPath(resource.inputs, propertyPath) as T;
    }
}

/** `a.b[0].c` into nested objects and arrays; undefined where the path leaves the value. */
export function readPath(value: unknown, propertyPath: string): unknown {
    const steps = propertyPath.match(/[^.[\]]+/g) ?? [];
    return steps.reduce<unknown>(
        (current, step) => (current === null || current === undefined ? undefined : (current as Record<string, unknown>)[step]),
        value,
    );
}

export interface SynthesizeOptions {
    project: string;
    stack: string;
    /** Full keys, e.g. `{ "platform:vpcCidr": "10.30.0.0/16" }`; objects are passed as JSON like the CLI does. */
    config?: Record<string, unknown>;
    secretKeys?: string[];
    /** `<org>/<project>/<stack>` to that stack's outputs, for StackReferences. */
    stackOutputs?: Record<string, Record<string, unknown>>;
}

/** Runs `program` (e.g. `() => new Network(...)`) in a fresh, isolated mock runtime. */
export async function synthesize(program: () => unknown, options: SynthesizeOptions): Promise<Inventory> {
    const registry = new StackRegistry(options.stackOutputs);
    const config = Object.fromEntries(
        Object.entries(options.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    const diagnostics: Diagnostic[] = [];
    const result = await synthesizeProgram({
        project: options.project,
        stack: options.stack,
        program,
        config,
        secretKeys: options.secretKeys,
        resolveStackReference: (name) => registry.get(name),
        onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    return new Inventory(result.resources, result.outputs, diagnostics);
}

type StackResult = Awaited<ReturnType<typeof synthesizeStack>>;

/**
 * Each stack of the estate synthesized at most once per test process, as its stack file says:
 * every stack has one chain, so the result is the same whichever environment asked for it first.
 */
const stackResults = new Map<string, Promise<StackResult>>();
const plannedStacks = new WeakMap<StackResult, PlannedStack>();

function registryOf(results: readonly StackResult[]): StackRegistry {
    const registry = new StackRegistry();
    for (const result of results) {
        registry.add(`${result.organization}/${result.project}/${result.stack}`, result.referenceableOutputs);
    }
    return registry;
}

/** The chain's stacks in order, each synthesized once with its references answered by the stacks before it. */
async function chainResults(chain: readonly StackTarget[]): Promise<StackResult[]> {
    const results: StackResult[] = [];
    for (const target of chain) {
        const key = `${target.project}/${target.stack}`;
        let cached = stackResults.get(key);
        if (!cached) {
            cached = synthesizeStack(path.join(REPO_ROOT, target.directory ?? target.project), target.stack, {
                stackFile: target.stackFile,
                registry: registryOf(results),
            });
            stackResults.set(key, cached);
        }
        results.push(await cached);
    }
    return results;
}

function chainFor(layer: Layer, stack: string): StackTarget[] {
    if (layer === "foundation") {
        return [{ project: "foundation", stack }];
    }
    if (layer === "platform") {
        // The bootstrap stack answers no reference of a layer: only mgmt's plan holds it (for its flows).
        const upstream = environmentChain("mgmt").filter((t) => t.project !== "bootstrap");
        return stack === "mgmt" ? upstream : [...upstream, { project: "platform", stack }];
    }
    return environmentChain(stack);
}

/**
 * Runs `<layer>/index.ts` with its stack file (plus `overrides`), its stack references answered
 * by the upstream stacks (synthesized once per process).
 */
export async function synthesizeLayer(layer: Layer, stack: string, overrides: Record<string, unknown> = {}): Promise<Inventory> {
    const chain = chainFor(layer, stack);
    const target = chain[chain.length - 1];
    const registry = registryOf(await chainResults(chain.slice(0, -1)));
    const result = await synthesizeStack(path.join(REPO_ROOT, layer), stack, { stackFile: target.stackFile, config: overrides, registry });
    return new Inventory(result.resources, result.outputs);
}

const planCache = new Map<string, Promise<PlanDocument>>();

/** The whole environment's plan, as `npm run plan -- --env <env> --json` prints it (memoized per process). */
export function planOf(env: string): Promise<PlanDocument> {
    let cached = planCache.get(env);
    if (!cached) {
        cached = chainResults(environmentChain(env)).then((results) =>
            planDocument(
                env,
                results.map((result) => {
                    const stack = plannedStacks.get(result) ?? planned(result);
                    plannedStacks.set(result, stack);
                    return stack;
                }),
            ),
        );
        planCache.set(env, cached);
    }
    return cached;
}

/** One stack of a plan as an Inventory. */
export function stackOf(plan: PlanDocument, project: string, stack: string): Inventory {
    const found = plan.stacks.find((s) => s.project === project && s.stack === stack);
    if (!found) {
        throw new Error(
            `plan ${plan.env} has no stack ${project}/${stack}; it has ${plan.stacks.map((s) => `${s.project}/${s.stack}`).join(", ")}`,
        );
    }
    return Inventory.of(found);
}

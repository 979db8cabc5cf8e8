import * as path from "path";
import { evaluateStack } from "../../policy-pack/offline";
import { estimatePlan } from "../../plan-model/estimates";
import { evaluateFlows, summarizeFlows } from "../flows";
import { loadProject, loadStackConfig, requireProgram, stackFilePath } from "../engine/project";
import type { Diagnostic } from "../engine/diagnostics";
import type { StackOutputs } from "../engine/stack-references";
import { synthesize, SynthesisResult } from "../engine/synthesize";
import { PlanDocument, PlannedStack } from "../../plan-model/types";
import { environmentChain, type StackTarget } from "../../lib/environments";
import { REPO_ROOT } from "../../lib/repository";

/** The organization segment of stack names when a stack's config sets no `stackOrg`. */
export const DEFAULT_STACK_ORG = "organization";

/** Outputs of the stacks synthesized so far in one plan, by full stack name `<org>/<project>/<stack>`. */
export class StackRegistry {
    private readonly stacks = new Map<string, StackOutputs>();

    constructor(fixtures: Record<string, Record<string, unknown>> = {}) {
        for (const [name, values] of Object.entries(fixtures)) {
            this.stacks.set(name, { values, secretNames: [] });
        }
    }

    add(name: string, outputs: StackOutputs): void {
        this.stacks.set(name, outputs);
    }

    get(name: string): StackOutputs | undefined {
        return this.stacks.get(name);
    }

    copy(): StackRegistry {
        const copy = new StackRegistry();
        for (const [name, outputs] of this.stacks) {
            copy.add(name, outputs);
        }
        return copy;
    }
}

export interface StackSynthesisOptions {
    /** Config values (full or project-relative keys) laid over the stack file. */
    config?: Record<string, unknown>;
    /** A stack file other than `Pulumi.<stack>.yaml`, relative to the project directory. */
    stackFile?: string;
    registry?: StackRegistry;
    /** Receives what the program logs; without it, it goes to stderr. */
    onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** Synthesizes one Pulumi program with its stack file, answering stack references from the registry. */
export async function synthesizeStack(
    projectDir: string,
    stack: string,
    options: StackSynthesisOptions = {},
): Promise<SynthesisResult & { organization: string }> {
    const project = loadProject(projectDir);
    const file = options.stackFile ? path.join(project.dir, options.stackFile) : stackFilePath(project, stack);
    const config = loadStackConfig(project, stack, options.config, file);
    const organization = config.values[`${project.name}:stackOrg`] ?? DEFAULT_STACK_ORG;
    const registry = options.registry ?? new StackRegistry();
    const result = await synthesize({
        project: project.name,
        stack,
        organization,
        program: () => requireProgram(project.entry),
        config: config.values,
        secretKeys: config.secretKeys,
        resolveStackReference: (name) => registry.get(name),
        onDiagnostic: options.onDiagnostic,
        configSource: path.relative(process.cwd(), file) || file,
    });
    registry.add(`${organization}/${project.name}/${stack}`, result.referenceableOutputs);
    return { ...result, organization };
}

/** A synthesized stack in the plan's shape, before any policy pack has read it. */
export function unevaluated(result: SynthesisResult): PlannedStack {
    return { project: result.project, stack: result.stack, resources: result.resources, outputs: result.outputs, violations: [] };
}

/** A synthesized stack with the policy pack evaluated on it. */
export function planned(result: SynthesisResult): PlannedStack {
    const stack = unevaluated(result);
    stack.violations = evaluateStack(stack);
    return stack;
}

export function planDocument(env: string, stacks: PlannedStack[]): PlanDocument {
    const violations = stacks.flatMap((s) => s.violations);
    const flows = evaluateFlows({ env, stacks });
    const doc: Omit<PlanDocument, "estimates"> = {
        env,
        stacks,
        summary: {
            stacks: stacks.length,
            resources: stacks.reduce((sum, s) => sum + s.resources.length, 0),
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
            flows: summarizeFlows(flows),
        },
    };
    return { ...doc, estimates: estimatePlan(doc), flows };
}

export interface EnvironmentPlanOptions {
    /** Config overrides by `<project>/<stack>`, e.g. `{ "workloads/pr-7": { "workloads:imageTag": "abc123" } }`. */
    configOverrides?: Record<string, Record<string, unknown>>;
}

/** Synthesizes every stack an environment needs, in order, and evaluates the policy pack on each. */
export async function planEnvironment(env: string, options: EnvironmentPlanOptions = {}): Promise<PlanDocument> {
    const registry = new StackRegistry();
    const stacks: PlannedStack[] = [];
    for (const target of environmentChain(env)) {
        const result = await synthesizeStack(path.join(REPO_ROOT, target.directory ?? target.project), target.stack, {
            stackFile: target.stackFile,
            config: options.configOverrides?.[`${target.project}/${target.stack}`],
            registry,
        });
        stacks.push(planned(result));
    }
    return planDocument(env, stacks);
}

/** Plans of several environments of one checkout, each stack synthesized once however many environments share it. */
export interface EnvironmentPlans {
    docs: PlanDocument[];
    /** Secret fingerprints by `<project>/<stack>` (see SynthesisResult.secretFingerprints). */
    secretFingerprints: Map<string, SynthesisResult["secretFingerprints"]>;
}

/**
 * Plans `envs` from the checkout at `root` (default: this one) with this engine and policy pack.
 * Another checkout's programs load its own sources and, through a node_modules link, these SDKs.
 */
export async function planEnvironments(
    envs: string[],
    root = REPO_ROOT,
    chainOf: (env: string) => StackTarget[] = environmentChain,
): Promise<EnvironmentPlans> {
    const registry = new StackRegistry();
    const stacks = new Map<string, PlannedStack>();
    const secretFingerprints = new Map<string, SynthesisResult["secretFingerprints"]>();
    const docs: PlanDocument[] = [];
    for (const env of envs) {
        const chain: PlannedStack[] = [];
        for (const target of chainOf(env)) {
            const key = `${target.project}/${target.stack}`;
            if (!stacks.has(key)) {
                const result = await synthesizeStack(path.join(root, target.directory ?? target.project), target.stack, {
                    stackFile: target.stackFile,
                    registry,
                });
                stacks.set(key, planned(result));
                secretFingerprints.set(key, result.secretFingerprints);
            }
            chain.push(stacks.get(key)!);
        }
        docs.push(planDocument(env, chain));
    }
    return { docs, secretFingerprints };
}

export interface ProgramPlanOptions {
    config?: Record<string, unknown>;
    /** Outputs for the program's stack references, by full stack name. */
    stackOutputs?: Record<string, Record<string, unknown>>;
}

/** Plans any Pulumi TypeScript program with one of its stacks. */
export async function planProgram(dir: string, stack: string, options: ProgramPlanOptions = {}): Promise<PlanDocument> {
    const result = await synthesizeStack(dir, stack, { config: options.config, registry: new StackRegistry(options.stackOutputs) });
    return planDocument(stack, [planned(result)]);
}

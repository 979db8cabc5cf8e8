import { PlanDocument, PlannedResource } from "../../plan-model/types";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

/** A planned resource with the stack it belongs to. */
export interface EstateResource extends PlannedResource {
    stack: string;
}

/** Parses a JSON-string input (policies, kubeconfigs); other values pass through. */
export function parsed<T = unknown>(value: unknown): T {
    if (typeof value !== "string") {
        return value as T;
    }
    try {
        return JSON.parse(value) as T;
    } catch {
        return value as unknown as T;
    }
}

/**
 * Every resource of every stack in one plan, indexed the ways flows join them: by type, by
 * physical id and ARN, and the foundation's facts (accounts, organization) the checks need.
 */
export class Estate {
    readonly resources: EstateResource[] = [];
    private readonly byTypeIndex = new Map<string, EstateResource[]>();
    private readonly byIdIndex = new Map<string, EstateResource>();
    private readonly byArnIndex = new Map<string, EstateResource>();
    /** Foundation's outputs when the plan includes foundation/org. */
    readonly foundation: Record<string, any> | undefined;
    /** Per-flow-kind caches, cleared with the estate. */
    readonly cache = new Map<string, unknown>();

    constructor(readonly plan: PlanDocument) {
        for (const stack of plan.stacks) {
            const label = `${stack.project}/${stack.stack}`;
            for (const resource of stack.resources) {
                const entry = { ...resource, stack: label };
                this.resources.push(entry);
                const list = this.byTypeIndex.get(resource.type) ?? [];
                list.push(entry);
                this.byTypeIndex.set(resource.type, list);
                if (resource.id !== undefined) {
                    this.byIdIndex.set(resource.id, entry);
                }
                if (resource.arn !== undefined) {
                    this.byArnIndex.set(resource.arn, entry);
                }
            }
        }
        this.foundation = plan.stacks.find((s) => s.project === "foundation")?.outputs as Record<string, any> | undefined;
    }

    ofType(type: string): EstateResource[] {
        return this.byTypeIndex.get(type) ?? [];
    }

    byId(id: unknown): EstateResource | undefined {
        return typeof id === "string" ? this.byIdIndex.get(id) : undefined;
    }

    byArn(arn: unknown): EstateResource | undefined {
        return typeof arn === "string" ? this.byArnIndex.get(arn) : undefined;
    }

    stackOutputs(project: string, stack?: string): Record<string, any> | undefined {
        return this.plan.stacks.find((s) => s.project === project && (stack === undefined || s.stack === stack))?.outputs as
            Record<string, any> | undefined;
    }

    /** Account ids by name (management, security, test, preprod, prod) from foundation's outputs. */
    get accountIds(): Record<string, string> {
        return (this.foundation?.accountIds as Record<string, string> | undefined) ?? {};
    }

    get organizationId(): string | undefined {
        return this.foundation?.organizationId as string | undefined;
    }

    /** The stacks of the plan whose project is `project`. */
    stacks(project: string): string[] {
        return this.plan.stacks.filter((s) => s.project === project).map((s) => `${s.project}/${s.stack}`);
    }

    /** The tags AWS sees on a resource: its own over its provider's defaultTags (how the estate tags nearly everything). */
    tagsOf(resource: EstateResource): Record<string, string> {
        const provider = resource.provider ? this.resources.find((r) => r.urn === resource.provider) : undefined;
        const defaults = parsed<{ tags?: Record<string, string> } | undefined>(provider?.inputs.defaultTags)?.tags ?? {};
        return { ...defaults, ...((resource.inputs.tags as Record<string, string> | undefined) ?? {}) };
    }

    memo<T>(key: string, compute: () => T): T {
        if (!this.cache.has(key)) {
            this.cache.set(key, compute());
        }
        return this.cache.get(key) as T;
    }
}

/** Hand-made plan resources for the estimate tests. */
import { PlannedResource, PlannedStack } from "../../../plan-model/types";

export interface ResourceSpec {
    custom?: boolean;
    parent?: string;
    provider?: string;
    dependsOn?: string[];
    inputs?: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
}

/** A resource whose URN ends in `::<name>`; references to other resources are by name. */
export function resource(name: string, type: string, spec: ResourceSpec = {}, stack = "dev"): PlannedResource {
    const urn = (n: string) => `urn:pulumi:${stack}::proj::${n}`;
    return {
        urn: urn(name),
        type,
        name,
        custom: spec.custom ?? true,
        parent: spec.parent ? urn(spec.parent) : null,
        provider: spec.provider ? urn(spec.provider) : null,
        inputs: spec.inputs ?? {},
        protect: spec.protect ?? false,
        retainOnDelete: spec.retainOnDelete ?? false,
        dependencies: (spec.dependsOn ?? []).map(urn),
    };
}

export function stackOf(project: string, stack: string, resources: PlannedResource[]): PlannedStack {
    return { project, stack, resources, outputs: {}, violations: [] };
}

/** The logical names of URNs, for readable assertions. */
export const names = (urns: string[]) => urns.map((u) => u.slice(u.lastIndexOf("::") + 2));

import { expect } from "chai";
import { PlannedResource, PlannedStack, UNKNOWN_PLACEHOLDER, Violation } from "../../plan-model/types";
import { standardTags } from "../../lib/tags";
import { PackConfig } from "../../policy-pack/lib/settings";
import { evaluateStack } from "../../policy-pack/offline";
import { policyNamed } from "../../policy-pack/policies";

export const UNKNOWN = UNKNOWN_PLACEHOLDER;

export type ResourceClass = new (name: string, args: any, opts?: any) => unknown;

/** The type token a provider class registers with (a static the typings do not declare). */
export function typeToken(cls: ResourceClass): string {
    const token = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string") {
        throw new Error(`${cls.name} is not a Pulumi resource class`);
    }
    return token;
}

interface AddOptions {
    protect?: boolean;
    parent?: PlannedResource;
    /** null: no provider (the default provider); default: the stack's account provider. */
    provider?: PlannedResource | null;
    dependsOn?: PlannedResource[];
}

/** Builds a captured stack the way the offline engine records one, with an account provider carrying defaultTags. */
export class StackBuilder {
    readonly resources: PlannedResource[] = [];
    readonly provider: PlannedResource;

    constructor(
        readonly stack: string,
        readonly project = "workloads",
        providerInputs?: Record<string, unknown>,
    ) {
        const pullRequest = /^pr-(\d+)$/.exec(stack)?.[1];
        const tags = standardTags({
            environment: stack,
            layer: "workloads",
            owner: "payments-team",
            costCenter: "cc-100",
            pullRequest: pullRequest ? Number(pullRequest) : undefined,
        });
        this.provider = this.add("pulumi:providers:aws", `${stack}-aws`, providerInputs ?? { region: "us-east-1", defaultTags: { tags } }, {
            provider: null,
        });
    }

    urn(type: string, name: string, parent?: PlannedResource): string {
        const parentType = parent ? `${parent.urn.split("::")[2]}$` : "";
        return `urn:pulumi:${this.stack}::${this.project}::${parentType}${type}::${name}`;
    }

    add(type: string, name: string, inputs: Record<string, unknown> = {}, options: AddOptions = {}): PlannedResource {
        const provider = options.provider === undefined ? this.provider : options.provider;
        const resource: PlannedResource = {
            urn: this.urn(type, name, options.parent),
            type,
            name,
            custom: type.startsWith("pulumi:providers:") || type.includes("/"),
            parent: options.parent?.urn ?? null,
            provider: type.startsWith("pulumi:providers:") ? null : (provider?.urn ?? null),
            // As the plan JSON carries them: unset inputs are absent.
            inputs: JSON.parse(JSON.stringify(inputs)),
            protect: options.protect ?? false,
            retainOnDelete: false,
            dependencies: (options.dependsOn ?? []).map((d) => d.urn),
        };
        this.resources.push(resource);
        return resource;
    }

    /**
     * Adds a resource from its provider class with inputs typed by the class's own Args, so a
     * property name the provider does not have fails to compile (`b.resource(aws.lambda.Permission, ...)`).
     */
    resource<C extends ResourceClass>(
        cls: C,
        name: string,
        inputs: ConstructorParameters<C>[1],
        options: AddOptions = {},
    ): PlannedResource {
        return this.add(typeToken(cls), name, inputs as Record<string, unknown>, options);
    }

    build(): PlannedStack {
        return { project: this.project, stack: this.stack, resources: this.resources, outputs: {}, violations: [] };
    }
}

/** Violations of one policy over a stack. */
export function violationsOf(policy: string, stack: PlannedStack | StackBuilder, config?: PackConfig): Violation[] {
    const planned = stack instanceof StackBuilder ? stack.build() : stack;
    return evaluateStack(planned, { policies: [policyNamed(policy)], config });
}

export function expectCompliant(policy: string, stack: PlannedStack | StackBuilder, config?: PackConfig): void {
    const found = violationsOf(policy, stack, config);
    expect(found, JSON.stringify(found, null, 1)).to.deep.equal([]);
}

/** Asserts the policy reports exactly the given resources (by logical name), at its own level, mentioning `pattern`. */
export function expectViolation(
    policy: string,
    stack: PlannedStack | StackBuilder,
    names: string[],
    pattern: RegExp,
    config?: PackConfig,
): Violation[] {
    const planned = stack instanceof StackBuilder ? stack.build() : stack;
    const found = violationsOf(policy, planned, config);
    const blocking = found.filter((v) => !v.message.startsWith("cannot verify"));
    expect(blocking.map((v) => v.urn?.split("::").pop()).sort(), JSON.stringify(found, null, 1)).to.deep.equal([...names].sort());
    for (const v of blocking) {
        expect(v.message).to.match(pattern);
    }
    return blocking;
}

/** Asserts an unknown value yields an advisory "cannot verify until apply" and no blocking violation. */
export function expectCannotVerify(policy: string, stack: PlannedStack | StackBuilder, config?: PackConfig): void {
    const found = violationsOf(policy, stack, config);
    expect(found.length, JSON.stringify(found, null, 1)).to.be.greaterThan(0);
    for (const v of found) {
        expect(v.enforcementLevel).to.equal("advisory");
        expect(v.message).to.match(/^cannot verify until apply/);
    }
}

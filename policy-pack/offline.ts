import type {
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PlannedResource, PlannedStack, UNKNOWN_PLACEHOLDER, Violation } from "../plan-model/types";
import type { PolicyDefinition } from "./lib/definition";
import { toPolicyPackConfig } from "./lib/pack-config";
import type { PackConfig } from "./lib/settings";
import { CANNOT_VERIFY, UNKNOWN_SENTINEL, isUnknownValueError, unknownCheckingProxy } from "./lib/unknowns";
import { POLICIES } from "./policies";

export type { PackConfig } from "./lib/settings";

export interface EvaluateOptions {
    config?: PackConfig;
    /** The policies to run (default: the whole pack); tests narrow it to the policy under test. */
    policies?: readonly PolicyDefinition[];
    /** Called for every input path a policy reads (`a.b`, list indices left out): how tests hold policies to their declared reads. */
    observe?: (policy: string, type: string, path: string) => void;
}

type Observer = (type: string, path: string) => void;

/** Reports every property read (also by JSON.stringify or a descriptor lookup) with its dotted path. */
function recording(value: unknown, type: string, prefix: string, observer: Observer): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const pathOf = (key: string | symbol): string | undefined =>
        typeof key !== "string" || key === "toJSON" || key === "then"
            ? undefined
            : Array.isArray(value)
              ? /^\d+$/.test(key)
                  ? prefix
                  : undefined
              : prefix
                ? `${prefix}.${key}`
                : key;
    const note = (key: string | symbol): string | undefined => {
        const path = pathOf(key);
        if (path !== undefined && path !== prefix) {
            observer(type, path);
        }
        return path;
    };
    return new Proxy(value as object, {
        get(target, key, receiver) {
            const path = note(key);
            const inner = Reflect.get(target, key, receiver);
            return path === undefined ? inner : recording(inner, type, path, observer);
        },
        getOwnPropertyDescriptor(target, key) {
            note(key);
            return Reflect.getOwnPropertyDescriptor(target, key);
        },
    });
}

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** The plan's "[unknown]" as the engine's sentinel, so the SDK's proxy treats it as unknown. */
function withSentinels(value: unknown): unknown {
    if (value === UNKNOWN_PLACEHOLDER) {
        return UNKNOWN_SENTINEL;
    }
    if (Array.isArray(value)) {
        return value.map(withSentinels);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSentinels(v)]));
    }
    return value;
}

/** Property bags as @pulumi/policy hands them to policies: unknown-checking proxies. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped engine JSON
function props(inputs: Record<string, unknown>, type?: string, observer?: Observer): Record<string, any> {
    const plain = withSentinels(inputs) as Record<string, unknown>;
    return unknownCheckingProxy(observer && type ? (recording(plain, type, "", observer) as Record<string, unknown>) : plain);
}

function options(r: PlannedResource): PolicyResourceOptions {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

/** Any resource class the SDK passes to `asType` (constructor arguments vary per type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters differ per resource type
type ResourceClass = new (...rest: any[]) => unknown;

function isTypeOf(type: string) {
    return (resourceClass: ResourceClass): boolean => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

/** Runs one validation the way the analyzer server does, turning its outcome into violations. */
function run(
    definition: PolicyDefinition,
    level: "advisory" | "mandatory",
    urn: string | null,
    validate: (report: ReportViolation) => unknown,
    violations: Violation[],
): void {
    const policy = definition.meta.name;
    try {
        const result = validate((message, reportedUrn) =>
            violations.push({ policy, enforcementLevel: level, urn: urn ?? reportedUrn ?? null, message }),
        );
        if (result instanceof Promise) {
            // The plan is synchronous; an asynchronous policy would report after the plan is printed.
            throw new Error("asynchronous validations are not supported by the offline evaluator");
        }
    } catch (error) {
        if (error instanceof NotApplicable) {
            return;
        }
        if (isUnknownValueError(error)) {
            const message = error.message.startsWith(CANNOT_VERIFY) ? error.message : `${CANNOT_VERIFY}: ${error.message}`;
            violations.push({ policy, enforcementLevel: "advisory", urn, message });
            return;
        }
        throw new Error(`Policy ${policy} failed on ${urn ?? "the stack"}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/**
 * Runs the pack's policies over a captured stack, as `pulumi preview --policy-pack` would over the
 * same resources: the same policy objects, argument shapes and config, with "[unknown]" inputs
 * behaving like unknowns in a preview (a mandatory check that reads one reports an advisory
 * "cannot verify until apply"). The environment is the stack name unless the config names one.
 */
export function evaluateStack(stack: PlannedStack, evaluateOptions: EvaluateOptions = {}): Violation[] {
    const definitions = evaluateOptions.policies ?? POLICIES;
    const env = evaluateOptions.config?.environment ?? stack.stack;
    const packConfig = toPolicyPackConfig(definitions, env, evaluateOptions.config);
    const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
    const providerOf = (r: PlannedResource) => {
        const provider = r.provider ? byUrn.get(r.provider) : undefined;
        return provider ? { type: provider.type, urn: provider.urn, name: provider.name, props: props(provider.inputs) } : undefined;
    };
    const violations: Violation[] = [];
    let observing = "";
    const observe = evaluateOptions.observe;
    const observer: Observer | undefined = observe ? (type, path) => observe(observing, type, path) : undefined;
    const stackResources = policyResources(stack.resources, providerOf, observer);

    for (const definition of definitions) {
        observing = definition.meta.name;
        const { enforcementLevel, ...config } = packConfig[definition.meta.name] as { enforcementLevel: string };
        if (enforcementLevel === "disabled") {
            continue;
        }
        const level = enforcementLevel === "mandatory" ? "mandatory" : "advisory";
        const getConfig = <T extends object>() => config as T;
        if (definition.kind === "resource") {
            const validations = ([] as ResourceValidation[]).concat((definition.policy as ResourceValidationPolicy).validateResource ?? []);
            for (const r of stack.resources) {
                if (definition.types && !definition.types.includes(r.type)) {
                    continue;
                }
                const resourceProps = props(r.inputs, r.type, observer);
                const provider = providerOf(r);
                const args: ResourceValidationArgs = {
                    type: r.type,
                    props: resourceProps,
                    urn: r.urn,
                    name: r.name,
                    opts: options(r),
                    ...(provider ? { provider } : {}),
                    stackTags: new Map(),
                    isType: isTypeOf(r.type),
                    asType: ((resourceClass: ResourceClass) =>
                        isTypeOf(r.type)(resourceClass) ? resourceProps : undefined) as ResourceValidationArgs["asType"],
                    getConfig,
                    notApplicable,
                };
                for (const validation of validations) {
                    run(definition, level, r.urn, (report) => validation(args, report), violations);
                }
            }
        } else {
            const args: StackValidationArgs = { resources: stackResources, stackTags: new Map(), getConfig, notApplicable };
            run(definition, level, null, (report) => (definition.policy as StackValidationPolicy).validateStack(args, report), violations);
        }
    }
    return violations;
}

/** The resource graph a stack validation receives: parents and dependencies as objects. */
function policyResources(
    resources: PlannedResource[],
    providerOf: (r: PlannedResource) => PolicyResource["provider"],
    observer?: Observer,
): PolicyResource[] {
    const result = new Map<string, PolicyResource>();
    for (const r of resources) {
        const resourceProps = props(r.inputs, r.type, observer);
        const provider = providerOf(r);
        result.set(r.urn, {
            type: r.type,
            props: resourceProps,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            ...(provider ? { provider } : {}),
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf(r.type),
            asType: ((resourceClass: ResourceClass) =>
                isTypeOf(r.type)(resourceClass) ? resourceProps : undefined) as PolicyResource["asType"],
        });
    }
    for (const r of resources) {
        const resource = result.get(r.urn)!;
        const parent = r.parent ? result.get(r.parent) : undefined;
        if (parent) {
            resource.parent = parent;
        }
        resource.dependencies = r.dependencies.map((d) => result.get(d)).filter((d): d is PolicyResource => d !== undefined);
    }
    return [...result.values()];
}

/** Whether any violation blocks the deployment (what makes `npm run plan` exit 1). */
export function hasMandatory(violations: readonly Violation[]): boolean {
    return violations.some((v) => v.enforcementLevel === "mandatory");
}

/**
 * Capture: every registration and read as the engine would receive it (URN, inputs, parent,
 * provider, protect, retainOnDelete, dependencies, aliases), where each resource deploys, what
 * the provider would report for it, and the root stack's outputs. It wraps the mock monitor's
 * calls; the mocks (mocks.ts) answer them.
 */
import { accountFromArn } from "../../lib/arn";
import { parseMaybeJson } from "../../plan-model/json";
import type { PlannedResource } from "../../plan-model/types";
import { fingerprintSecrets, providerUrn, toPlanValue, toRawValue } from "./wire-values";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface AccountContext {
    account: string;
    region: string;
}

type ProtoStruct = { toJavaScript(): Record<string, unknown> } | undefined;

interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec():
        | { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean }
        | undefined;
}

interface RegisterRequest {
    getAliasesList(): AliasMessage[];
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getProtect(): boolean;
    getRetainondelete?(): boolean;
    getDependenciesList(): string[];
    getObject(): ProtoStruct;
    getProvidersMap(): { get(key: string): string | undefined };
}

interface ReadRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getProperties(): ProtoStruct;
}

export interface MockMonitorInternals {
    resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
    readResource(req: ReadRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): ProtoStruct }, callback: (err: unknown, resp: unknown) => void): void;
}

/** Where an aws provider deploys: the account of the role it assumes, else the one it is pinned to. */
function awsProviderAccount(inputs: Record<string, unknown>, fallback: AccountContext): AccountContext {
    const assumeRoles = parseMaybeJson(inputs.assumeRoles) as { roleArn?: string }[] | undefined;
    const allowed = parseMaybeJson(inputs.allowedAccountIds) as string[] | undefined;
    const roleAccount = Array.isArray(assumeRoles) ? accountFromArn(String(assumeRoles[0]?.roleArn ?? "")) : undefined;
    return {
        account: roleAccount ?? (Array.isArray(allowed) && allowed.length > 0 ? String(allowed[0]) : fallback.account),
        region: typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : fallback.region,
    };
}

/** A remote component's scalar outputs (ids, names, lists of ids): what the flows check joins its children by. */
export function plainOutputs(computed: Record<string, unknown>): Record<string, unknown> {
    const scalar = (v: unknown) => ["string", "number", "boolean"].includes(typeof v);
    return Object.fromEntries(
        Object.entries(computed).filter(([k, v]) => !/kubeconfig/i.test(k) && (scalar(v) || (Array.isArray(v) && v.every(scalar)))),
    );
}

/**
 * The SDK interpolates every registration's response into a debug-log line that nothing prints
 * offline; a protobuf message's own toString serialises it whole, which cost more than anything
 * the engine does per resource.
 */
function withoutDebugText(response: unknown): unknown {
    if (response !== null && typeof response === "object") {
        Object.defineProperty(response, "toString", { value: () => "[RegisterResourceResponse]" });
    }
    return response;
}

/** What the provider would report for a custom resource: the flows check joins resources by these. */
export type PhysicalIdentity = Pick<PlannedResource, "id" | "arn" | "account" | "outputs">;

export class RegistrationCapture {
    /** Keyed digests of secret inputs by URN and property path (see SynthesisResult). */
    readonly secretFingerprints = new Map<string, Map<string, string>>();
    /** The root stack's outputs as the program registered them (wire values). */
    rootOutputs: Record<string, unknown> = {};
    /** The registration in progress: the mock monitor calls newResource synchronously from registerResource. */
    registering: { urn: string; where: AccountContext } | undefined;
    private readonly captured: PlannedResource[] = [];
    private installedOn: MockMonitorInternals | undefined;
    private readonly providerAccounts = new Map<string, AccountContext>();
    // Components carry a providers map rather than a provider, and children inherit from parents:
    // remember where each resource deploys so a remote component's outputs name the right account.
    private readonly resourceAccounts = new Map<string, AccountContext>();
    private readonly physical = new Map<string, PhysicalIdentity>();
    // Children that only a remote component creates (offline only the component registers):
    // whatever depends on one waits, in the plan, for the component that creates it.
    private readonly syntheticParents = new Map<string, string>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
        readonly fallback: AccountContext,
    ) {}

    /** The mock monitor this capture wraps (after install). */
    get monitor(): MockMonitorInternals {
        if (this.installedOn === undefined) {
            throw new Error("RegistrationCapture: install() it on the mock monitor first");
        }
        return this.installedOn;
    }

    accountFor(providerReference: string | undefined): AccountContext {
        return this.providerAccounts.get(providerUrn(providerReference ?? "") ?? "") ?? this.fallback;
    }

    recordPhysical(urn: string, identity: PhysicalIdentity): void {
        this.physical.set(urn, identity);
    }

    /** A child the remote component being registered creates: dependencies on it point at the component. */
    recordSyntheticChild(childUrn: string): void {
        if (this.registering) {
            this.syntheticParents.set(childUrn, this.registering.urn);
        }
    }

    /** Wraps the mock monitor: URNs as the engine makes them, and every registration, read and root output captured. */
    install(monitor: MockMonitorInternals): void {
        this.installedOn = monitor;
        const { project, stack } = this;
        // URNs as the engine makes them: the parent's whole type chain, except the root stack's.
        // (The mock monitor keeps only the parent's last type and includes the root stack.)
        monitor.newUrn = (parent, type, name) => {
            const parentType = parent.split("::")[2];
            const qualifiedType = parentType === undefined || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
            return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
        };
        // The URNs a resource's `aliases` name, resolved the way the engine resolves alias specs.
        const aliasUrns = (req: RegisterRequest): string[] =>
            req.getAliasesList().map((alias) => {
                const spec = alias.getSpec();
                if (alias.hasUrn() || spec === undefined) {
                    return alias.getUrn();
                }
                const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
                const urn = monitor.newUrn(parent, spec.getType() || req.getType(), spec.getName() || req.getName());
                return urn.replace(
                    `urn:pulumi:${stack}::${project}::`,
                    `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::`,
                );
            });
        const capture = (
            req: RegisterRequest | ReadRequest,
            wireInputs: Record<string, unknown>,
            registration: Pick<PlannedResource, "custom" | "protect" | "retainOnDelete">,
        ) => {
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            const aliases = "getAliasesList" in req ? aliasUrns(req) : [];
            const fingerprints = new Map<string, string>();
            fingerprintSecrets(wireInputs, "", fingerprints);
            if (fingerprints.size > 0) {
                this.secretFingerprints.set(urn, fingerprints);
            }
            this.captured.push({
                urn,
                type: req.getType(),
                name: req.getName(),
                custom: registration.custom,
                parent: req.getParent() || null,
                provider: providerUrn(req.getProvider()),
                inputs: toPlanValue(wireInputs) as Record<string, unknown>,
                protect: registration.protect,
                retainOnDelete: registration.retainOnDelete,
                dependencies: [...new Set(req.getDependenciesList())],
                ...(aliases.length > 0 ? { aliases } : {}),
            });
            return urn;
        };
        const registerResource = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) => {
            const wireInputs = req.getObject()?.toJavaScript() ?? {};
            const urn = capture(req, wireInputs, {
                custom: req.getCustom(),
                protect: req.getProtect() === true,
                retainOnDelete: req.getRetainondelete?.() === true,
            });
            if (req.getType() === "pulumi:providers:aws") {
                this.providerAccounts.set(urn, awsProviderAccount(toRawValue(wireInputs).value as Record<string, unknown>, this.fallback));
            }
            const explicitProvider = req.getProvider() || req.getProvidersMap().get("aws");
            const where = explicitProvider
                ? this.accountFor(explicitProvider)
                : (this.resourceAccounts.get(req.getParent()) ?? this.fallback);
            this.resourceAccounts.set(urn, where);
            this.registering = { urn, where };
            try {
                return registerResource(req, (error, response) => callback(error, withoutDebugText(response)));
            } finally {
                this.registering = undefined;
            }
        };
        // Reads (stack references, `Resource.get`) are part of a preview too, and others depend on them.
        const readResource = monitor.readResource.bind(monitor);
        monitor.readResource = (req, callback) => {
            capture(req, req.getProperties()?.toJavaScript() ?? {}, { custom: true, protect: false, retainOnDelete: false });
            return readResource(req, callback);
        };
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, callback) => {
            if (req.getUrn().split("::")[2] === ROOT_STACK_TYPE) {
                this.rootOutputs = req.getOutputs()?.toJavaScript() ?? {};
            }
            registerOutputs(req, callback);
        };
    }

    /** The captured resources with what the provider reports, dependencies on a remote component's children pointing at it. */
    resources(): PlannedResource[] {
        return this.captured.map((resource) => ({
            ...resource,
            ...this.physical.get(resource.urn),
            dependencies: [...new Set(resource.dependencies.map((urn) => this.syntheticParents.get(urn) ?? urn))].filter(
                (urn) => urn !== resource.urn,
            ),
        }));
    }
}

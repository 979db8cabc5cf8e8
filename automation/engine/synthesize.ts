import * as pulumi from "@pulumi/pulumi";
import { parseMaybeJson } from "../../plan-model/json";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as crypto from "crypto";
import { DEFAULT_REGION } from "../../lib/environments";
import { OperationalError, UserError } from "../../lib/errors";
import { durationSetting, formatDuration, withDeadline } from "../deadline";
import { accountFromArn, partitionOf } from "../../lib/arn";
import { hexFrom } from "./identifiers";
import { INVOKE_MOCKS, MockContext, MockProps, RESOURCE_MOCKS } from "./resource-outputs";
import { PlannedResource, SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../plan-model/types";

// Runtime internals the public API does not expose: a fresh async-local store per synthesis
// (what the Automation API's inline programs use) is what keeps consecutive syntheses apart.
const runtimeState: {
    withLocalStorage<T>(callback: () => Promise<T>): Promise<T>;
    getStore(): { settings: { engine?: unknown } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module without typings
} = require("@pulumi/pulumi/runtime/state");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module without typings
const runtimeSettings: { waitForRPCs(): Promise<void>; getMonitor(): unknown } = require("@pulumi/pulumi/runtime/settings");

/** The account the offline engine assumes for a provider that names none. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";
/** Set to 1 to keep full stack traces of errors raised while a program runs. */
export const STACK_TRACES_VARIABLE = "PLAN_STACK_TRACES";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Outputs of a stack another stack can reference: real values plus which names are secret. */
export interface StackOutputs {
    values: Record<string, unknown>;
    secretNames: string[];
}

export interface SynthesisRequest {
    project: string;
    stack: string;
    organization?: string;
    /** The program: returns (or resolves to) the stack outputs, like a Pulumi program's exports. */
    program: () => unknown;
    /** Full config keys (`ns:key`) to string values, as the CLI passes them. */
    config?: Record<string, string>;
    secretKeys?: string[];
    /** Answers `new StackReference(name)`; undefined means no such stack. */
    resolveStackReference?: (name: string) => StackOutputs | undefined;
    preview?: boolean;
    /** Receives what the program logs (`pulumi.log`, the SDK's own errors); without it, they go to stderr. */
    onDiagnostic?: (diagnostic: Diagnostic) => void;
    /** Where the stack's config comes from (its stack file), for messages about a config key. */
    configSource?: string;
    /** The synthesis fails once it takes longer (default: PLAN_SYNTHESIS_TIMEOUT, else 10 min). */
    timeoutMs?: number;
}

/** A message the program or the SDK logged, as the engine would show it under the stack. */
export interface Diagnostic {
    severity: "info" | "warning" | "error";
    message: string;
}

/** How the CLI prints a diagnostic: the format the SDK uses when no engine listens. */
function formatDiagnostic(diagnostic: Diagnostic): string {
    return `${diagnostic.severity}: [runtime] ${diagnostic.message}\n`;
}

const LOG_SEVERITIES: Record<number, Diagnostic["severity"]> = { 1: "info", 2: "warning", 3: "error" };

/**
 * The part of the engine's gRPC client the SDK calls outside a deployment: logs go to `sink`
 * (debug messages, which the CLI hides too, go nowhere), and the root-resource handshake is
 * acknowledged.
 */
function diagnosticsEngine(sink: (diagnostic: Diagnostic) => void) {
    type Callback = (error: Error | null, response?: unknown) => void;
    return {
        log(request: { getSeverity(): number; getMessage(): string }, callback: Callback): void {
            const severity = LOG_SEVERITIES[request.getSeverity()];
            if (severity !== undefined) {
                sink({ severity, message: request.getMessage() });
            }
            callback(null);
        },
        setRootResource(_request: unknown, callback: Callback): void {
            callback(null);
        },
        requirePulumiVersion(_request: unknown, callback: Callback): void {
            callback(null);
        },
    };
}

export interface SynthesisResult {
    project: string;
    stack: string;
    resources: PlannedResource[];
    /** Stack outputs as the plan shows them (secrets masked). */
    outputs: Record<string, unknown>;
    /** Stack outputs as stack references receive them. */
    referenceableOutputs: StackOutputs;
    /**
     * Keyed digests of the secret inputs, by resource URN and property path (`a.b[0]`), so that a
     * change review can tell a changed secret from an unchanged one without seeing either. The key
     * lives only in this process: nothing outside it can test a guess against a digest.
     */
    secretFingerprints: Map<string, Map<string, string>>;
}

const FINGERPRINT_KEY = crypto.randomBytes(32);

function fingerprintSecrets(value: unknown, path: string, into: Map<string, string>): void {
    if (Array.isArray(value)) {
        value.forEach((item, i) => fingerprintSecrets(item, `${path}[${i}]`, into));
    } else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            into.set(path, crypto.createHmac("sha256", FINGERPRINT_KEY).update(JSON.stringify(toRawValue(record.value).value) ?? "").digest("hex"));
            return;
        }
        for (const [key, child] of Object.entries(record)) {
            fingerprintSecrets(child, path ? `${path}.${key}` : key, into);
        }
    }
}

/** Bounds each stack's synthesis (a duration, e.g. 90s or 10m). */
export const SYNTHESIS_TIMEOUT_VARIABLE = "PLAN_SYNTHESIS_TIMEOUT";
export const DEFAULT_SYNTHESIS_TIMEOUT_MS = 10 * 60_000;

function causeList(stackLabel: string, causes: unknown[]): string {
    return `${stackLabel} failed to synthesize:\n${causes.map((c) => `  - ${c instanceof Error ? c.message : String(c)}`).join("\n")}`;
}

/** A program that failed while it ran (not a config problem): carries every error it raised. */
export class SynthesisError extends OperationalError {
    constructor(
        readonly stackLabel: string,
        readonly causes: unknown[],
        message = causeList(stackLabel, causes),
    ) {
        super(message);
    }
}

/** A program that failed only on what the person running it must fix (config, stack references): exit 2. */
export class ProgramInputError extends UserError {
    constructor(
        readonly stackLabel: string,
        readonly causes: unknown[],
    ) {
        super(causeList(stackLabel, causes));
    }
}

/** A program that never finished: an output waits on something that never settles. */
export class SynthesisTimeoutError extends SynthesisError {
    constructor(stackLabel: string, reason: "deadline" | "stalled", limitMs: number, unsettled: string[] | undefined) {
        const what =
            unsettled === undefined
                ? "the program itself never returned (it awaits something that never settles)"
                : unsettled.length > 0
                  ? `these stack outputs never settled: ${unsettled.join(", ")}`
                  : "its resource registrations never finished";
        const why =
            reason === "stalled"
                ? "nothing is left that could settle them"
                : `gave up after ${formatDuration(limitMs)} (${SYNTHESIS_TIMEOUT_VARIABLE} sets the limit)`;
        super(stackLabel, [], `${stackLabel} never finished synthesizing: ${what}; ${why}. Check what those outputs wait on.`);
    }
}

/** A config value the program cannot use (Pulumi's own checks: missing key, wrong type). */
export class ConfigValueError extends UserError {}

/**
 * The SDK's errors about what the person running the plan controls, as user errors that say where
 * to fix them: config the program requires (Pulumi's Config*Error) and stack outputs it requires.
 */
function asInputError(error: unknown, configSource: string | undefined, ours: readonly UserError[]): unknown {
    // The SDK re-wraps what our mocks throw ("failed to read resource ...: <message>"): the original says it best.
    const original = ours.find((e) => error !== e && error instanceof Error && error.message.includes(e.message));
    if (original !== undefined) {
        return original;
    }
    const runError = error as { __pulumiRunError?: boolean; constructor?: { name?: string }; message?: string } | undefined;
    if (runError?.__pulumiRunError && /^Config[A-Za-z]*Error$/.test(runError.constructor?.name ?? "")) {
        const message = String(runError.message).replace(/\s+please set a value using the command `pulumi config set[^`]*`/, "");
        return new ConfigValueError(`${message}\n    fix: set the key in ${configSource ?? "the stack file"} (or, planning a --program, pass --config key=value)`, { cause: error });
    }
    if (typeof runError?.message === "string" && /^Required output '.*' does not exist on stack/.test(runError.message)) {
        return new StackReferenceError(`${runError.message}: deploy that stack so it exports the output, or check the stack reference's name`, { cause: error });
    }
    return error;
}

/** A stack reference the plan cannot answer: the name is wrong or the stack is not in the chain. */
export class StackReferenceError extends UserError {}

interface AccountContext {
    account: string;
    region: string;
}

type ProtoStruct = { toJavaScript(): Record<string, unknown> } | undefined;

interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
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

interface MockMonitorInternals {
    resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
    readResource(req: ReadRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): ProtoStruct }, callback: (err: unknown, resp: unknown) => void): void;
}

/** "urn::id" -> "urn" */
function providerUrn(reference: string): string | null {
    if (!reference) {
        return null;
    }
    const separator = reference.lastIndexOf("::");
    return separator > 0 ? reference.slice(0, separator) : reference;
}

function isSignature(value: Record<string, unknown>, signature: string): boolean {
    return value[rpc.specialSigKey] === signature;
}

/**
 * Turns wire values into what the plan shows: secrets masked, unknowns marked, resource
 * references as their URN, assets and archives summarised.
 */
export function toPlanValue(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return UNKNOWN_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map(toPlanValue);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            return SECRET_PLACEHOLDER;
        }
        if (isSignature(record, rpc.specialResourceSig)) {
            return record.urn;
        }
        if (isSignature(record, rpc.specialAssetSig)) {
            return { asset: record.path ?? record.uri ?? "text" };
        }
        if (isSignature(record, rpc.specialArchiveSig)) {
            return { archive: record.path ?? record.uri ?? Object.keys((record.assets as object) ?? {}) };
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toPlanValue(v)]));
    }
    return value;
}

/** Wire values with secrets unwrapped, for feeding one stack's outputs to the next. */
function toRawValue(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(toRawValue);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            return { value: toRawValue(record.value).value, secret: true };
        }
        if (isSignature(record, rpc.specialResourceSig)) {
            return { value: record.urn, secret: false };
        }
        const entries = Object.entries(record).map(([k, v]) => [k, toRawValue(v)] as const);
        return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
    }
    return { value, secret: false };
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
function plainOutputs(computed: Record<string, unknown>): Record<string, unknown> {
    const scalar = (v: unknown) => ["string", "number", "boolean"].includes(typeof v);
    return Object.fromEntries(Object.entries(computed).filter(([k, v]) => !/kubeconfig/i.test(k) && (scalar(v) || (Array.isArray(v) && v.every(scalar)))));
}

function unwrapSecrets(value: unknown): unknown {
    return toRawValue(JSON.parse(JSON.stringify(value ?? null))).value;
}

// The SDK prefixes the same error object once per property it passes through on its way out.
const SERIALIZATION_PREFIXES = /^(error serializing property "[^"]*": )+/;

/** One error per distinct failure, with the SDK's serialization prefixes removed. */
function distinctErrors(errors: unknown[]): unknown[] {
    const seen = new Set<string>();
    return [...new Set(errors)].filter((error) => {
        if (error instanceof Error) {
            error.message = error.message.replace(SERIALIZATION_PREFIXES, "");
        }
        const key = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (seen.has(key)) {
            return false;
        }
        seen.add(key);
        return true;
    });
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

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a Pulumi program under the mock runtime and captures every registration. Syntheses are
 * serialised (the runtime's monitor is process-global) and each gets a fresh runtime store.
 */
export function synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const run = queue.then(() => synthesizeAlone(request));
    queue = run.catch(() => undefined);
    return run;
}

async function synthesizeAlone(request: SynthesisRequest): Promise<SynthesisResult> {
    const label = `${request.project}/${request.stack}`;
    const config = request.config ?? {};
    const fallback: AccountContext = { account: DEFAULT_ACCOUNT_ID, region: config["aws:region"] ?? DEFAULT_REGION };
    const providerAccounts = new Map<string, AccountContext>();
    const captured: PlannedResource[] = [];
    const secretFingerprints = new Map<string, Map<string, string>>();
    // What the provider would report for each custom resource: the flows check joins resources by these.
    const physical = new Map<string, Pick<PlannedResource, "id" | "arn" | "account" | "outputs">>();
    const errors: unknown[] = [];
    let rootOutputs: Record<string, unknown> = {};
    let monitor: MockMonitorInternals | undefined;
    const pendingReferences: Promise<void>[] = [];

    const accountFor = (providerReference: string | undefined): AccountContext =>
        providerAccounts.get(providerUrn(providerReference ?? "") ?? "") ?? fallback;
    // Components carry a providers map rather than a provider, and children inherit from parents:
    // remember where each resource deploys so a remote component's outputs name the right account.
    const resourceAccounts = new Map<string, AccountContext>();
    let registering: { urn: string; where: AccountContext } | undefined;
    // Children that only a remote component creates (offline only the component registers):
    // whatever depends on one waits, in the plan, for the component that creates it.
    const syntheticParents = new Map<string, string>();

    const mocks: pulumi.runtime.Mocks = {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: MockProps } {
            if (args.type === STACK_REFERENCE_TYPE) {
                const name = String(args.inputs.name);
                const outputs = request.resolveStackReference?.(name);
                if (!outputs) {
                    throw remember(new StackReferenceError(
                        `${label}: stack reference "${name}" names no stack that this plan synthesized before it. ` +
                            `Check the stack name (<stackOrg>/<project>/<stack>) and that the referenced stack is earlier in the chain.`,
                        ),
                    );
                }
                return { id: name, state: { name, outputs: outputs.values, secretOutputNames: outputs.secretNames } };
            }
            const inputs = unwrapSecrets(args.inputs) as MockProps;
            // Set by the registration wrapper; reads (`Resource.get`) come without it.
            const where = registering?.where ?? accountFor(args.provider);
            const urn = `${label}::${args.type}::${args.name}`;
            const ctx: MockContext = {
                type: args.type,
                name: args.name,
                urn,
                inputs,
                account: where.account,
                region: where.region,
                partition: partitionOf(where.region),
                physicalName: typeof inputs.name === "string" && inputs.name !== "" ? inputs.name : `${args.name}-${hexFrom(urn, 7)}`,
                hex: (length, salt = "") => hexFrom(`${urn}#${salt}`, length),
                reference: (type, name, id, state) => {
                    const childUrn = monitor!.newUrn("", `${args.type}$${type}`, name);
                    if (registering) {
                        syntheticParents.set(childUrn, registering.urn);
                    }
                    pendingReferences.push(
                        rpc.serializeProperties("", state).then((serialized) => {
                            monitor!.resources.set(childUrn, { urn: childUrn, id, state: serialized });
                        }),
                    );
                    return { [rpc.specialSigKey]: rpc.specialResourceSig, urn: childUrn, id };
                },
            };
            const mock = RESOURCE_MOCKS[args.type];
            const id = args.custom ? (args.id || (mock?.id ?? ((c: MockContext) => c.physicalName))(ctx)) : undefined;
            const computed = mock?.outputs?.(ctx, id ?? "") ?? {};
            if (registering && id !== undefined) {
                physical.set(registering.urn, { id, account: where.account, ...(typeof computed.arn === "string" ? { arn: computed.arn } : {}) });
            } else if (registering && mock?.outputs) {
                physical.set(registering.urn, { account: where.account, outputs: plainOutputs(computed) });
            }
            const generic = args.custom && !args.type.startsWith("pulumi:providers:") && !("name" in inputs) ? { name: ctx.physicalName } : {};
            return { id, state: { ...generic, ...args.inputs, ...computed } };
        },
        call(args: pulumi.runtime.MockCallArgs): MockProps {
            const invoke = INVOKE_MOCKS[args.token];
            if (!invoke) {
                throw new Error(
                    `${label}: the offline engine has no outputs for invoke ${args.token}. ` +
                        `Prefer plain typed objects over invokes, or add the invoke to automation/engine/resource-outputs.ts.`,
                );
            }
            const where = accountFor(args.provider);
            return invoke({ token: args.token, inputs: args.inputs, account: where.account, region: where.region, partition: partitionOf(where.region) });
        },
    };

    // User errors the mocks raise, so their SDK-wrapped copies can be traced back to them.
    const thrownByMocks: UserError[] = [];
    const remember = (error: UserError): UserError => {
        thrownByMocks.push(error);
        return error;
    };
    const onError = (error: unknown) => {
        errors.push(error);
    };

    return runtimeState.withLocalStorage(async () => {
        await pulumi.runtime.setMocks(mocks, request.project, request.stack, request.preview ?? false, request.organization);
        const printDiagnostic = (diagnostic: Diagnostic) => process.stderr.write(formatDiagnostic(diagnostic));
        runtimeState.getStore().settings.engine = diagnosticsEngine(request.onDiagnostic ?? printDiagnostic);
        monitor = runtimeSettings.getMonitor() as MockMonitorInternals;
        const mockMonitor = monitor;
        // URNs as the engine makes them: the parent's whole type chain, except the root stack's.
        // (The mock monitor keeps only the parent's last type and includes the root stack.)
        mockMonitor.newUrn = (parent, type, name) => {
            const parentType = parent.split("::")[2];
            const qualifiedType = parentType === undefined || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
            return `urn:pulumi:${request.stack}::${request.project}::${qualifiedType}::${name}`;
        };
        // The URNs a resource's `aliases` name, resolved the way the engine resolves alias specs.
        const aliasUrns = (req: RegisterRequest): string[] =>
            req.getAliasesList().map((alias) => {
                const spec = alias.getSpec();
                if (alias.hasUrn() || spec === undefined) {
                    return alias.getUrn();
                }
                const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
                const urn = mockMonitor.newUrn(parent, spec.getType() || req.getType(), spec.getName() || req.getName());
                return urn.replace(`urn:pulumi:${request.stack}::${request.project}::`, `urn:pulumi:${spec.getStack() || request.stack}::${spec.getProject() || request.project}::`);
            });
        const capture = (req: RegisterRequest | ReadRequest, wireInputs: Record<string, unknown>, registration: Pick<PlannedResource, "custom" | "protect" | "retainOnDelete">) => {
            const urn = mockMonitor.newUrn(req.getParent(), req.getType(), req.getName());
            const aliases = "getAliasesList" in req ? aliasUrns(req) : [];
            const fingerprints = new Map<string, string>();
            fingerprintSecrets(wireInputs, "", fingerprints);
            if (fingerprints.size > 0) {
                secretFingerprints.set(urn, fingerprints);
            }
            captured.push({
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
        const registerResource = mockMonitor.registerResource.bind(mockMonitor);
        mockMonitor.registerResource = (req, callback) => {
            const wireInputs = req.getObject()?.toJavaScript() ?? {};
            const urn = capture(req, wireInputs, { custom: req.getCustom(), protect: req.getProtect() === true, retainOnDelete: req.getRetainondelete?.() === true });
            if (req.getType() === "pulumi:providers:aws") {
                providerAccounts.set(urn, awsProviderAccount(toRawValue(wireInputs).value as Record<string, unknown>, fallback));
            }
            const explicitProvider = req.getProvider() || req.getProvidersMap().get("aws");
            const where = explicitProvider ? accountFor(explicitProvider) : (resourceAccounts.get(req.getParent()) ?? fallback);
            resourceAccounts.set(urn, where);
            // The mock monitor calls newResource synchronously from here, before its first await.
            registering = { urn, where };
            try {
                return registerResource(req, (error, response) => callback(error, withoutDebugText(response)));
            } finally {
                registering = undefined;
            }
        };
        // Reads (stack references, `Resource.get`) are part of a preview too, and others depend on them.
        const readResource = mockMonitor.readResource.bind(mockMonitor);
        mockMonitor.readResource = (req, callback) => {
            capture(req, req.getProperties()?.toJavaScript() ?? {}, { custom: true, protect: false, retainOnDelete: false });
            return readResource(req, callback);
        };
        const registerOutputs = mockMonitor.registerResourceOutputs.bind(mockMonitor);
        mockMonitor.registerResourceOutputs = (req, callback) => {
            if (req.getUrn().split("::")[2] === ROOT_STACK_TYPE) {
                rootOutputs = req.getOutputs()?.toJavaScript() ?? {};
            }
            registerOutputs(req, callback);
        };
        pulumi.runtime.setAllConfig(config, request.secretKeys ?? []);

        process.on("unhandledRejection", onError);
        process.on("uncaughtException", onError);
        // The SDK captures a stack trace for every resource and promise: formatting them (and
        // mapping them through source maps) costs more than the synthesis itself. A program that
        // fails is rerun with PLAN_STACK_TRACES=1 to see where (the CLI says so).
        const prepareStackTrace = Error.prepareStackTrace;
        const stackTraceLimit = Error.stackTraceLimit;
        if (process.env[STACK_TRACES_VARIABLE] !== "1") {
            (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
            Error.stackTraceLimit = 0;
        }
        // Which stack outputs are still pending (undefined until the program returns its exports).
        let unsettled: Set<string> | undefined;
        const run = async () => {
            await pulumi.runtime.runInPulumiStack(async () => {
                const exported = await request.program();
                const outputs = typeof exported === "function" ? await exported() : exported;
                unsettled = new Set(Object.keys(outputs ?? {}));
                for (const [key, value] of Object.entries(outputs ?? {})) {
                    const settled = pulumi.Output.isInstance(value) ? (value as unknown as { promise(): Promise<unknown> }).promise() : Promise.resolve(value);
                    settled.then(
                        () => unsettled?.delete(key),
                        () => unsettled?.delete(key),
                    );
                }
                return outputs;
            });
            await runtimeSettings.waitForRPCs();
            await Promise.all(pendingReferences);
        };
        const limitMs = request.timeoutMs ?? durationSetting(SYNTHESIS_TIMEOUT_VARIABLE, DEFAULT_SYNTHESIS_TIMEOUT_MS);
        try {
            await withDeadline(run(), limitMs, (reason) => new SynthesisTimeoutError(label, reason, limitMs, unsettled && [...unsettled].sort()));
        } catch (error) {
            if (error instanceof SynthesisTimeoutError) {
                throw error;
            }
            errors.unshift(error);
        } finally {
            Error.prepareStackTrace = prepareStackTrace;
            Error.stackTraceLimit = stackTraceLimit;
            // A failed program leaves rejected outputs behind that Node reports only after the
            // current macrotask; let them surface here instead of crashing the process later.
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setImmediate(resolve));
            process.off("unhandledRejection", onError);
            process.off("uncaughtException", onError);
        }
        if (errors.length > 0) {
            const distinct = distinctErrors(distinctErrors(errors).map((error) => asInputError(error, request.configSource, thrownByMocks)));
            // A named error (a config or contract problem) is the root cause: the plain errors
            // beside it are the SDK re-reporting it through every output that depended on it.
            const rootCauses = distinct.filter((e) => e instanceof Error && e.name !== "Error");
            const reported = rootCauses.length > 0 ? rootCauses : distinct;
            if (reported.length === 1 && rootCauses.length === 1) {
                throw reported[0];
            }
            throw reported.every((e) => e instanceof UserError) ? new ProgramInputError(label, reported) : new SynthesisError(label, reported);
        }

        const secretNames: string[] = [];
        const values: Record<string, unknown> = {};
        for (const [key, wire] of Object.entries(rootOutputs)) {
            const raw = toRawValue(wire);
            values[key] = raw.value;
            if (raw.secret) {
                secretNames.push(key);
            }
        }
        return {
            project: request.project,
            stack: request.stack,
            resources: captured.map((resource) => ({
                ...resource,
                ...physical.get(resource.urn),
                dependencies: [...new Set(resource.dependencies.map((urn) => syntheticParents.get(urn) ?? urn))].filter((urn) => urn !== resource.urn),
            })),
            outputs: toPlanValue(rootOutputs) as Record<string, unknown>,
            referenceableOutputs: { values, secretNames },
            secretFingerprints,
        };
    });
}

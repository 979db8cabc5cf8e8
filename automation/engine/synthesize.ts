/**
 * Synthesis: runs a Pulumi program under the mock runtime and returns what the engine would receive.
 * The parts: capture.ts (registrations, reads, outputs), mocks.ts (resource outputs and invokes),
 * stack-references.ts, wire-values.ts (secrets, unknowns), diagnostics.ts, synthesis-errors.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_REGION } from "../../lib/environments";
import { UserError } from "../../lib/errors";
import type { PlannedResource } from "../../plan-model/types";
import { durationSetting, withDeadline } from "../deadline";
import { RegistrationCapture, type MockMonitorInternals } from "./capture";
import { diagnosticsEngine, formatDiagnostic, type Diagnostic } from "./diagnostics";
import { offlineMocks } from "./mocks";
import type { StackOutputs, StackReferenceResolver } from "./stack-references";
import {
    asInputError,
    DEFAULT_SYNTHESIS_TIMEOUT_MS,
    distinctErrors,
    ProgramInputError,
    SYNTHESIS_TIMEOUT_VARIABLE,
    SynthesisError,
    SynthesisTimeoutError,
} from "./synthesis-errors";
import { toPlanValue, toRawValue } from "./wire-values";

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

/** Set to 1 to keep full stack traces of errors raised while a program runs. */
export const STACK_TRACES_VARIABLE = "PLAN_STACK_TRACES";

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
    resolveStackReference?: StackReferenceResolver;
    preview?: boolean;
    /** Receives what the program logs (`pulumi.log`, the SDK's own errors); without it, they go to stderr. */
    onDiagnostic?: (diagnostic: Diagnostic) => void;
    /** Where the stack's config comes from (its stack file), for messages about a config key. */
    configSource?: string;
    /** The synthesis fails once it takes longer (default: PLAN_SYNTHESIS_TIMEOUT, else 10 min). */
    timeoutMs?: number;
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
    const capture = new RegistrationCapture(request.project, request.stack, {
        account: DEFAULT_ACCOUNT_ID,
        region: config["aws:region"] ?? DEFAULT_REGION,
    });
    const errors: unknown[] = [];
    const pendingReferences: Promise<void>[] = [];
    // User errors the mocks raise, so their SDK-wrapped copies can be traced back to them.
    const thrownByMocks: UserError[] = [];
    const mocks = offlineMocks({
        label,
        capture,
        resolveStackReference: request.resolveStackReference,
        remember: (error) => thrownByMocks.push(error),
        pendingReferences,
    });
    const onError = (error: unknown) => {
        errors.push(error);
    };

    return runtimeState.withLocalStorage(async () => {
        await pulumi.runtime.setMocks(mocks, request.project, request.stack, request.preview ?? false, request.organization);
        const printDiagnostic = (diagnostic: Diagnostic) => process.stderr.write(formatDiagnostic(diagnostic));
        runtimeState.getStore().settings.engine = diagnosticsEngine(request.onDiagnostic ?? printDiagnostic);
        capture.install(runtimeSettings.getMonitor() as MockMonitorInternals);
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
                    const settled = pulumi.Output.isInstance(value)
                        ? (value as unknown as { promise(): Promise<unknown> }).promise()
                        : Promise.resolve(value);
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
            await withDeadline(
                run(),
                limitMs,
                (reason) => new SynthesisTimeoutError(label, reason, limitMs, unsettled && [...unsettled].sort()),
            );
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
            const distinct = distinctErrors(
                distinctErrors(errors).map((error) => asInputError(error, request.configSource, thrownByMocks)),
            );
            // A named error (a config or contract problem) is the root cause: the plain errors
            // beside it are the SDK re-reporting it through every output that depended on it.
            const rootCauses = distinct.filter((e) => e instanceof Error && e.name !== "Error");
            const reported = rootCauses.length > 0 ? rootCauses : distinct;
            if (reported.length === 1 && rootCauses.length === 1) {
                throw reported[0];
            }
            throw reported.every((e) => e instanceof UserError)
                ? new ProgramInputError(label, reported)
                : new SynthesisError(label, reported);
        }

        const secretNames: string[] = [];
        const values: Record<string, unknown> = {};
        for (const [key, wire] of Object.entries(capture.rootOutputs)) {
            const raw = toRawValue(wire);
            values[key] = raw.value;
            if (raw.secret) {
                secretNames.push(key);
            }
        }
        return {
            project: request.project,
            stack: request.stack,
            resources: capture.resources(),
            outputs: toPlanValue(capture.rootOutputs) as Record<string, unknown>,
            referenceableOutputs: { values, secretNames },
            secretFingerprints: capture.secretFingerprints,
        };
    });
}

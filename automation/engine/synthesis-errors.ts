/** How a synthesis fails, in the words of the person who must act on it. */
import { OperationalError, UserError } from "../../lib/errors";
import { formatDuration } from "../deadline";

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
export function asInputError(error: unknown, configSource: string | undefined, ours: readonly UserError[]): unknown {
    // The SDK re-wraps what our mocks throw ("failed to read resource ...: <message>"): the original says it best.
    const original = ours.find((e) => error !== e && error instanceof Error && error.message.includes(e.message));
    if (original !== undefined) {
        return original;
    }
    const runError = error as { __pulumiRunError?: boolean; constructor?: { name?: string }; message?: string } | undefined;
    if (runError?.__pulumiRunError && /^Config[A-Za-z]*Error$/.test(runError.constructor?.name ?? "")) {
        const message = String(runError.message).replace(/\s+please set a value using the command `pulumi config set[^`]*`/, "");
        return new ConfigValueError(
            `${message}\n    fix: set the key in ${configSource ?? "the stack file"} (or, planning a --program, pass --config key=value)`,
            { cause: error },
        );
    }
    if (typeof runError?.message === "string" && /^Required output '.*' does not exist on stack/.test(runError.message)) {
        return new StackReferenceError(
            `${runError.message}: deploy that stack so it exports the output, or check the stack reference's name`,
            { cause: error },
        );
    }
    return error;
}

/** A stack reference the plan cannot answer: the name is wrong or the stack is not in the chain. */
export class StackReferenceError extends UserError {}

// The SDK prefixes the same error object once per property it passes through on its way out.
const SERIALIZATION_PREFIXES = /^(error serializing property "[^"]*": )+/;

/** One error per distinct failure, with the SDK's serialization prefixes removed. */
export function distinctErrors(errors: unknown[]): unknown[] {
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

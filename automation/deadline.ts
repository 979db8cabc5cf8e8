/**
 * Durations and deadlines: every wait in the tooling (synthesis, lock waits, AWS requests, polling)
 * ends by itself, each after a limit a person can change (docs/cli.md lists them).
 */
import { UsageError } from "./cli/framework";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30s`, `90m`, `72h`, `3d`, `2w`. */
export function parseDuration(raw: string, flag = "--max-age"): number {
    const match = /^([1-9][0-9]*)([smhdw])$/.exec(raw);
    if (!match) {
        throw new UsageError(`${flag} must be a duration like 30s, 90m, 72h, 3d or 2w, got "${raw}"`);
    }
    return Number(match[1]) * UNIT_MS[match[2]];
}

export function formatDuration(ms: number): string {
    if (ms < 60_000) {
        return `${(ms / 1000).toFixed(1)} s`;
    }
    const minutes = Math.floor(ms / 60_000);
    if (minutes < 120) {
        return `${minutes} min`;
    }
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** A duration from an environment variable (unset or empty: the default); a bad value names the variable. */
export function durationSetting(variable: string, defaultMs: number, env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[variable];
    return raw === undefined || raw === "" ? defaultMs : parseDuration(raw, variable);
}

/**
 * Settles like `work`, or rejects with `timedOut(reason)` once `ms` have passed, or at once when
 * the process has nothing left to run (then `work` can never settle: waiting on would only end the
 * process with exit 0 and no output). The timer does not keep the process alive.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, timedOut: (reason: "deadline" | "stalled") => Error): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onBeforeExit: (() => void) | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(timedOut("deadline")), ms);
        timer.unref();
        onBeforeExit = () => reject(timedOut("stalled"));
        process.once("beforeExit", onBeforeExit);
    });
    try {
        return await Promise.race([work, deadline]);
    } finally {
        clearTimeout(timer);
        process.off("beforeExit", onBeforeExit!);
    }
}

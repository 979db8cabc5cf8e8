import { formatDuration } from "../deadline";
import { OperationCancelledError, StackLockedError, stackLabel } from "./engine";

export interface LockRetryPolicy {
    /** How long to wait in all for another update's lock before giving up (`--lock-timeout`). */
    timeoutMs: number;
    /** Tries in all, the first included (unbounded by default: the timeout decides). */
    attempts: number;
    initialDelayMs: number;
    maxDelayMs: number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    onRetry?: (error: StackLockedError, attempt: number, delayMs: number) => void;
    /** Aborting stops the waiting at once (the runner is going away): nothing was changed. */
    signal?: AbortSignal;
}

/** A PR push usually finds the previous run of the same PR still finishing: wait a few minutes, then say so. */
export const DEFAULT_LOCK_RETRY: LockRetryPolicy = {
    timeoutMs: 5 * 60_000,
    attempts: Infinity,
    initialDelayMs: 10_000,
    maxDelayMs: 120_000,
};

/** The stack stayed locked until the lock wait's deadline. */
export class StackStillLockedError extends StackLockedError {
    constructor(
        last: StackLockedError,
        readonly attempts: number,
        readonly waitedMs: number,
    ) {
        super(last.ref, last.holder);
        this.message =
            `${stackLabel(last.ref)} is still locked after ${attempts} attempts over ${formatDuration(waitedMs)} (${last.holder}). ` +
            (last.release ??
                `If no update is running any more (a runner was killed), release the lock with \`pulumi cancel --yes --cwd ${last.ref.project} --stack ${last.ref.stack}\` and run again.`) +
            " To wait longer, pass --lock-timeout.";
    }
}

/** Sleeps `ms`, or less when `signal` aborts (then it rejects with the signal's reason). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}

/** Runs `operation`, retrying with exponential backoff only while the stack is locked by another update, until the policy's deadline. */
export async function retryWhileLocked<T>(operation: () => Promise<T>, policy: Partial<LockRetryPolicy> = {}): Promise<T> {
    const {
        timeoutMs,
        attempts,
        initialDelayMs,
        maxDelayMs,
        sleep = abortableSleep,
        onRetry,
        signal,
    } = { ...DEFAULT_LOCK_RETRY, ...policy };
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
        try {
            return await operation();
        } catch (error) {
            if (!(error instanceof StackLockedError)) {
                throw error;
            }
            const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1), timeoutMs - waited);
            if (attempt >= attempts || delay <= 0) {
                throw new StackStillLockedError(error, attempt, waited);
            }
            if (signal?.aborted) {
                throw new OperationCancelledError(error.ref, "while it waited for another update's lock; nothing was changed");
            }
            onRetry?.(error, attempt, delay);
            try {
                await sleep(delay, signal);
            } catch (reason) {
                if (signal?.aborted) {
                    throw new OperationCancelledError(error.ref, "while it waited for another update's lock; nothing was changed");
                }
                throw reason;
            }
            waited += delay;
        }
    }
}

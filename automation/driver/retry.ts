import { StackLockedError, stackLabel } from "./engine";

export interface LockRetryPolicy {
    /** Tries in all, the first included. */
    attempts: number;
    initialDelayMs: number;
    maxDelayMs: number;
    sleep?: (ms: number) => Promise<void>;
    onRetry?: (error: StackLockedError, attempt: number, delayMs: number) => void;
}

/** A PR push usually finds the previous run of the same PR still finishing: wait a few minutes, then say so. */
export const DEFAULT_LOCK_RETRY: LockRetryPolicy = { attempts: 6, initialDelayMs: 10_000, maxDelayMs: 120_000 };

/** The stack stayed locked through every retry. */
export class StackStillLockedError extends StackLockedError {
    constructor(
        last: StackLockedError,
        readonly attempts: number,
        readonly waitedMs: number,
    ) {
        super(last.ref, last.holder);
        this.message =
            `${stackLabel(last.ref)} is still locked after ${attempts} attempts over ${Math.round(waitedMs / 1000)} s (${last.holder}). ` +
            `If no update is running any more (a runner was killed), release the lock with ` +
            `\`pulumi cancel --yes --cwd ${last.ref.project} --stack ${last.ref.stack}\` and run again.`;
    }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation`, retrying with exponential backoff only while the stack is locked by another update. */
export async function retryWhileLocked<T>(operation: () => Promise<T>, policy: Partial<LockRetryPolicy> = {}): Promise<T> {
    const { attempts, initialDelayMs, maxDelayMs, sleep = defaultSleep, onRetry } = { ...DEFAULT_LOCK_RETRY, ...policy };
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
        try {
            return await operation();
        } catch (error) {
            if (!(error instanceof StackLockedError)) {
                throw error;
            }
            if (attempt >= attempts) {
                throw new StackStillLockedError(error, attempt, waited);
            }
            const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
            onRetry?.(error, attempt, delay);
            await sleep(delay);
            waited += delay;
        }
    }
}

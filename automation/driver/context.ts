import type { EventEmitter } from "events";

import { OperationalError } from "../../lib/errors";

import { formatDuration } from "../deadline";
import type { Engine, StackRef } from "./engine";
import { retryWhileLocked, type LockRetryPolicy } from "./retry";
import { withCancellation } from "./signals";

/** What the PR and promotion drivers run with. */
export interface DriverContext {
    engine: Engine;
    /** Progress for a person (the CLI sends it to stderr so stdout stays the report). */
    log: (text: string) => void;
    lockRetry?: Partial<LockRetryPolicy>;
    repoRoot?: string;
    now?: () => Date;
    /** Where SIGINT/SIGTERM come from (tests pass their own emitter). */
    signals?: EventEmitter;
}

/** One engine operation as the drivers run it: cancellable by the runner's signals, retried while the stack is locked. */
export function runOperation<T>(ctx: DriverContext, ref: StackRef, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withCancellation(
        ctx.engine,
        ref,
        (signal, running) =>
            retryWhileLocked(() => running(() => operation(signal)), {
                ...ctx.lockRetry,
                signal,
                onRetry: (error, attempt, delay) => ctx.log(`${error.message}; retry ${attempt} in ${formatDuration(delay)}\n`),
            }),
        { signals: ctx.signals, log: ctx.log },
    );
}

/** An operation failed after producing a report: the CLI publishes the Markdown, then fails. */
export class ReportedError extends OperationalError {
    constructor(
        readonly cause: Error,
        readonly markdown: string,
    ) {
        super(cause.message);
        this.name = cause.name;
    }
}

import type { EventEmitter } from "events";

import { stackLabel, type Engine, type StackRef } from "./engine";

export const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Marks an engine call as running (from its start until it settles): only then is there an update of ours to cancel. */
export type Running = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * Runs `operation` so that a runner going away cancels it cleanly. GitHub Actions cancels a job
 * with SIGINT, then SIGTERM 7.5 s later, then SIGKILL: the first signal aborts the operation (the
 * Pulumi CLI gets SIGINT and stops after the in-flight steps, recording them; a wait for another
 * update's lock ends at once), the second one asks the backend to cancel the update (`pulumi
 * cancel`) so the stack is not left locked for the next run — but only while an engine call of this
 * run is in flight: a run that is waiting for someone else's lock holds nothing, and cancelling
 * then would cancel the other runner's update.
 */
export async function withCancellation<T>(
    engine: Engine,
    ref: StackRef,
    operation: (signal: AbortSignal, running: Running) => Promise<T>,
    options: { signals?: EventEmitter; log?: (line: string) => void } = {},
): Promise<T> {
    const signals = options.signals ?? process;
    const controller = new AbortController();
    let received = 0;
    let inFlight = 0;
    const running: Running = async (call) => {
        inFlight++;
        try {
            return await call();
        } finally {
            inFlight--;
        }
    };
    const onSignal = (name: string): void => {
        received++;
        if (received === 1) {
            options.log?.(`${name} received: stopping the operation on ${stackLabel(ref)} (after the steps in flight)\n`);
            controller.abort(new Error(`${name} received`));
            return;
        }
        if (inFlight === 0) {
            options.log?.(
                `${name} received again: no update of this run is in flight on ${stackLabel(ref)}; nothing to cancel, no lock touched\n`,
            );
            return;
        }
        options.log?.(`${name} received again: cancelling this run's update of ${stackLabel(ref)} in the backend\n`);
        engine.cancel(ref).catch((error: unknown) => options.log?.(`cancel failed: ${(error as Error).message}\n`));
    };
    const handlers = CANCEL_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
    for (const [name, handler] of handlers) {
        signals.on(name, handler);
    }
    try {
        return await operation(controller.signal, running);
    } finally {
        for (const [name, handler] of handlers) {
            signals.removeListener(name, handler);
        }
    }
}

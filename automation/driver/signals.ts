import type { EventEmitter } from "events";

import type { Engine, StackRef } from "./engine";

export const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs `operation` so that a runner going away cancels it cleanly. GitHub Actions cancels a job
 * with SIGINT, then SIGTERM 7.5 s later, then SIGKILL: the first signal aborts the operation (the
 * Pulumi CLI gets SIGINT and stops after the in-flight steps, recording them), the second one asks
 * the backend to cancel the update (`pulumi cancel`) so the stack is not left locked for the next run.
 */
export async function withCancellation<T>(
    engine: Engine,
    ref: StackRef,
    operation: (signal: AbortSignal) => Promise<T>,
    options: { signals?: EventEmitter; log?: (line: string) => void } = {},
): Promise<T> {
    const signals = options.signals ?? process;
    const controller = new AbortController();
    let received = 0;
    const onSignal = (name: string): void => {
        received++;
        if (received === 1) {
            options.log?.(`${name} received: stopping the operation on ${ref.project}/${ref.stack} after the steps in flight\n`);
            controller.abort();
            return;
        }
        options.log?.(`${name} received again: cancelling the update in the backend\n`);
        engine.cancel(ref).catch((error: unknown) => options.log?.(`cancel failed: ${(error as Error).message}\n`));
    };
    const handlers = CANCEL_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
    for (const [name, handler] of handlers) {
        signals.on(name, handler);
    }
    try {
        return await operation(controller.signal);
    } finally {
        for (const [name, handler] of handlers) {
            signals.removeListener(name, handler);
        }
    }
}

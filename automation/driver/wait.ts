import { formatDuration } from "../deadline";
import { EngineError } from "./engine";
import type { DriverContext } from "./context";

export interface WaitOptions {
    intervalMs?: number;
    fetch?: (url: string) => Promise<{ status: number }>;
    sleep?: (ms: number) => Promise<void>;
}

/**
 * `pr up --wait`: Pulumi is done when the Argo CD Application exists; the PR's pods come up after
 * it syncs. Waits until the PR's host answers through the test ALB with anything but a 5xx
 * (502/503 mean no healthy target yet).
 */
export async function waitForEnvironment(ctx: DriverContext, url: string, timeoutMs: number, options: WaitOptions = {}): Promise<void> {
    if (ctx.engine.kind === "offline") {
        ctx.log(`--wait: offline run, nothing is deployed at ${url}\n`);
        return;
    }
    const get = options.fetch ?? ((target: string) => fetch(target, { redirect: "manual", signal: AbortSignal.timeout(10_000) }));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const interval = options.intervalMs ?? 15_000;
    let last = "no answer yet";
    for (let waited = 0; waited <= timeoutMs; waited += interval) {
        try {
            const { status } = await get(url);
            if (status < 500) {
                ctx.log(`${url} answers (HTTP ${status}) after ${formatDuration(waited)}\n`);
                return;
            }
            last = `HTTP ${status}`;
        } catch (error) {
            last = (error as Error).message;
        }
        await sleep(interval);
    }
    throw new EngineError(
        `${url} did not become healthy within ${formatDuration(timeoutMs)} (last: ${last}); check the Argo CD Application pr-<n> in the hub`,
    );
}

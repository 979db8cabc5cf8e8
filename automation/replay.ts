import { SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import { HELP, PROCESS_IO, reportError, runAsProcess } from "./cli/framework";
import { ReplayClock, ReplayIo, replayDeadLetters } from "./replay/move";
import { parseReplayOptions, REPLAY_USAGE } from "./replay/options";

const POLL_INTERVAL_MS = 5_000;

/** The SQS client of a replay: every request has a deadline (connect and answer), retried a few times. */
export function replayClient(
    region: string,
    requestTimeoutMs: number,
    config: Omit<SQSClientConfig, "region" | "requestHandler"> = {},
): SQSClient {
    return new SQSClient({
        maxAttempts: 3,
        ...config,
        region,
        requestHandler: { connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
    });
}

/**
 * `npm run replay -- --env <env> ...`: returns the exit code (0 done, 1 failed, 2 bad usage).
 * The SQS client is injectable so tests run against aws-sdk-client-mock.
 */
export async function runReplay(
    argv: string[],
    io: ReplayIo,
    deps: { sqs?: (region: string, requestTimeoutMs: number) => SQSClient; clock?: ReplayClock; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
    try {
        const options = parseReplayOptions(argv, deps.env ?? process.env);
        if (options === HELP) {
            io.stdout(`${REPLAY_USAGE}\n`);
            return 0;
        }
        const sqs = (deps.sqs ?? replayClient)(options.region, options.requestTimeoutMs);
        const clock = deps.clock ?? {
            pollIntervalMs: POLL_INTERVAL_MS,
            sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
        };
        await replayDeadLetters(sqs, options, io, clock);
        return 0;
    } catch (error) {
        return reportError("replay", error, io, 1);
    }
}

if (require.main === module) {
    runAsProcess((argv) => runReplay(argv, PROCESS_IO));
}

import { SQSClient } from "@aws-sdk/client-sqs";
import { ReplayClock, ReplayError, ReplayIo, replayDeadLetters } from "./replay/move";
import { UsageError } from "../lib/errors";
import { parseReplayOptions, REPLAY_USAGE } from "./replay/options";

const POLL_INTERVAL_MS = 5_000;

/**
 * `npm run replay -- --env <env> ...`: returns the exit code (0 done, 1 failed, 2 bad usage).
 * The SQS client is injectable so tests run against aws-sdk-client-mock.
 */
export async function runReplay(
    argv: string[],
    io: ReplayIo,
    deps: { sqs?: (region: string) => SQSClient; clock?: ReplayClock; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
    let options;
    try {
        options = parseReplayOptions(argv, deps.env ?? process.env);
    } catch (error) {
        if (error instanceof UsageError) {
            io.stderr(`replay: ${error.message}\n\n${REPLAY_USAGE}\n`);
            return 2;
        }
        throw error;
    }
    if (options === "help") {
        io.stdout(`${REPLAY_USAGE}\n`);
        return 0;
    }
    const sqs = (deps.sqs ?? ((region) => new SQSClient({ region })))(options.region);
    const clock = deps.clock ?? { pollIntervalMs: POLL_INTERVAL_MS, sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    try {
        await replayDeadLetters(sqs, options, io, clock);
        return 0;
    } catch (error) {
        const prefix = error instanceof ReplayError ? "replay" : `replay: AWS error (${(error as Error).name})`;
        io.stderr(`${prefix}: ${(error as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    runReplay(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
        },
    );
}

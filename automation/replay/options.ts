import { REGION_PATTERN } from "../../lib/arn";
import { DEFAULT_REGION, isPullRequestEnvironment, isWorkloadEnvironment } from "../../lib/environments";
import { HELP, UsageError, optionsHelp, parseOptions, type OptionSpecs } from "../cli/framework";
import { parseDuration } from "../deadline";

const REPLAY_OPTIONS = {
    env: { type: "string", value: "ENV", help: "test, preprod, prod or pr-<n>" },
    "max-per-second": { type: "string", value: "N", help: "throttle the move (1-500 messages per second; default: as fast as SQS allows)" },
    "dry-run": { type: "boolean", help: "check both queues and show what would move, without moving anything" },
    region: { type: "string", value: "REGION", help: `default: AWS_REGION, else ${DEFAULT_REGION}` },
    "request-timeout": {
        type: "string",
        value: "DURATION",
        help: "give up on one SQS request (connect + answer) after this long (default 30s)",
    },
    timeout: { type: "string", value: "DURATION", help: "give up following the move task after this long; it goes on in SQS (default 1h)" },
} as const satisfies OptionSpecs;

export const REPLAY_USAGE = `Usage:
  npm run replay -- --env <test|preprod|prod|pr-<n>> [options]

Moves the messages of <env>-payments-processing-dlq back to <env>-payments-processing with an
SQS message move task, and follows it until it finishes. Run it with credentials for the
environment's account, after fixing what made the messages fail.

${optionsHelp(REPLAY_OPTIONS)}

Exit codes: 0 moved (or nothing to move), 1 the move failed, was cancelled or timed out, 2 bad usage.`;

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_REPLAY_TIMEOUT_MS = 60 * 60_000;

/** SQS caps a move task's rate at 500 messages per second. */
export const MAX_MESSAGES_PER_SECOND = 500;

export interface ReplayOptions {
    env: string;
    region: string;
    maxPerSecond?: number;
    dryRun: boolean;
    requestTimeoutMs: number;
    timeoutMs: number;
}

/** `--help` asks for the usage text; anything else wrong is a UsageError listing every problem. */
export function parseReplayOptions(argv: string[], processEnv: NodeJS.ProcessEnv = process.env): ReplayOptions | typeof HELP {
    const flags = parseOptions(argv, REPLAY_OPTIONS);
    if (flags === HELP) {
        return HELP;
    }
    const problems: string[] = [];
    const env = flags.env;
    if (env === undefined) {
        problems.push("--env is required");
    } else if (!isWorkloadEnvironment(env) && !isPullRequestEnvironment(env)) {
        problems.push(`--env "${env}" is not a workloads environment (test, preprod, prod or pr-<n>)`);
    }
    const rate = flags["max-per-second"];
    const maxPerSecond = rate === undefined ? undefined : Number(rate);
    if (maxPerSecond !== undefined && !(/^\d+$/.test(rate!) && maxPerSecond >= 1 && maxPerSecond <= MAX_MESSAGES_PER_SECOND)) {
        problems.push(`--max-per-second "${rate}" must be a whole number from 1 to ${MAX_MESSAGES_PER_SECOND}`);
    }
    const region = flags.region ?? (processEnv.AWS_REGION || DEFAULT_REGION);
    if (!REGION_PATTERN.test(region)) {
        problems.push(`region "${region}" is not an AWS region name (e.g. ${DEFAULT_REGION})`);
    }
    const duration = (flag: "request-timeout" | "timeout", fallback: number): number => {
        try {
            return flags[flag] === undefined ? fallback : parseDuration(flags[flag] as string, `--${flag}`);
        } catch (error) {
            problems.push((error as Error).message);
            return fallback;
        }
    };
    const requestTimeoutMs = duration("request-timeout", DEFAULT_REQUEST_TIMEOUT_MS);
    const timeoutMs = duration("timeout", DEFAULT_REPLAY_TIMEOUT_MS);
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
    return { env: env!, region, maxPerSecond, dryRun: flags["dry-run"] === true, requestTimeoutMs, timeoutMs };
}

import { REGION_PATTERN } from "../../lib/arn";
import { DEFAULT_REGION, isPullRequestEnvironment, isWorkloadEnvironment } from "../../lib/environments";
import { UsageError } from "../../lib/errors";
import { parseArgs } from "../cli/args";

export const REPLAY_USAGE = `Usage:
  npm run replay -- --env <test|preprod|prod|pr-<n>> [--max-per-second N] [--dry-run] [--region REGION]

Moves the messages of <env>-payments-processing-dlq back to <env>-payments-processing with an
SQS message move task, and follows it until it finishes. Run it with credentials for the
environment's account, after fixing what made the messages fail.

  --max-per-second N  throttle the move (1-500 messages per second; default: as fast as SQS allows)
  --dry-run           check both queues and show what would move, without moving anything
  --region REGION     default: AWS_REGION, else ${DEFAULT_REGION}

Exit codes: 0 moved (or nothing to move), 1 the move failed or was cancelled, 2 bad usage.`;

/** SQS caps a move task's rate at 500 messages per second. */
export const MAX_MESSAGES_PER_SECOND = 500;

export interface ReplayOptions {
    env: string;
    region: string;
    maxPerSecond?: number;
    dryRun: boolean;
}

/** `--help` asks for the usage text; anything else wrong is a UsageError listing every problem. */
export function parseReplayOptions(argv: string[], processEnv: NodeJS.ProcessEnv = process.env): ReplayOptions | "help" {
    let parsed;
    try {
        parsed = parseArgs(argv, { values: ["env", "max-per-second", "region"], booleans: ["dry-run", "help"] });
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const { flags } = parsed;
    if (flags.has("help")) {
        return "help";
    }
    const problems: string[] = [];
    const env = flags.get("env") as string | undefined;
    if (env === undefined) {
        problems.push("--env is required");
    } else if (!isWorkloadEnvironment(env) && !isPullRequestEnvironment(env)) {
        problems.push(`--env "${env}" is not a workloads environment (test, preprod, prod or pr-<n>)`);
    }
    const rate = flags.get("max-per-second") as string | undefined;
    const maxPerSecond = rate === undefined ? undefined : Number(rate);
    if (maxPerSecond !== undefined && !(/^\d+$/.test(rate!) && maxPerSecond >= 1 && maxPerSecond <= MAX_MESSAGES_PER_SECOND)) {
        problems.push(`--max-per-second "${rate}" must be a whole number from 1 to ${MAX_MESSAGES_PER_SECOND}`);
    }
    const region = (flags.get("region") as string | undefined) ?? processEnv.AWS_REGION ?? DEFAULT_REGION;
    if (!REGION_PATTERN.test(region)) {
        problems.push(`region "${region}" is not an AWS region name (e.g. ${DEFAULT_REGION})`);
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("; "));
    }
    return { env: env!, region, maxPerSecond, dryRun: flags.has("dry-run") };
}

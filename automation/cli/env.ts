import { parseDuration } from "../deadline";
import { optionalString, parseChartVersion, requireString } from "../driver/args";
import { EXIT, assertReportFilesWritable, makeEngine, reportFailure } from "../driver/cli";
import { envRun } from "../driver/env";
import { publish } from "../driver/markdown";
import type { DriverContext } from "../driver/context";
import { HELP, PROCESS_IO, UsageError, optionsHelp, parseOptions, runAsProcess, type CliIo, type OptionSpecs } from "./framework";
import { COMMON_OPTIONS } from "./pr";

const ENV_OPTIONS = {
    env: { type: "string", value: "ENV", help: "test, preprod or prod" },
    layer: { type: "string", value: "LAYER", help: "only platform or only workloads (default: platform then workloads)" },
    "chart-version": { type: "string", value: "V", help: "pin workloads:chartVersion for this promotion" },
    confirm: { type: "string", value: "ENV", help: "updating prod needs --confirm prod (the deploy workflow passes it after approval)" },
    ...COMMON_OPTIONS,
} as const satisfies OptionSpecs;

export const ENV_USAGE = `Usage: npm run env -- <preview|up> --env <test|preprod|prod> [options]

Runs platform/<env> then workloads/<env> (or only --layer) with the policy pack.

${optionsHelp(ENV_OPTIONS)}

Exit codes: 0 ok, 1 the operation failed, 2 bad usage or a refused target.`;

export async function runEnvCli(argv: string[], io: CliIo = PROCESS_IO, context: Partial<DriverContext> = {}): Promise<number> {
    const [action, ...rest] = argv;
    let commentFile: string | undefined;
    try {
        if (action === "--help" || action === "-h" || action === "help") {
            io.stdout(`${ENV_USAGE}\n`);
            return EXIT.ok;
        }
        if (action !== "preview" && action !== "up") {
            throw new UsageError(
                action === undefined ? "a command (preview or up) is required" : `unknown command "${action}" (preview or up)`,
            );
        }
        const parsed = parseOptions(rest, ENV_OPTIONS);
        if (parsed === HELP) {
            io.stdout(`${ENV_USAGE}\n`);
            return EXIT.ok;
        }
        const flags = parsed as Record<string, string | boolean | undefined>;
        commentFile = optionalString(flags, "markdown");
        const chart = optionalString(flags, "chart-version");
        const lockTimeout = optionalString(flags, "lock-timeout");
        const request = {
            action,
            env: requireString(flags, "env", "test, preprod or prod"),
            layer: optionalString(flags, "layer"),
            chartVersion: chart === undefined ? undefined : parseChartVersion(chart),
            confirm: optionalString(flags, "confirm"),
        } as const;
        assertReportFilesWritable(commentFile, io);
        const ctx: DriverContext = {
            engine: makeEngine({ offline: flags.offline === true, stateDir: optionalString(flags, "state-dir") }),
            log: io.stderr,
            ...context,
            lockRetry: {
                ...(lockTimeout === undefined ? {} : { timeoutMs: parseDuration(lockTimeout, "--lock-timeout") }),
                ...context.lockRetry,
            },
        };
        const report = await envRun(ctx, request);
        io.stdout(report.markdown);
        publish(report.markdown, { commentFile, env: io.env });
        const mandatory = report.results.some((r) => r.policyViolations.some((v) => v.enforcementLevel === "mandatory"));
        return mandatory ? EXIT.failed : EXIT.ok;
    } catch (error) {
        return reportFailure("env", error, io, commentFile);
    }
}

if (require.main === module) {
    runAsProcess((argv) => runEnvCli(argv));
}

import { UsageError } from "../../lib/errors";
import { optionalString, parseChartVersion, parseFlags, requireString } from "../driver/args";
import { EXIT, PROCESS_IO, makeEngine, reportFailure, type CliIo } from "../driver/cli";
import { envRun } from "../driver/env";
import { publish } from "../driver/markdown";
import type { DriverContext } from "../driver/context";

export const ENV_USAGE = `Usage: npm run env -- <preview|up> --env <test|preprod|prod> [--layer platform|workloads]
                      [--chart-version <v>] [--confirm prod] [--offline] [--state-dir DIR] [--markdown FILE]

Runs platform/<env> then workloads/<env> (or only --layer) with the policy pack.
--chart-version pins workloads:chartVersion for this promotion.
Updating prod needs --confirm prod (the deploy workflow passes it after the prod environment's approval).
Exit codes: 0 ok, 1 the operation failed, 2 bad usage or a refused target.`;

const SPEC = {
    env: { type: "string" },
    layer: { type: "string" },
    "chart-version": { type: "string" },
    confirm: { type: "string" },
    offline: { type: "boolean" },
    "state-dir": { type: "string" },
    markdown: { type: "string" },
} as const;

export async function runEnvCli(argv: string[], io: CliIo = PROCESS_IO, context: Partial<DriverContext> = {}): Promise<number> {
    const [action, ...rest] = argv;
    let commentFile: string | undefined;
    try {
        if (action !== "preview" && action !== "up") {
            throw new UsageError(action === undefined ? "a command (preview or up) is required" : `unknown command "${action}"`);
        }
        const flags = parseFlags(rest, SPEC) as Record<string, string | boolean | undefined>;
        commentFile = optionalString(flags, "markdown");
        const chart = optionalString(flags, "chart-version");
        const request = {
            action,
            env: requireString(flags, "env", "test, preprod or prod"),
            layer: optionalString(flags, "layer"),
            chartVersion: chart === undefined ? undefined : parseChartVersion(chart),
            confirm: optionalString(flags, "confirm"),
        } as const;
        const ctx: DriverContext = {
            engine: makeEngine({ offline: flags.offline === true, stateDir: optionalString(flags, "state-dir") }),
            log: io.stderr,
            ...context,
        };
        const report = await envRun(ctx, request);
        io.stdout(report.markdown);
        publish(report.markdown, { commentFile, env: io.env });
        const mandatory = report.results.some((r) => r.policyViolations.some((v) => v.enforcementLevel === "mandatory"));
        return mandatory ? EXIT.failed : EXIT.ok;
    } catch (error) {
        return reportFailure("env", error, io, ENV_USAGE, commentFile);
    }
}

if (require.main === module) {
    runEnvCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

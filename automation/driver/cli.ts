/** What the `pr` and `env` CLIs share: engine choice, output files, and the mapping of failures to exit codes. */
import { reportError, type CliIo } from "../cli/framework";
import { assertWritable } from "../cli/output-files";
import { AutomationApiEngine } from "./automation-engine";
import type { Engine } from "./engine";
import { publish } from "./markdown";
import { OfflineEngine } from "./offline-engine";
import { ReportedError } from "./context";

/** Exit codes of both CLIs. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function makeEngine(options: { offline: boolean; stateDir?: string }): Engine {
    return options.offline ? new OfflineEngine({ stateDir: options.stateDir }) : new AutomationApiEngine();
}

/** The report files a run will write, checked before it changes anything. */
export function assertReportFilesWritable(commentFile: string | undefined, io: CliIo): void {
    if (commentFile !== undefined) {
        assertWritable(commentFile, "--markdown");
    }
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) {
        assertWritable(summary, "GITHUB_STEP_SUMMARY");
    }
}

/** Prints the failure (with the report when there is one) and returns the exit code. */
export function reportFailure(
    command: string,
    error: unknown,
    io: CliIo,
    commentFile?: string,
    helpCommand = `npm run ${command} -- --help`,
): number {
    if (error instanceof ReportedError) {
        io.stdout(error.markdown);
        publish(error.markdown, { commentFile, env: io.env });
    }
    return reportError(command, error, io, EXIT.failed, helpCommand);
}

/** What the `pr` and `env` CLIs share: engine choice, output, and the mapping of failures to exit codes. */
import { isUserError, UsageError } from "../../lib/errors";
import { AutomationApiEngine } from "./automation-engine";
import { EngineError, type Engine } from "./engine";
import { publish } from "./markdown";
import { OfflineEngine } from "./offline-engine";
import { ReportedError } from "./context";

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    env: NodeJS.ProcessEnv;
}

export const PROCESS_IO: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
};

/** Exit codes of both CLIs. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function makeEngine(options: { offline: boolean; stateDir?: string }): Engine {
    return options.offline ? new OfflineEngine({ stateDir: options.stateDir }) : new AutomationApiEngine();
}

/** Prints the failure (with the report when there is one) and returns the exit code. */
export function reportFailure(command: string, error: unknown, io: CliIo, usage: string, commentFile?: string): number {
    if (error instanceof ReportedError) {
        io.stdout(error.markdown);
        publish(error.markdown, { commentFile, env: io.env });
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isUserError(error)) {
        io.stderr(`${command}: ${message}\n${error instanceof UsageError ? `\n${usage}\n` : ""}`);
        return EXIT.usage;
    }
    const known = error instanceof EngineError || error instanceof ReportedError;
    io.stderr(`${command}: ${known || !(error instanceof Error) ? message : (error.stack ?? message)}\n`);
    return EXIT.failed;
}

/** What a program (or the SDK) logs while it runs: the engine shows it under the stack. */
/** A message the program or the SDK logged, as the engine would show it under the stack. */
export interface Diagnostic {
    severity: "info" | "warning" | "error";
    message: string;
}

/** How the CLI prints a diagnostic: the format the SDK uses when no engine listens. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
    return `${diagnostic.severity}: [runtime] ${diagnostic.message}\n`;
}

const LOG_SEVERITIES: Record<number, Diagnostic["severity"]> = { 1: "info", 2: "warning", 3: "error" };

/**
 * The part of the engine's gRPC client the SDK calls outside a deployment: logs go to `sink`
 * (debug messages, which the CLI hides too, go nowhere), and the root-resource handshake is
 * acknowledged.
 */
export function diagnosticsEngine(sink: (diagnostic: Diagnostic) => void) {
    type Callback = (error: Error | null, response?: unknown) => void;
    return {
        log(request: { getSeverity(): number; getMessage(): string }, callback: Callback): void {
            const severity = LOG_SEVERITIES[request.getSeverity()];
            if (severity !== undefined) {
                sink({ severity, message: request.getMessage() });
            }
            callback(null);
        },
        setRootResource(_request: unknown, callback: Callback): void {
            callback(null);
        },
        requirePulumiVersion(_request: unknown, callback: Callback): void {
            callback(null);
        },
    };
}

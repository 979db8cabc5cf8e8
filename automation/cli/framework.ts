/**
 * The command-line framework of every CLI in the repository (plan, pr, env, replay, bench), on
 * Node's own `util.parseArgs` in strict mode. What every CLI gets from here:
 * - `--help`/`-h` prints the usage on stdout and exits 0;
 * - an unknown flag, a flag given twice, a missing or empty value, a value on a boolean flag
 *   (`--offline=false`) or a stray argument is a UsageError: all of them reported at once, exit 2;
 * - one error type for the person running it (UserError, lib/errors.ts): message only, exit 2;
 *   anything else is a bug and keeps its stack trace.
 *
 * Adding an option to a CLI is one line in its options table (the usage text is generated from
 * it); see docs/cli.md.
 */
import { parseArgs } from "node:util";

import { OperationalError, UsageError, UserError } from "../../lib/errors";

// Every CLI imports the framework; the class itself lives in lib/ so that lib's own checks can throw it.
export { UsageError };

export interface OptionSpec {
    type: "string" | "boolean";
    /** May be given more than once (e.g. `--config key=value`); every other option only once. */
    multiple?: boolean;
    /** The value's placeholder in the usage text, e.g. `FILE`. */
    value?: string;
    /** One line for the usage text. */
    help: string;
}
export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues<O extends OptionSpecs> = {
    [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : O[K]["multiple"] extends true ? string[] : string;
};

/** `parseOptions` found `--help`: print the usage and exit 0. */
export const HELP = Symbol("help");

function wantsHelp(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** Node's parse errors, in the words of the rest of our messages (its advice about positionals does not apply). */
function describeParseError(message: string): string {
    const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
    if (/^Unknown option/.test(message)) {
        return `unknown option "${option}"`;
    }
    if (/argument missing/.test(message)) {
        return `${option} needs a value`;
    }
    if (/argument is ambiguous/.test(message)) {
        return `${option} needs a value (the next argument is an option; a value starting with "-" goes as ${option}=VALUE)`;
    }
    const positional = /^Unexpected argument '([^']*)'/.exec(message);
    if (positional) {
        return `unexpected argument "${positional[1]}" (every value goes after its --option)`;
    }
    return message.split(/\.\s/)[0].replace(/\.$/, "");
}

/**
 * Parses `argv` strictly against `options`. Returns HELP when `--help` or `-h` is among the
 * arguments (whatever else is wrong), else the values; throws one UsageError listing every problem.
 */
export function parseOptions<O extends OptionSpecs>(argv: readonly string[], options: O): OptionValues<O> | typeof HELP {
    if (wantsHelp(argv)) {
        return HELP;
    }
    const problems: string[] = [];
    // util.parseArgs stops at the first problem; these are the ones a person makes most, so name them all.
    for (const arg of argv) {
        const match = /^--([^=]+)=/.exec(arg);
        if (match && options[match[1]]?.type === "boolean") {
            problems.push(`--${match[1]} takes no value ("${arg}"): give --${match[1]} to turn it on, leave it out to keep it off`);
        }
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: Object.fromEntries(
                Object.entries(options).map(([name, spec]) => [name, { type: spec.type, multiple: spec.multiple === true }]),
            ),
            strict: true,
            allowPositionals: false,
            tokens: true,
        });
    } catch (error) {
        if (typeof (error as { code?: unknown }).code === "string" && (error as { code: string }).code.startsWith("ERR_PARSE_ARGS")) {
            throw new UsageError(describeParseError((error as Error).message));
        }
        throw error;
    }
    const seen = new Map<string, number>();
    for (const token of parsed.tokens ?? []) {
        if (token.kind !== "option") {
            continue;
        }
        seen.set(token.name, (seen.get(token.name) ?? 0) + 1);
        if (options[token.name]?.type === "string" && token.value === "") {
            problems.push(
                `--${token.name} was given an empty value: give a ${options[token.name].value ?? "value"} (an unset variable in a workflow expands to nothing)`,
            );
        }
    }
    for (const [name, count] of seen) {
        if (count > 1 && options[name]?.multiple !== true) {
            problems.push(`--${name} was given ${count} times: give it once`);
        }
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
    return parsed.values as OptionValues<O>;
}

/** The options table as usage text: one line per option, in the table's order. */
export function optionsHelp(options: OptionSpecs): string {
    const left = Object.entries(options).map(
        ([name, spec]) => `--${name}${spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : ""}${spec.multiple ? " ..." : ""}`,
    );
    const width = Math.max(...left.map((l) => l.length)) + 2;
    return Object.values(options)
        .map((spec, i) => `  ${left[i].padEnd(width)}${spec.help}`)
        .join("\n");
}

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    env: NodeJS.ProcessEnv;
    /** Whether stdout is a terminal (a person reads it); absent means not (a pipe, a file, a test). */
    stdoutIsTerminal?: boolean;
}

export const PROCESS_IO: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTerminal: process.stdout.isTTY === true,
};

/** `--json` was asked for on a stdout that npm's script banner already started. */
export class NpmBannerError extends UserError {}

/**
 * Refuses `--json` on a stdout that already holds npm's `> package@version script` banner: `npm run
 * <script>` prints it on stdout, before the script starts, at every loglevel but `silent`
 * (npm/cli#3354), and `silent` would hide npm's own errors too (a misspelt script, an unreachable
 * registry). `json=true` moves the banner to stderr but then appends npm's own JSON error object to
 * stdout whenever the script exits non-zero. So the banner cannot be kept off stdout by config: a
 * program reading the JSON would get a broken document and no explanation, and this refusal names
 * the two invocations that give one document. A person at a terminal is let through.
 */
export function refuseNpmBannerBeforeJson(script: string, io: Pick<CliIo, "env" | "stdoutIsTerminal">): void {
    const { npm_lifecycle_event: event, npm_command: command, npm_config_loglevel: loglevel, npm_config_json: json } = io.env;
    const bannered = event === script && (command === "run" || command === "run-script") && loglevel !== "silent" && json !== "true";
    if (bannered && io.stdoutIsTerminal !== true) {
        throw new NpmBannerError(
            `npm printed its "> ${io.env.npm_package_name ?? "package"}@${io.env.npm_package_version ?? "version"} ${script}" banner on this stdout before --json ` +
                `(it does at every loglevel but silent), so stdout would not be one JSON document: run \`npm run -s ${script} -- ...\` (-s: silent) ` +
                `${script === "plan" ? "or write the document with --out FILE" : "instead"}; nothing was run`,
        );
    }
}

/** Exit code of every user error, in every CLI. */
export const USAGE_EXIT = 2;

/**
 * Prints a failure: a user error as its message (a UsageError with where to find the usage), exit
 * 2; an OperationalError as its message, exit `failed`; anything else is a bug: its stack trace,
 * exit `failed`.
 */
export function reportError(
    program: string,
    error: unknown,
    io: Pick<CliIo, "stderr">,
    failed: number,
    helpCommand = `npm run ${program} -- --help`,
): number {
    if (error instanceof UserError) {
        const hint = error instanceof UsageError ? `\n(run \`${helpCommand}\` for the usage)` : "";
        io.stderr(`${program}: ${error.message}${hint}\n`);
        return USAGE_EXIT;
    }
    if (error instanceof OperationalError) {
        io.stderr(`${program}: ${error.message}\n`);
        return failed;
    }
    io.stderr(`${program}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return failed;
}

/** Runs a CLI's entry point as the process: its exit code becomes the process's. */
export function runAsProcess(run: (argv: string[]) => Promise<number>): void {
    run(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.exitCode = reportError(process.argv[1] ?? "cli", error, PROCESS_IO, 1);
        },
    );
}

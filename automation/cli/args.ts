import { UsageError } from "../../lib/errors";

export interface ParsedArgs {
    flags: Map<string, string | true>;
    /** Flags that may repeat (e.g. --config), in order. */
    lists: Map<string, string[]>;
}

/**
 * Strict `--flag value` parsing for the repository's CLIs: unknown flags and missing values are
 * usage errors, all reported at once.
 */
export function parseArgs(argv: string[], spec: { values: string[]; booleans: string[]; repeatable?: string[] }): ParsedArgs {
    const flags = new Map<string, string | true>();
    const lists = new Map<string, string[]>();
    const problems: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(2, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg.slice(2), undefined];
        if (!arg.startsWith("--")) {
            problems.push(`unexpected argument "${arg}"`);
        } else if (spec.booleans.includes(name)) {
            flags.set(name, true);
        } else if (spec.values.includes(name) || spec.repeatable?.includes(name)) {
            const value = inline ?? argv[i + 1];
            if (inline === undefined) {
                i++;
            }
            if (value === undefined || (inline === undefined && value.startsWith("--"))) {
                problems.push(`--${name} needs a value`);
                if (value?.startsWith("--")) {
                    i--;
                }
            } else if (spec.repeatable?.includes(name)) {
                lists.set(name, [...(lists.get(name) ?? []), value]);
            } else {
                flags.set(name, value);
            }
        } else {
            problems.push(`unknown option "${arg}"`);
        }
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("; "));
    }
    return { flags, lists };
}

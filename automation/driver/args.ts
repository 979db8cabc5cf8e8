import { UsageError } from "../../lib/errors";
import { parseArgs } from "../cli/args";

export type FlagSpec = Record<string, { type: "string" | "boolean" }>;

/**
 * Strict flag parsing (the repository's one parser): unknown flags, missing values and stray
 * arguments are usage errors, all reported at once.
 */
export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): Record<keyof S, string | boolean | undefined> {
    const names = Object.keys(spec);
    try {
        const { flags } = parseArgs(argv, {
            values: names.filter((name) => spec[name].type === "string"),
            booleans: names.filter((name) => spec[name].type === "boolean"),
        });
        return Object.fromEntries(names.map((name) => [name, flags.get(name)])) as Record<keyof S, string | boolean | undefined>;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

export function requireString(values: Record<string, unknown>, name: string, hint: string): string {
    const value = values[name];
    if (typeof value !== "string" || value === "") {
        throw new UsageError(`--${name} is required (${hint})`);
    }
    return value;
}

export function optionalString(values: Record<string, unknown>, name: string): string | undefined {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
}

export function parsePrNumber(raw: string, flag = "--pr"): number {
    if (!/^[1-9][0-9]{0,6}$/.test(raw)) {
        throw new UsageError(`${flag} must be a pull request number (1-9999999), got "${raw}"`);
    }
    return Number(raw);
}

export function parsePrList(raw: string): number[] {
    const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
    return [...new Set(items.map((item) => parsePrNumber(item, "--open")))].sort((a, b) => a - b);
}

const SHA = /^[0-9a-f]{7,40}$/;
export function parseSha(raw: string): string {
    if (!SHA.test(raw)) {
        throw new UsageError(`--sha must be a lower-case hex commit SHA (7-40 characters), got "${raw}"`);
    }
    return raw;
}

/** The same rule as workloads:chartVersion (workloads/config.ts). */
const CHART_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$/;
export function parseChartVersion(raw: string): string {
    if (!CHART_VERSION.test(raw)) {
        throw new UsageError(`--chart-version must be a published chart version such as 1.4.2, got "${raw}"`);
    }
    return raw;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90m`, `72h`, `3d`, `2w`. */
export function parseDuration(raw: string, flag = "--max-age"): number {
    const match = /^([1-9][0-9]*)([mhdw])$/.exec(raw);
    if (!match) {
        throw new UsageError(`${flag} must be a duration like 90m, 72h, 3d or 2w, got "${raw}"`);
    }
    return Number(match[1]) * UNIT_MS[match[2]];
}

export function formatDuration(ms: number): string {
    if (ms < 60_000) {
        return `${(ms / 1000).toFixed(1)} s`;
    }
    const minutes = Math.floor(ms / 60_000);
    if (minutes < 120) {
        return `${minutes} min`;
    }
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

import { UsageError } from "../cli/framework";

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
    const items = raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
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

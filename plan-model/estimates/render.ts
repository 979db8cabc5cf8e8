/** The estimates block of the human plan output: a short aligned table plus the few facts behind it. */
import type { CapacityEstimate, Estimate, PlanEstimates, StackEstimate } from "./types";
import { PRICE_REGION, PRICES_AS_OF } from "./prices";

const MAX_PATH_STEPS = 8;

/** The logical name at the end of a URN. */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Name plus short type (`pr-42-worker (Function)`): one name often covers a function, its role and its log group. */
export function urnLabel(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return urnName(urn);
    const type = parts[parts.length - 2].split("$").pop()!;
    return `${parts[parts.length - 1]} (${type.slice(type.lastIndexOf(":") + 1)})`;
}

export function formatUsd(value: number): string {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function path(urns: string[]): string {
    const names = urns.map(urnLabel);
    return names.length <= MAX_PATH_STEPS
        ? names.join(" > ")
        : [...names.slice(0, MAX_PATH_STEPS), `... (+${names.length - MAX_PATH_STEPS})`].join(" > ");
}

function row(cells: string[], widths: number[]): string {
    return "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

function figures(e: Estimate): string[] {
    return [`${e.spinUpMinutes.toFixed(1)} min`, `${e.teardownMinutes.toFixed(1)} min`, formatUsd(e.monthlyUsd), formatUsd(e.dailyUsd)];
}

export function renderEstimates(est: PlanEstimates): string {
    const rows = [
        ["stack", "spin-up", "teardown", "$/month", "$/day"],
        ...est.stacks.map((s) => [`${s.project}/${s.stack}${s.shared ? " (shared)" : ""}`, ...figures(s)]),
        [`environment ${est.env}`, ...figures(est.environment)],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const env = est.environment;
    const lines = [
        `Estimates (fixed costs at ${PRICE_REGION} on-demand prices of ${PRICES_AS_OF}; shared stacks are not counted in the environment)`,
        ...rows.map((r) => row(r, widths)),
        `  critical path (up):   ${path(env.criticalPath) || "-"}`,
        `  critical path (down): ${path(env.teardownPath) || "-"}`,
        `  top costs: ${env.topCosts.map((c) => `${c.item} $${formatUsd(c.monthlyUsd)}/mo`).join("; ") || "-"}`,
        `  left out (usage-based): ${env.unpricedUsageBased.join("; ") || "-"}`,
    ];
    // Model gaps are shown for every stack, counted or not: they make some figure wrong.
    const gaps = (pick: (e: Estimate) => string[]) => [...new Set(est.stacks.flatMap(pick))].sort();
    if (gaps((e) => e.unknownTypes).length > 0) lines.push(`  UNKNOWN types, not estimated: ${gaps((e) => e.unknownTypes).join(", ")}`);
    if (gaps((e) => e.unknownPrices).length > 0) lines.push(`  UNKNOWN prices, not costed: ${gaps((e) => e.unknownPrices).join(", ")}`);
    for (const note of env.notes) lines.push(`  note: ${note}`);
    if (est.capacity) lines.push(...renderCapacity(est.capacity));
    return lines.join("\n");
}

const CAPACITY_LIMITS_SHOWN = 3;

function limitLine(row: CapacityEstimate["rows"][number]): string {
    return `${row.name} ${row.fits} (${row.perPullRequest}/PR, ${row.platformFixed} fixed, limit ${row.limit} ${row.limitFrom})`;
}

/** The ceiling and the first limits, for the human plan output. */
function renderCapacity(capacity: CapacityEstimate): string[] {
    const lines = [
        `  capacity: ${capacity.livePullRequests} live PR environments on ${capacity.platform} (quotas as of ${capacity.quotasAsOf})`,
        ...capacity.rows.slice(0, CAPACITY_LIMITS_SHOWN).map((row, i) => `    ${i + 1}. ${limitLine(row)}`),
    ];
    for (const gap of capacity.unknown) lines.push(`    UNKNOWN limit, not counted: ${gap}`);
    return lines;
}

/** The ceiling and the first limits as Markdown, for the PR environment report. */
export function renderCapacityMarkdown(capacity: CapacityEstimate): string {
    return [
        `**Capacity**: ${capacity.livePullRequests} live PR environments fit on \`${capacity.platform}\` (quotas as of ${capacity.quotasAsOf}).`,
        "",
        "| limit | PRs that fit | per PR | platform fixed | limit |",
        "|---|---|---|---|---|",
        ...capacity.rows
            .slice(0, CAPACITY_LIMITS_SHOWN)
            .map((r) => `| ${r.name} | ${r.fits} | ${r.perPullRequest} | ${r.platformFixed} | ${r.limit} (${r.limitFrom}) |`),
    ].join("\n");
}

/** A stack's estimate as Markdown, for the PR environment summary. */
export function renderStackEstimateMarkdown(e: StackEstimate): string {
    const lines = [
        `| spin-up | teardown | fixed $/month | fixed $/day |`,
        `|---|---|---|---|`,
        `| ${e.spinUpMinutes.toFixed(1)} min | ${e.teardownMinutes.toFixed(1)} min | $${formatUsd(e.monthlyUsd)} | $${formatUsd(e.dailyUsd)} |`,
        "",
        `- Critical path: ${e.criticalPath.map((u) => `\`${urnLabel(u)}\``).join(" → ") || "-"}`,
        `- Largest costs: ${e.topCosts.map((c) => `${c.item} $${formatUsd(c.monthlyUsd)}/mo`).join("; ") || "none"}`,
        `- Not included (usage-based): ${e.unpricedUsageBased.join(", ") || "-"}`,
    ];
    if (e.unknownTypes.length > 0) lines.push(`- Not estimated (unknown types): ${e.unknownTypes.map((t) => `\`${t}\``).join(", ")}`);
    if (e.unknownPrices.length > 0) lines.push(`- Not costed (no price): ${e.unknownPrices.join(", ")}`);
    return lines.join("\n");
}

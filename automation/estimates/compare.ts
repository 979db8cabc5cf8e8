/**
 * Prints the side-by-side estimate table for docs/estimates.md from real offline plans:
 *   node -r ./automation/register.js automation/estimates/compare.ts [env ...]   (default: pr-42 test prod)
 * The first environment is compared with each full one as "PR / full" ratios.
 */
import { isPullRequestEnvironment } from "../../lib/environments";
import { planEnvironment } from "../plan/plan";
import { estimatePlan, PlanEstimates } from "../../plan-model/estimates/index";
import { formatUsd, urnLabel } from "../../plan-model/estimates/render";
import { PRICE_REGION, PRICES_AS_OF } from "../../plan-model/estimates/prices";

function ratio(part: number, whole: number): string {
    if (whole === 0) return "-";
    const percent = (100 * part) / whole;
    return `${percent.toFixed(percent < 1 ? 2 : 1)} %`;
}

/** The Markdown comparison of already computed estimates (first column = the reference, usually the PR). */
export function comparisonTable(estimates: PlanEstimates[]): string {
    const pr = estimates.find((e) => isPullRequestEnvironment(e.env));
    const fulls = estimates.filter((e) => e !== pr);
    const header = ["", ...estimates.map((e) => `\`${e.env}\``), ...(pr ? fulls.map((f) => `${pr.env} / ${f.env}`) : [])];
    const line = (label: string, value: (e: PlanEstimates) => number, show: (v: number) => string) => [
        label,
        ...estimates.map((e) => show(value(e))),
        ...(pr ? fulls.map((f) => ratio(value(pr), value(f))) : []),
    ];
    const rows = [
        line(
            "spin-up (critical path)",
            (e) => e.environment.spinUpMinutes,
            (v) => `${v.toFixed(1)} min`,
        ),
        line(
            "teardown (critical path)",
            (e) => e.environment.teardownMinutes,
            (v) => `${v.toFixed(1)} min`,
        ),
        line(
            "fixed cost per month",
            (e) => e.environment.monthlyUsd,
            (v) => `$${formatUsd(v)}`,
        ),
        line(
            "fixed cost per day",
            (e) => e.environment.dailyUsd,
            (v) => `$${formatUsd(v)}`,
        ),
        line(
            "resources created",
            (e) => e.environment.resources,
            (v) => String(v),
        ),
    ];
    const table = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
    const details = estimates.map(
        (e) =>
            `- \`${e.env}\` (stacks counted: ${e.counted.join(", ")}): longest path ${e.environment.criticalPath.map(urnLabel).join(" > ") || "-"}; ` +
            `largest costs ${e.environment.topCosts.map((c) => `${c.item} $${formatUsd(c.monthlyUsd)}`).join(", ") || "-"}`,
    );
    return [
        ...table,
        "",
        `Fixed costs at ${PRICE_REGION} on-demand prices of ${PRICES_AS_OF}; usage-based costs (requests, GB, LCUs) are left out.`,
        "",
        ...details,
    ].join("\n");
}

async function main(): Promise<void> {
    const envs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["pr-42", "test", "prod"];
    const estimates: PlanEstimates[] = [];
    for (const env of envs) estimates.push(estimatePlan(await planEnvironment(env)));
    process.stdout.write(comparisonTable(estimates) + "\n");
}

if (require.main === module) {
    main().catch((error) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    });
}

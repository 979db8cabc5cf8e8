import { PropertyChange, ResourceChange } from "./diff";
import { ChangeReview, EnvironmentReview, StackReview } from "./review";

/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536;
/** Kept free below the limit for the truncation note and the marker that finds the comment again. */
const RESERVE = 1_024;
const VALUE_CHARS = 160;

const usd = (value: number) => `$${value.toFixed(2)}`;
const signed = (value: number, format: (v: number) => string) => `${value > 0 ? "+" : value < 0 ? "-" : "±"}${format(Math.abs(value))}`;

function value(v: unknown): string {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    const short = text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
    return `\`${short.replace(/`/g, "'").replace(/\n/g, " ")}\``;
}

function property(p: PropertyChange): string {
    const before = "before" in p ? value(p.before) : "(none)";
    const after = "after" in p ? value(p.after) : "(none)";
    return `    - \`${p.path || "(value)"}\`: ${before} → ${after}`;
}

function change(c: ResourceChange): string[] {
    const sign = { add: "+", remove: "-", change: "~" }[c.kind];
    const notes = [
        c.protect ? "protected" : "",
        c.rename
            ? c.rename.keptByAlias
                ? "renamed, kept by `aliases`"
                : `looks renamed (${c.kind === "remove" ? "to" : "from"} \`${(c.kind === "remove" ? c.rename.to : c.rename.from).split("::").pop()}\`): add \`aliases\` to keep it`
            : "",
    ].filter(Boolean);
    return [`- ${sign} \`${c.type}\` **${c.name}**${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`, ...c.properties.map(property)];
}

function stackDetails(stack: StackReview): string {
    const { add, remove, change: changed } = stack.counts;
    const lines = [`<details><summary><code>${stack.project}/${stack.stack}</code>: +${add} -${remove} ~${changed}</summary>`, ""];
    lines.push(...stack.changes.flatMap(change));
    for (const v of stack.policy.introduced) {
        lines.push(`- policy **introduced** [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
    }
    for (const v of stack.policy.fixed) {
        lines.push(`- policy fixed [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
    }
    lines.push("", "</details>", "");
    return lines.join("\n");
}

function environmentTable(env: EnvironmentReview, stacks: Map<string, StackReview>): string[] {
    const lines = [`### ${env.env}: +${env.counts.add} -${env.counts.remove} ~${env.counts.change}`, ""];
    if (env.estimate) {
        const { before, after, causes } = env.estimate;
        lines.push(
            `Estimate: ${usd(after.monthlyUsd)}/month (${signed(after.monthlyUsd - before.monthlyUsd, usd)}), ` +
                `${usd(after.dailyUsd)}/day (${signed(after.dailyUsd - before.dailyUsd, usd)}), ` +
                `spin-up ${after.spinUpMinutes} min (${signed(after.spinUpMinutes - before.spinUpMinutes, (v) => `${v.toFixed(1)} min`)})` +
                (causes.length > 0
                    ? `; from ${causes.map((c) => `\`${c.urn.split("::").pop()}\` ${signed(c.monthlyUsdDelta, usd)}`).join(", ")}`
                    : ""),
            "",
        );
    }
    if (env.flows && env.flows.introducedFailing.length + env.flows.fixed.length > 0) {
        lines.push(
            `Flows: ${env.flows.introducedFailing.length} start failing (${env.flows.introducedFailing.map((f) => `\`${f.id}\``).join(", ")}), ${env.flows.fixed.length} fixed`,
            "",
        );
    }
    lines.push("| stack | add | remove | change | violations introduced | fixed |", "|---|--:|--:|--:|--:|--:|");
    for (const key of env.stacks) {
        const s = stacks.get(key)!;
        lines.push(
            `| \`${key}\` | ${s.counts.add} | ${s.counts.remove} | ${s.counts.change} | ${s.policy.introduced.length} | ${s.policy.fixed.length} |`,
        );
    }
    lines.push("");
    return lines;
}

/**
 * The PR comment: headline and dangers, a table per environment, then collapsed details per
 * stack, cut to fit GitHub's comment limit with a pointer to the full JSON (`artifact`).
 */
export function renderReviewMarkdown(
    review: ChangeReview,
    artifact = "the change-review JSON artifact of this run",
    limit = COMMENT_LIMIT,
): string {
    const { summary } = review;
    const head = [`## Change review against \`${review.base.ref}\` (${review.base.commit.slice(0, 7)})`, ""];
    const nothing = summary.add + summary.remove + summary.change === 0 && summary.mandatoryIntroduced === 0;
    if (nothing) {
        head.push(`No changes: ${review.envs.join(", ")} plan exactly as at \`${review.base.ref}\`. Nothing to review here.`, "");
        return head.join("\n");
    }
    head.push(
        `**${summary.add} to add, ${summary.remove} to remove, ${summary.change} to change** across ${review.envs.join(", ")}; ` +
            `${summary.mandatoryIntroduced} mandatory violation(s) and ${summary.failingFlowsIntroduced} failing flow(s) introduced.`,
        "",
    );
    if (review.dangers.length > 0) {
        head.push(`### ⚠️ ${review.dangers.length} danger(s)`, "", ...review.dangers.map((d) => `- ${d.headline}`), "");
    } else {
        head.push("No danger found.", "");
    }
    if (!review.base.sameEngine) {
        head.push(
            "_The lockfile changed: the base was planned by its own engine and dependencies; changed secrets cannot be compared._",
            "",
        );
    }
    const stacks = new Map(review.stacks.map((s) => [`${s.project}/${s.stack}`, s]));
    const body = [...head, ...review.environments.flatMap((env) => environmentTable(env, stacks)), "### Details", ""].join("\n");
    const statements = review.dangers
        .filter((d) => d.statements)
        .map((d) =>
            [
                `<details><summary>${d.headline}</summary>`,
                "",
                ...d.statements!.added.map((s) => `- added: ${value(s)}`),
                ...d.statements!.removed.map((s) => `- removed: ${value(s)}`),
                "",
                "</details>",
                "",
            ].join("\n"),
        );
    const sections = [
        ...statements,
        ...review.stacks.filter((s) => s.changes.length + s.policy.introduced.length + s.policy.fixed.length > 0).map(stackDetails),
    ];
    let text = body;
    for (const [i, section] of sections.entries()) {
        if (text.length + section.length > limit - RESERVE) {
            return `${text}\n_… ${sections.length - i} more section(s) cut to fit a comment: the full review is in ${artifact}._\n`;
        }
        text += section;
    }
    return text.length > limit - RESERVE
        ? `${text.slice(0, limit - RESERVE)}\n\n_… cut to fit a comment: the full review is in ${artifact}._\n`
        : text;
}

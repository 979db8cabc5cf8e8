/**
 * The Markdown a run leaves behind: printed, appended to `$GITHUB_STEP_SUMMARY`, and posted as the
 * PR comment (updated in place: the workflow finds it by COMMENT_MARKER).
 */
import * as fs from "fs";

import type { Violation } from "../../plan-model/types";
import { formatDuration } from "../deadline";
import { stackLabel, type FailedResource, type OperationResult, type OutputValue } from "./engine";

export const COMMENT_MARKER = "<!-- payments-pr-environment -->";

const MAX_VALUE = 120;

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

/** Secrets never reach a comment: a secret output shows as `[secret]`, whatever its value. */
export function displayOutput(output: OutputValue): string {
    if (output.secret) {
        return "[secret]";
    }
    const text = typeof output.value === "string" ? output.value : JSON.stringify(output.value);
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function countsLine(result: OperationResult): string {
    const c = result.counts;
    return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.same} unchanged`;
}

export function policySection(violations: readonly Violation[]): string {
    if (violations.length === 0) {
        return "**Policy:** no violations (policy-pack)\n";
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const rows = violations.map(
        (v) =>
            `| ${v.enforcementLevel} | ${cell(v.policy)} | ${v.urn ? code(v.urn.split("::").pop() ?? v.urn) : "(stack)"} | ${cell(v.message)} |`,
    );
    return [
        `**Policy:** ${mandatory} mandatory, ${violations.length - mandatory} advisory`,
        "",
        "| level | policy | resource | message |",
        "|---|---|---|---|",
        ...rows,
        "",
    ].join("\n");
}

export function failedSection(failed: readonly FailedResource[]): string {
    if (failed.length === 0) {
        return "";
    }
    return [
        `**Failed resources (${failed.length})** — the stack keeps what succeeded; the next run retries the rest:`,
        "",
        ...failed.map((f) => `- ${code(f.urn)}: ${cell(f.message)}`),
        "",
    ].join("\n");
}

function outputsSection(outputs: Record<string, OutputValue>): string {
    const keys = Object.keys(outputs).sort();
    if (keys.length === 0) {
        return "";
    }
    return [
        "<details><summary>Outputs</summary>",
        "",
        "| output | value |",
        "|---|---|",
        ...keys.map((k) => `| ${code(k)} | ${cell(displayOutput(outputs[k]))} |`),
        "",
        "</details>",
        "",
    ].join("\n");
}

export interface SummaryContext {
    title: string;
    url?: string;
    /** Extra lines under the title (e.g. the commit and chart version). */
    facts?: string[];
    /** A rendered estimate section, when estimates are available. */
    estimate?: string;
    status: "succeeded" | "failed" | "no changes" | "preview";
}

export function operationMarkdown(result: OperationResult, context: SummaryContext): string {
    const lines = [
        `### ${context.title}: ${context.status}`,
        "",
        ...(context.url ? [`**URL:** ${context.url}`, ""] : []),
        `| | |`,
        `|---|---|`,
        `| stack | ${code(stackLabel(result.ref))} |`,
        ...(context.facts ?? []).map((f) => `| ${f.split(":")[0]} | ${cell(f.slice(f.indexOf(":") + 1).trim())} |`),
        `| resources | ${result.resourceCount} |`,
        `| changes | ${countsLine(result)} |`,
        `| elapsed | ${formatDuration(result.elapsedMs)} |`,
        "",
        policySection(result.policyViolations),
        failedSection(result.failedResources),
        outputsSection(result.outputs),
        context.estimate ?? "",
    ];
    return (
        lines
            .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
            .join("\n")
            .trimEnd() + "\n"
    );
}

/** Appends to the job summary when running in GitHub Actions, and writes the comment file when asked. */
export function publish(markdown: string, options: { commentFile?: string; env?: NodeJS.ProcessEnv } = {}): void {
    const summary = (options.env ?? process.env).GITHUB_STEP_SUMMARY;
    if (summary) {
        fs.appendFileSync(summary, `${markdown}\n`);
    }
    if (options.commentFile) {
        fs.writeFileSync(options.commentFile, `${COMMENT_MARKER}\n${markdown}`);
    }
}

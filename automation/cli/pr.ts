import { execFileSync } from "child_process";

import { parseDuration } from "../deadline";
import { optionalString, parseChartVersion, parsePrList, parsePrNumber, parseSha, requireString } from "../driver/args";
import { EXIT, assertReportFilesWritable, makeEngine, reportFailure } from "../driver/cli";
import { publish } from "../driver/markdown";
import type { DriverContext } from "../driver/context";
import { prDown, prGc, prList, prListTable, prPreview, prUp } from "../driver/pr";
import { REPO_ROOT } from "../../lib/repository";
import { waitForEnvironment } from "../driver/wait";
import {
    HELP,
    PROCESS_IO,
    UsageError,
    optionsHelp,
    parseOptions,
    refuseNpmBannerBeforeJson,
    runAsProcess,
    type CliIo,
    type OptionSpecs,
} from "./framework";

/** Every command's options; each table one line per option. */
export const COMMON_OPTIONS = {
    "lock-timeout": { type: "string", value: "DURATION", help: "how long to wait for another update's lock (default 5m)" },
    markdown: { type: "string", value: "FILE", help: "also write the Markdown report to FILE (checked before anything runs)" },
    offline: { type: "boolean", help: "the offline engine: a registry in .plan-state/ (or --state-dir) instead of a backend" },
    "state-dir": { type: "string", value: "DIR", help: "the offline registry's directory" },
} as const satisfies OptionSpecs;
const PR = { pr: { type: "string", value: "N", help: "the pull request number" } } as const satisfies OptionSpecs;
const VERSIONS = {
    sha: { type: "string", value: "SHA", help: "the commit whose image to run (up: default the checkout's HEAD)" },
    "chart-version": { type: "string", value: "V", help: "the chart version to run" },
} as const satisfies OptionSpecs;
const SPECS = {
    up: {
        ...COMMON_OPTIONS,
        ...PR,
        ...VERSIONS,
        wait: { type: "boolean", help: "then wait until the PR's URL answers" },
        "wait-timeout": { type: "string", value: "DURATION", help: "how long --wait waits (default 15m)" },
    },
    preview: { ...COMMON_OPTIONS, ...PR, ...VERSIONS },
    down: { ...COMMON_OPTIONS, ...PR },
    list: { ...COMMON_OPTIONS, json: { type: "boolean", help: "print JSON instead of a table" } },
    gc: {
        ...COMMON_OPTIONS,
        "max-age": { type: "string", value: "DURATION", help: "destroy stacks older than this (90m, 72h, 3d, 2w)" },
        open: { type: "string", value: "N,...|none", help: "the open PRs (`none` when no PR is open): stacks of other PRs are destroyed" },
        concurrency: { type: "string", value: "K", help: "destroy at most K stacks at a time (default 3)" },
    },
} as const satisfies Record<string, OptionSpecs>;
type Command = keyof typeof SPECS;

const DESCRIPTIONS: Record<Command, string> = {
    up: "create or update workloads/pr-<n> from workloads/Pulumi.pr.yaml with the PR's image",
    preview: "preview plus policy results",
    down: "destroy and remove workloads/pr-<n> (succeeds when there is none)",
    list: "PR stacks with PR number, age, last update, resource count and lock state",
    gc: "destroy stacks of closed PRs (not in --open) and stacks older than --max-age",
};

export const PR_USAGE = `Usage: npm run pr -- <command> [options]

${(Object.keys(SPECS) as Command[])
    .map((command) => {
        const own = Object.fromEntries(Object.entries(SPECS[command]).filter(([name]) => !(name in COMMON_OPTIONS)));
        return `${command}: ${DESCRIPTIONS[command]}\n${Object.keys(own).length > 0 ? `${optionsHelp(own)}\n` : ""}`;
    })
    .join("\n")}
Every command also takes:
${optionsHelp(COMMON_OPTIONS)}

Markdown reports go to stdout, to $GITHUB_STEP_SUMMARY when set, and to --markdown FILE.
Exit codes: 0 ok, 1 the operation failed (details on stderr), 2 bad usage or a refused target.`;

/** `--sha` defaults to the checkout's HEAD, so `npm run pr -- up --pr 7 --offline` works from a fresh clone. */
function headCommit(): string {
    try {
        return execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        throw new UsageError("--sha is required (the commit to deploy; there is no git checkout to take HEAD from)");
    }
}

export async function runPrCli(argv: string[], io: CliIo = PROCESS_IO, context: Partial<DriverContext> = {}): Promise<number> {
    const [command, ...rest] = argv;
    let commentFile: string | undefined;
    try {
        if (command === "--help" || command === "-h" || command === "help") {
            io.stdout(`${PR_USAGE}\n`);
            return EXIT.ok;
        }
        if (command === undefined || !Object.hasOwn(SPECS, command)) {
            throw new UsageError(
                command === undefined
                    ? "a command is required (up, preview, down, list or gc)"
                    : `unknown command "${command}" (up, preview, down, list or gc)`,
            );
        }
        const parsed = parseOptions(rest, SPECS[command as Command]);
        if (parsed === HELP) {
            io.stdout(`${PR_USAGE}\n`);
            return EXIT.ok;
        }
        const flags = parsed as Record<string, string | boolean | undefined>;
        commentFile = optionalString(flags, "markdown");
        const lockTimeout = optionalString(flags, "lock-timeout");
        assertReportFilesWritable(commentFile, io);
        const ctx: DriverContext = {
            engine: makeEngine({ offline: flags.offline === true, stateDir: optionalString(flags, "state-dir") }),
            log: io.stderr,
            ...context,
            lockRetry: {
                ...(lockTimeout === undefined ? {} : { timeoutMs: parseDuration(lockTimeout, "--lock-timeout") }),
                ...context.lockRetry,
            },
        };
        const report = (markdown: string): void => {
            io.stdout(markdown);
            publish(markdown, { commentFile, env: io.env });
        };
        switch (command as Command) {
            case "up": {
                const pr = parsePrNumber(requireString(flags, "pr", "the pull request number"));
                const sha = parseSha(optionalString(flags, "sha") ?? headCommit());
                const chart = optionalString(flags, "chart-version");
                const waitTimeout = parseDuration(optionalString(flags, "wait-timeout") ?? "15m", "--wait-timeout");
                const result = await prUp(ctx, { pr, sha, chartVersion: chart === undefined ? undefined : parseChartVersion(chart) });
                report(result.markdown);
                if (flags.wait === true && result.url !== undefined) {
                    await waitForEnvironment(ctx, result.url, waitTimeout);
                }
                return EXIT.ok;
            }
            case "preview": {
                const pr = parsePrNumber(requireString(flags, "pr", "the pull request number"));
                const sha = optionalString(flags, "sha");
                const chart = optionalString(flags, "chart-version");
                const result = await prPreview(ctx, {
                    pr,
                    sha: sha === undefined ? undefined : parseSha(sha),
                    chartVersion: chart === undefined ? undefined : parseChartVersion(chart),
                });
                report(result.markdown);
                return result.result.policyViolations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.failed : EXIT.ok;
            }
            case "down": {
                const result = await prDown(ctx, parsePrNumber(requireString(flags, "pr", "the pull request number")));
                report(result.markdown);
                return EXIT.ok;
            }
            case "list": {
                if (flags.json === true) {
                    refuseNpmBannerBeforeJson("pr", io);
                }
                const stacks = await prList(ctx);
                io.stdout(flags.json === true ? `${JSON.stringify(stacks, null, 2)}\n` : prListTable(stacks));
                return EXIT.ok;
            }
            case "gc": {
                const maxAgeMs = parseDuration(requireString(flags, "max-age", "e.g. 72h or 3d"));
                const open = optionalString(flags, "open");
                if (open !== undefined && open !== "none" && parsePrList(open).length === 0) {
                    throw new UsageError(
                        `--open "${open}" names no PR: list the open PRs (e.g. 12,15), or pass --open none when no PR is open`,
                    );
                }
                const concurrency = optionalString(flags, "concurrency");
                if (concurrency !== undefined && !/^[1-9][0-9]?$/.test(concurrency)) {
                    throw new UsageError(`--concurrency must be a number from 1 to 99, got "${concurrency}"`);
                }
                const result = await prGc(ctx, {
                    maxAgeMs,
                    open: open === undefined ? undefined : open === "none" ? [] : parsePrList(open),
                    concurrency: concurrency === undefined ? undefined : Number(concurrency),
                });
                report(result.markdown);
                if (result.failed.length > 0) {
                    io.stderr(
                        `pr gc: ${result.failed.length} PR environment(s) could not be destroyed: ${result.failed.map((f) => `pr-${f.pr}`).join(", ")}\n`,
                    );
                    return EXIT.failed;
                }
                return EXIT.ok;
            }
        }
    } catch (error) {
        return reportFailure(
            "pr",
            error,
            io,
            commentFile,
            `npm run pr -- ${command !== undefined && Object.hasOwn(SPECS, command) ? `${command} ` : ""}--help`,
        );
    }
}

if (require.main === module) {
    runAsProcess((argv) => runPrCli(argv));
}

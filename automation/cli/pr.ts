import { execFileSync } from "child_process";

import { UsageError } from "../../lib/errors";
import {
    optionalString,
    parseChartVersion,
    parseDuration,
    parseFlags,
    parsePrList,
    parsePrNumber,
    parseSha,
    requireString,
} from "../driver/args";
import { EXIT, PROCESS_IO, makeEngine, reportFailure, type CliIo } from "../driver/cli";
import { publish } from "../driver/markdown";
import type { DriverContext } from "../driver/context";
import { prDown, prGc, prList, prListTable, prPreview, prUp } from "../driver/pr";
import { REPO_ROOT } from "../../lib/repository";
import { waitForEnvironment } from "../driver/wait";

export const PR_USAGE = `Usage: npm run pr -- <command> [options]

  up      --pr <n> [--sha <sha>] [--chart-version <v>] [--wait [--wait-timeout 15m]] [--markdown FILE]
          create or update workloads/pr-<n> from workloads/Pulumi.pr.yaml with the PR's image
          (--sha defaults to the checkout's HEAD commit)
  preview --pr <n> [--sha <sha>] [--chart-version <v>] [--markdown FILE]
          preview plus policy results
  down    --pr <n>            destroy and remove workloads/pr-<n> (succeeds when there is none)
  list    [--json]            PR stacks with PR number, age, last update and resource count
  gc      --max-age <90m|72h|3d|2w> [--open <n,...>] [--concurrency <k>]
          destroy stacks of closed PRs (not in --open) and stacks older than --max-age

Every command takes --offline (the offline engine; registry in .plan-state/ or --state-dir DIR).
Markdown reports go to stdout, to $GITHUB_STEP_SUMMARY when set, and to --markdown FILE.
Exit codes: 0 ok, 1 the operation failed (details on stderr), 2 bad usage or a refused target.`;

const COMMON = { offline: { type: "boolean" }, "state-dir": { type: "string" }, markdown: { type: "string" } } as const;
const SPECS = {
    up: { ...COMMON, pr: { type: "string" }, sha: { type: "string" }, "chart-version": { type: "string" }, wait: { type: "boolean" }, "wait-timeout": { type: "string" } },
    preview: { ...COMMON, pr: { type: "string" }, sha: { type: "string" }, "chart-version": { type: "string" } },
    down: { ...COMMON, pr: { type: "string" } },
    list: { ...COMMON, json: { type: "boolean" } },
    gc: { ...COMMON, "max-age": { type: "string" }, open: { type: "string" }, concurrency: { type: "string" } },
} as const;
type Command = keyof typeof SPECS;

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
        if (command === undefined || !(command in SPECS)) {
            throw new UsageError(command === undefined ? "a command is required" : `unknown command "${command}"`);
        }
        const flags = parseFlags(rest, SPECS[command as Command]) as Record<string, string | boolean | undefined>;
        commentFile = optionalString(flags, "markdown");
        const ctx: DriverContext = {
            engine: makeEngine({ offline: flags.offline === true, stateDir: optionalString(flags, "state-dir") }),
            log: io.stderr,
            ...context,
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
                const stacks = await prList(ctx);
                io.stdout(flags.json === true ? `${JSON.stringify(stacks, null, 2)}\n` : prListTable(stacks));
                return EXIT.ok;
            }
            case "gc": {
                const maxAgeMs = parseDuration(requireString(flags, "max-age", "e.g. 72h or 3d"));
                const open = optionalString(flags, "open");
                const concurrency = optionalString(flags, "concurrency");
                if (concurrency !== undefined && !/^[1-9][0-9]?$/.test(concurrency)) {
                    throw new UsageError(`--concurrency must be a number from 1 to 99, got "${concurrency}"`);
                }
                const result = await prGc(ctx, {
                    maxAgeMs,
                    open: open === undefined ? undefined : parsePrList(open),
                    concurrency: concurrency === undefined ? undefined : Number(concurrency),
                });
                report(result.markdown);
                if (result.failed.length > 0) {
                    io.stderr(`pr gc: ${result.failed.length} PR environment(s) could not be destroyed: ${result.failed.map((f) => `pr-${f.pr}`).join(", ")}\n`);
                    return EXIT.failed;
                }
                return EXIT.ok;
            }
        }
    } catch (error) {
        return reportFailure("pr", error, io, PR_USAGE, commentFile);
    }
}

if (require.main === module) {
    runPrCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

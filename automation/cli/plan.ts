import * as fs from "fs";
import * as path from "path";
import { STACK_TRACES_VARIABLE } from "../engine/synthesize";
import { SynthesisError } from "../engine/synthesis-errors";
import { renderEstimates } from "../../plan-model/estimates";
import { PlanDocument } from "../../plan-model/types";
import { planEnvironment, planProgram } from "../plan/plan";
import { renderPlan } from "../plan/render";
import { reportFileProblem, writePciReport } from "../../policy-pack/report/pci";
import { REVIEW_USAGE, runReviewCli } from "../review/cli";
import { assertWritable } from "./output-files";
import {
    HELP,
    PROCESS_IO,
    UsageError,
    optionsHelp,
    parseOptions,
    refuseNpmBannerBeforeJson,
    reportError,
    runAsProcess,
    type CliIo,
    type OptionSpecs,
    type OptionValues,
} from "./framework";

/** One line per option, in alphabetical order: adding an option is one line that no other addition touches. */
export const PLAN_OPTIONS = {
    base: { type: "string", value: "GIT_REF", help: "review the change from GIT_REF to the working tree (docs/change-review.md)" },
    config: { type: "string", multiple: true, value: "KEY=VALUE", help: "a config value for --program's stack, over its stack file" },
    env: { type: "string", value: "ENV", help: "mgmt, test, preprod, prod or pr-<n>: every stack the environment needs" },
    "fail-on-danger": { type: "boolean", help: "with --base: exit 1 on any danger, not only on new violations or failing flows" },
    json: { type: "boolean", help: "print exactly one JSON document (plan-model/plan.schema.json)" },
    markdown: { type: "string", value: "FILE", help: "with --base: write the review as a pull-request comment to FILE" },
    out: { type: "string", value: "FILE", help: "also write the JSON document to FILE (removed when the plan fails)" },
    program: { type: "string", value: "DIR", help: "any Pulumi TypeScript program (with --stack)" },
    report: {
        type: "string",
        value: "FILE.md|FILE.html",
        help: "write the PCI DSS v4.0.1 evidence report of the plan (policy-pack/report/pci.ts)",
    },
    stack: { type: "string", value: "NAME", help: "the stack of --program, configured by DIR/Pulumi.NAME.yaml" },
} as const satisfies OptionSpecs;

export type PlanOptions = OptionValues<typeof PLAN_OPTIONS>;

export const PLAN_USAGE = `Usage:
  npm run plan -- --env <mgmt|test|preprod|prod|pr-<n>> [options]
  npm run plan -- --program DIR --stack NAME [--config key=value ...] [options]
${REVIEW_USAGE}

Synthesizes the stacks offline with Pulumi's mock runtime and evaluates the policy pack.

${optionsHelp(PLAN_OPTIONS)}

Environment: ${STACK_TRACES_VARIABLE}=1 shows the program's stack traces when it fails;
PLAN_SYNTHESIS_TIMEOUT (default 10m) bounds each stack's synthesis.
Exit codes: 0 no mandatory violation and no failing flow, 1 a mandatory violation or a failing flow,
2 bad usage or invalid config, 3 a program failed (or never finished) for another reason.`;

export type { CliIo };

function parseConfigPairs(pairs: readonly string[]): Record<string, string> {
    const config: Record<string, string> = {};
    const bad = pairs.filter((pair) => !/^[^=]+=/.test(pair));
    if (bad.length > 0) {
        throw new UsageError(`--config takes key=value, got ${bad.map((b) => `"${b}"`).join(", ")}`);
    }
    for (const pair of pairs) {
        config[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
    }
    return config;
}

function checkTarget(options: PlanOptions): void {
    const problems: string[] = [];
    if (options.env !== undefined && options.program !== undefined) {
        problems.push("give either --env or --program, not both");
    }
    if (options.env === undefined && options.program === undefined) {
        problems.push("--env or --program is required");
    }
    if (options.program !== undefined && options.stack === undefined) {
        problems.push("--program needs --stack NAME");
    }
    if (options.env !== undefined && (options.stack !== undefined || options.config !== undefined)) {
        problems.push("--stack and --config go with --program; an environment's stacks take their config from their stack files");
    }
    const reportProblem = options.report === undefined ? undefined : reportFileProblem(options.report);
    if (reportProblem !== undefined) {
        problems.push(reportProblem);
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
}

/** The review's options go with --base, and --report with a plan: never silently ignored. */
function checkReviewOptions(options: PlanOptions): void {
    const problems =
        options.base === undefined
            ? (["markdown", "fail-on-danger"] as const)
                  .filter((name) => options[name] !== undefined)
                  .map((name) => `--${name} goes with --base (a change review); drop it or add --base GIT_REF`)
            : options.report !== undefined
              ? ["--report goes with a plan, not a change review (--base): run the plan of the environment with --report"]
              : [];
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
}

async function plan(options: PlanOptions): Promise<PlanDocument> {
    return options.env !== undefined
        ? planEnvironment(options.env)
        : planProgram(path.resolve(options.program as string), options.stack as string, { config: parseConfigPairs(options.config ?? []) });
}

/** With PLAN_STACK_TRACES=1, where in the program each error was raised. */
function programTraces(error: unknown, env: NodeJS.ProcessEnv): string {
    if (env[STACK_TRACES_VARIABLE] !== "1") {
        return "";
    }
    const causes = Array.isArray((error as { causes?: unknown }).causes) ? (error as { causes: unknown[] }).causes : [error];
    // A cause wrapped to say where to fix it keeps the program's own error (and trace) as its cause.
    const traces = causes
        .map((c) => (c instanceof Error && c.cause instanceof Error ? c.cause : c))
        .filter((c): c is Error => c instanceof Error && c.stack !== undefined)
        .map((c) => c.stack);
    return traces.length > 0 ? `program stack traces (${STACK_TRACES_VARIABLE}=1):\n${traces.join("\n")}\n` : "";
}

/** Runs `npm run plan` and returns its exit code; all output goes through `io`. */
export async function runPlanCli(
    argv: string[],
    io: Pick<CliIo, "stdout" | "stderr" | "stdoutIsTerminal"> & { env?: NodeJS.ProcessEnv },
): Promise<number> {
    const env = io.env ?? process.env;
    // What the command was told to write: on a failure none of it may hold an earlier run's result.
    let written: string[] = [];
    try {
        const options = parseOptions(argv, PLAN_OPTIONS);
        if (options === HELP) {
            io.stdout(`${PLAN_USAGE}\n`);
            return 0;
        }
        if (options.json === true && options.out === undefined) {
            refuseNpmBannerBeforeJson("plan", { env, stdoutIsTerminal: io.stdoutIsTerminal });
        }
        checkReviewOptions(options);
        // Every file the command writes is checked before anything is planned, a review's too.
        const out = options.out;
        if (out !== undefined) {
            assertWritable(out, "--out");
        }
        if (options.markdown !== undefined) {
            assertWritable(options.markdown, "--markdown");
        }
        written = [out, options.markdown].filter((file): file is string => file !== undefined);
        if (options.base !== undefined) {
            return await runReviewCli({ ...options, base: options.base }, io);
        }
        checkTarget(options);
        const doc = await plan(options);
        const serialized = JSON.stringify(doc, null, 2) + "\n";
        if (out !== undefined) {
            fs.writeFileSync(out, serialized);
        }
        if (options.report !== undefined) {
            writePciReport(options.report, doc);
        }
        io.stdout(options.json ? serialized : renderPlan(doc, doc.estimates ? [renderEstimates(doc.estimates), ""] : []));
        return doc.summary.mandatory > 0 || (doc.summary.flows?.failing ?? 0) > 0 ? 1 : 0;
    } catch (error) {
        // A gate that reads --out (or posts --markdown) must never find an earlier, successful run's.
        for (const file of written) {
            fs.rmSync(file, { force: true });
        }
        const code = reportError("plan", error, io, 3);
        const hint = error instanceof SynthesisError ? `(rerun with ${STACK_TRACES_VARIABLE}=1 for the program's stack traces)\n` : "";
        io.stderr(programTraces(error, env) || hint);
        return code;
    }
}

if (require.main === module) {
    runAsProcess((argv) => runPlanCli(argv, PROCESS_IO));
}

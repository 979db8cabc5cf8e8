import * as fs from "fs";
import * as path from "path";
import { isUserError, UsageError } from "../../lib/errors";
import { STACK_TRACES_VARIABLE } from "../engine/synthesize";
import { renderEstimates } from "../../plan-model/estimates";
import { PlanDocument } from "../../plan-model/types";
import { planEnvironment, planProgram } from "../plan/plan";
import { renderPlan } from "../plan/render";
import { parseArgs } from "./args";

export const PLAN_USAGE = `Usage:
  npm run plan -- --env <mgmt|test|preprod|prod|pr-<n>> [--json] [--out FILE]
  npm run plan -- --program DIR --stack NAME [--config key=value ...] [--json] [--out FILE]

Synthesizes the stacks offline with Pulumi's mock runtime and evaluates the policy pack.
--json prints exactly one JSON document; --out FILE also writes that document to FILE.
Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad usage or invalid config,
3 a program failed for another reason.`;

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

function parseConfigPairs(pairs: string[]): Record<string, string> {
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

async function plan(argv: string[]): Promise<{ doc: PlanDocument; json: boolean; out?: string }> {
    const { flags, lists } = parseArgs(argv, { values: ["env", "program", "stack", "out"], booleans: ["json", "help"], repeatable: ["config"] });
    if (flags.has("help")) {
        throw new UsageError(PLAN_USAGE);
    }
    const env = flags.get("env") as string | undefined;
    const program = flags.get("program") as string | undefined;
    const stack = flags.get("stack") as string | undefined;
    const problems: string[] = [];
    if (env !== undefined && program !== undefined) {
        problems.push("give either --env or --program, not both");
    }
    if (env === undefined && program === undefined) {
        problems.push("--env or --program is required");
    }
    if (program !== undefined && stack === undefined) {
        problems.push("--program needs --stack NAME");
    }
    if (env !== undefined && (stack !== undefined || lists.has("config"))) {
        problems.push("--stack and --config go with --program; an environment's stacks take their config from their stack files");
    }
    if (problems.length > 0) {
        throw new UsageError(`${problems.join("; ")}\n\n${PLAN_USAGE}`);
    }
    const doc =
        env !== undefined
            ? await planEnvironment(env)
            : await planProgram(path.resolve(program as string), stack as string, { config: parseConfigPairs(lists.get("config") ?? []) });
    return { doc, json: flags.has("json"), out: flags.get("out") as string | undefined };
}

/** Runs `npm run plan` and returns its exit code; all output goes through `io`. */
export async function runPlanCli(argv: string[], io: CliIo): Promise<number> {
    try {
        const { doc, json, out } = await plan(argv);
        const serialized = JSON.stringify(doc, null, 2) + "\n";
        if (out !== undefined) {
            fs.writeFileSync(out, serialized);
        }
        io.stdout(json ? serialized : renderPlan(doc, doc.estimates ? [renderEstimates(doc.estimates), ""] : []));
        return doc.summary.mandatory > 0 ? 1 : 0;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (isUserError(error)) {
            io.stderr(`plan: ${message}\n`);
            return 2;
        }
        const trace = error instanceof Error && error.stack && error.stack !== `${error.name}: ${error.message}` ? error.stack : message;
        io.stderr(`plan: failed: ${trace}\n(rerun with ${STACK_TRACES_VARIABLE}=1 for the program's stack traces)\n`);
        return 3;
    }
}

if (require.main === module) {
    runPlanCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then((code) => {
        process.exitCode = code;
    });
}

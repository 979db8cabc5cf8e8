/**
 * `npm run bench`: how long `npm run plan -- --env pr-42` takes next to loading the SDKs it
 * cannot do without (`@pulumi/pulumi` and `@pulumi/aws`), each measured as a whole Node.js process
 * in this run, the median of several runs taken in turn so that a busy machine slows all alike.
 * Cold: an empty transpile/bundle cache (a fresh PLAN_CACHE_DIR). Warm: the same cache, filled.
 * Uncached: a cache directory that cannot be written, so every module is transpiled and every bundle
 * built, as before the cache existed: what the cold run's cost of filling the cache is measured against.
 * Exits 1 when the warm plan takes more than WARM_TARGET_RATIO times the SDK load.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { CACHE_DIR_VARIABLE, cacheRoot } from "../lib/disk-cache";
import { REPO_ROOT } from "../lib/repository";
import { ALL_ENVIRONMENTS } from "./review/review";
import { HELP, UsageError, parseOptions, runAsProcess, type OptionSpecs } from "./cli/framework";

const BENCH_OPTIONS = {
    "plan-all": { type: "boolean", help: "(internal) plan the five environments once, for --review's baseline" },
    review: { type: "boolean", help: `time a change review of all five environments against planning them once (target <= 2.5x)` },
    runs: { type: "string", value: "N", help: "runs per measurement; the median is reported (default 3)" },
} as const satisfies OptionSpecs;

const BENCH_USAGE = `Usage: npm run bench [-- --runs N] [-- --review]

Times the SDK load (@pulumi/pulumi + @pulumi/aws), a plan of pr-42 with no usable cache, a cold plan
(empty transpile/bundle cache) and a warm plan as whole processes, prints the ratios and exits 1
when the warm plan misses <= 3x the SDK load.

${Object.entries(BENCH_OPTIONS)
    .map(([name, spec]) => `  --${name}${spec.type === "string" ? ` ${spec.value}` : ""}  ${spec.help}`)
    .join("\n")}`;

export const WARM_TARGET_RATIO = 3;
/** `npm run bench -- --review`: a change review of all five environments against planning them once. */
export const REVIEW_TARGET_RATIO = 2.5;
const ENV = "pr-42";
const RUN_DEADLINE_MS = 300_000;

/** Wall time of one Node.js process running `args` with the given cache directory. */
function timeProcess(args: string[], cacheDir: string): number {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, {
        cwd: REPO_ROOT,
        env: { ...process.env, [CACHE_DIR_VARIABLE]: cacheDir },
        stdio: ["ignore", "ignore", "pipe"],
        timeout: RUN_DEADLINE_MS,
        encoding: "utf8",
    });
    const elapsed = performance.now() - start;
    if (run.status !== 0) {
        throw new Error(`bench: node ${args.join(" ")} exited ${run.status ?? run.signal}:\n${run.stderr}`);
    }
    return elapsed;
}

/** Prints whether a measured ratio meets its target; a miss is the exit code 1, so CI sees it. */
export function verdict(what: string, against: string, ratio: number, target: number, print: (line: string) => void = console.log): number {
    const meets = ratio <= target;
    print(`\n${what}: ${ratio.toFixed(2)}x ${against}, ${meets ? "meets" : "MISSES"} the target of <= ${target}x`);
    return meets ? 0 : 1;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/**
 * `--review`: `npm run plan -- --env all --base HEAD` (base and head, each stack once) against one
 * process planning the five environments one after another, both with the cache filled.
 */
function reviewBench(runs: number): number {
    const cache = cacheRoot();
    const planAll = ["-r", "./automation/register.js", "automation/bench.ts", "--plan-all"];
    const review = ["-r", "./automation/register.js", "automation/cli/plan.ts", "--env", "all", "--base", "HEAD", "--json"];
    timeProcess(planAll, cache);
    const samples = { plan: [] as number[], review: [] as number[] };
    for (let run = 0; run < runs; run++) {
        samples.plan.push(timeProcess(planAll, cache));
        samples.review.push(timeProcess(review, cache));
    }
    const ratio = median(samples.review) / median(samples.plan);
    console.log(`median of ${runs} run(s) each, whole processes, in turn, cache filled\n`);
    console.log(`plan ${ALL_ENVIRONMENTS.join(", ")} once:`.padEnd(44), `${median(samples.plan).toFixed(0).padStart(7)} ms`);
    console.log(`review --env all --base HEAD:`.padEnd(44), `${median(samples.review).toFixed(0).padStart(7)} ms`);
    return verdict("review", "planning once", ratio, REVIEW_TARGET_RATIO);
}

async function planAllOnce(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only the --plan-all child loads the engine
    const { planEnvironment } = require("./plan/plan") as typeof import("./plan/plan");
    for (const env of ALL_ENVIRONMENTS) {
        await planEnvironment(env);
    }
}

function main(runs: number): number {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    const sdkLoad = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
    // The same, as the plan's processes load the SDK: TypeScript and Arborist deferred (automation/defer-sdk-tooling.js).
    const sdkLoadDeferred = ["-r", "./automation/register.js", ...sdkLoad];
    const plan = ["-r", "./automation/register.js", "automation/cli/plan.ts", "--env", ENV, "--json"];
    const samples = {
        sdk: [] as number[],
        sdkDeferred: [] as number[],
        uncached: [] as number[],
        cold: [] as number[],
        warm: [] as number[],
    };
    // A cache directory under a regular file: no entry can be read or written.
    const unwritable = path.join(scratch, "not-a-directory");
    fs.writeFileSync(unwritable, "");
    try {
        for (let run = 0; run < runs; run++) {
            const cache = path.join(scratch, `cache-${run}`);
            samples.sdk.push(timeProcess(sdkLoad, cache));
            samples.sdkDeferred.push(timeProcess(sdkLoadDeferred, cache));
            samples.uncached.push(timeProcess(plan, path.join(unwritable, "cache")));
            samples.cold.push(timeProcess(plan, cache));
            samples.warm.push(timeProcess(plan, cache));
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    const sdk = median(samples.sdk);
    const row = (label: string, ms: number) =>
        `${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   ${(ms / sdk).toFixed(2).padStart(5)}x`;
    const warmRatio = median(samples.warm) / sdk;
    console.log(`median of ${runs} run(s) each, whole processes, in turn\n`);
    console.log(row("SDK load (@pulumi/pulumi + @pulumi/aws)", sdk));
    console.log(row("  the same, serialization tooling deferred", median(samples.sdkDeferred)));
    console.log(row(`plan --env ${ENV}, no cache (unwritable)`, median(samples.uncached)));
    console.log(row(`plan --env ${ENV}, cold (empty cache)`, median(samples.cold)));
    console.log(row(`plan --env ${ENV}, warm (cache filled)`, median(samples.warm)));
    return verdict("warm plan", "the SDK load", warmRatio, WARM_TARGET_RATIO);
}

async function bench(argv: string[]): Promise<number> {
    const options = parseOptions(argv, BENCH_OPTIONS);
    if (options === HELP) {
        console.log(BENCH_USAGE);
        return 0;
    }
    const runs = options.runs === undefined ? 3 : Number(options.runs);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new UsageError(`--runs takes a whole number of at least 1, not "${options.runs}"`);
    }
    if (options["plan-all"]) {
        await planAllOnce();
        return 0;
    }
    return options.review ? reviewBench(runs) : main(runs);
}

if (require.main === module) {
    runAsProcess(bench);
}

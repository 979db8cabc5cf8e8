/**
 * `npm run bench`: how long planning each environment takes next to loading the AWS SDK in the
 * same process. pr-42 goes first, cold (it also loads the other SDKs, compiles the programs and
 * bundles the worker), and again at the end, warm: the target is a pr-<n> plan under 3x the SDK load time.
 */
import { performance } from "perf_hooks";

const ENVIRONMENTS = ["pr-42", "test", "preprod", "prod", "mgmt"];
const PR_TARGET_RATIO = 3;

function time<T>(fn: () => T): [T, number] {
    const start = performance.now();
    const result = fn();
    return [result, performance.now() - start];
}

async function main(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the load is what is timed, so it happens here
    const [, sdkLoadMs] = time(() => require("@pulumi/aws"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the SDK so its time is not counted twice
    const { planEnvironment } = require("./plan/plan") as typeof import("./plan/plan");
    const rows: { env: string; ms: number; resources: number }[] = [];
    for (const env of [...ENVIRONMENTS, "pr-42"]) {
        const start = performance.now();
        const doc = await planEnvironment(env);
        rows.push({ env: rows.some((r) => r.env === env) ? `${env} (warm)` : env, ms: performance.now() - start, resources: doc.summary.resources });
    }
    console.log(`SDK load (require('@pulumi/aws')): ${sdkLoadMs.toFixed(0)} ms\n`);
    console.log("environment      plan ms   x SDK load   resources");
    for (const row of rows) {
        console.log(`${row.env.padEnd(15)} ${row.ms.toFixed(0).padStart(8)}   ${(row.ms / sdkLoadMs).toFixed(2).padStart(10)}   ${String(row.resources).padStart(9)}`);
    }
    const verdict = (row: { env: string; ms: number }) => {
        const ratio = row.ms / sdkLoadMs;
        return `${row.env}: ${ratio.toFixed(2)}x the SDK load, ${ratio < PR_TARGET_RATIO ? "meets" : "MISSES"} the target of < ${PR_TARGET_RATIO}x`;
    };
    // Cold includes loading the other SDKs and bundling the worker once per process.
    console.log(`\n${verdict(rows[0])} (cold)\n${verdict(rows[rows.length - 1])}`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

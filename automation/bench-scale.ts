/**
 * `npm run bench:scale [-- <count>]`: plans <count> (default 200) PR environments against one test
 * platform in one process, checks they claim nothing in common and that the capacity model holds
 * them all, and reports how long it took. The suite runs 20 (test/automation/plan/pull-requests.test.ts);
 * 200 take minutes, which is why they live here.
 */
import { performance } from "perf_hooks";
import { planPullRequests, sharedResourceConflicts } from "./plan/pull-requests";

const DEFAULT_COUNT = 200;

async function main(): Promise<void> {
    const arg = process.argv[2];
    const count = arg === undefined ? DEFAULT_COUNT : Number(arg);
    if (!Number.isInteger(count) || count < 1) {
        console.error(`usage: npm run bench:scale [-- <count>]: <count> must be a positive integer, got ${JSON.stringify(arg)}`);
        process.exitCode = 2;
        return;
    }
    // PR numbers spread over the range, including pairs that collided under the old `pr % 24950` priorities.
    const numbers = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 + i * 113 : 24_950 + 1 + (i - 1) * 113));
    const start = performance.now();
    const fleet = await planPullRequests(numbers);
    const planned = performance.now();
    const platform = fleet.upstream.find((s) => s.project === "platform" && s.stack === "test")!;
    const conflicts = sharedResourceConflicts([platform, ...fleet.pullRequests]);
    const mandatory = fleet.pullRequests.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"));
    const ceiling = fleet.capacity?.livePullRequests ?? 0;
    const perPr = (planned - start) / count;
    console.log(
        `planned ${count} PR stacks on one platform in ${((planned - start) / 1000).toFixed(1)} s (${perPr.toFixed(0)} ms per PR, upstream included)`,
    );
    console.log(
        `conflict check: ${(performance.now() - planned).toFixed(0)} ms, ${conflicts.length} conflicts; mandatory violations: ${mandatory.length}`,
    );
    console.log(`capacity: ${ceiling} live PRs, limited by ${fleet.capacity?.limitedBy.join(", ") ?? "-"}`);
    for (const conflict of conflicts.slice(0, 20)) console.log(`  conflict: ${conflict}`);
    const ok = conflicts.length === 0 && mandatory.length === 0 && ceiling >= count;
    console.log(ok ? `OK: ${count} live PRs fit without conflicts` : `FAILED: ${count} live PRs do not fit`);
    process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});

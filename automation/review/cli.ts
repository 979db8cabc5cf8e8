import * as fs from "fs";
import { UsageError } from "../cli/framework";
import type { PlanOptions } from "../cli/plan";
import { environmentChain } from "../../lib/environments";
import { planEnvironments } from "../plan/plan";
import { renderReviewMarkdown } from "./markdown";
import { ALL_ENVIRONMENTS, reviewChange, reviewExitCode } from "./review";
import { planBase } from "./revision";

export const REVIEW_USAGE = `  npm run plan -- --env <env|all> --base <git-ref> [--json] [--out FILE] [--markdown FILE] [--fail-on-danger]

--base plans the revision <git-ref> (from a temporary git worktree) and the working tree with the
same offline engine and reports what changes per environment and stack: resources added, removed
and changed (property by property), dangers, policy, flow and estimate deltas. --markdown FILE
writes it as a pull-request comment; --json prints the review as JSON. --env all reviews mgmt,
test, preprod, prod and pr-42 (every pr-<n> is made from one template).
Exit codes: 0 nothing blocks, 1 a mandatory violation or failing flow introduced (or any danger
with --fail-on-danger), 2 bad usage.`;

/** The link a truncated comment points to: this workflow run's artifacts on GitHub Actions, else the file. */
function artifactLink(out: string | undefined): string {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = process.env;
    if (server && repository && run) {
        return `[the run's artifacts](${server}/${repository}/actions/runs/${run})`;
    }
    return out ? `\`${out}\`` : "the JSON (`--json`)";
}

/** `npm run plan -- --base ...`: returns the exit code; output goes through `io`. */
export async function runReviewCli(options: PlanOptions & { base: string }, io: { stdout(text: string): void }): Promise<number> {
    const { env, base } = options;
    if (env === undefined || options.program !== undefined) {
        throw new UsageError(`--base needs --env <env|all> (not --program)\n\n${REVIEW_USAGE}`);
    }
    const envs = env === "all" ? ALL_ENVIRONMENTS : [env];
    envs.forEach(environmentChain);
    // The base first: a ref that names no commit is refused before anything is planned.
    const baseRevision = await planBase(base, envs);
    const review = reviewChange(baseRevision, await planEnvironments(envs));
    const json = JSON.stringify(review, null, 2) + "\n";
    const out = options.out;
    if (out !== undefined) {
        fs.writeFileSync(out, json);
    }
    const markdown = renderReviewMarkdown(review, artifactLink(out));
    const markdownFile = options.markdown;
    if (markdownFile !== undefined) {
        fs.writeFileSync(markdownFile, markdown);
    }
    io.stdout(options.json ? json : markdown);
    return reviewExitCode(review, options["fail-on-danger"] === true);
}

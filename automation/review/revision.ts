import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanUsageError } from "../engine/project";
import { PlanDocument } from "../../plan-model/types";
import { EnvironmentPlans, planEnvironments } from "../plan/plan";
import { REPO_ROOT } from "../../lib/repository";

const INSTALL_DEADLINE_MS = 15 * 60_000;
const PLAN_DEADLINE_MS = 10 * 60_000;

export interface BaseRevision {
    ref: string;
    commit: string;
    /** Whether the base was planned by this engine in this process (lockfiles match). */
    sameEngine: boolean;
    plans: EnvironmentPlans;
}

export interface BaseOptions {
    /** The repository whose revision to plan (default: this one). */
    repoRoot?: string;
    /** Plans environments from a checkout (default: the estate's environment chains). */
    plan?: (envs: string[], root: string) => Promise<EnvironmentPlans>;
}

function git(repoRoot: string, args: string[]): string {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function resolveCommit(repoRoot: string, ref: string): string {
    try {
        return git(repoRoot, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    } catch {
        throw new PlanUsageError(
            `--base ${ref} names no commit in ${repoRoot}; fetch it first (e.g. git fetch origin ${ref}) or give a commit sha.`,
        );
    }
}

/**
 * Plans the base revision from a temporary git worktree. With the same lockfile, the worktree
 * links this checkout's node_modules and this process plans it with this engine and policy pack,
 * so the diff shows what the change does to the programs and nothing else. With a different
 * lockfile, the base gets its own install and is planned by its own `npm run plan` in a child
 * process (one process cannot hold two versions of the SDKs); secret changes then go unseen.
 */
export async function planBase(ref: string, envs: string[], options: BaseOptions = {}): Promise<BaseRevision> {
    const repoRoot = options.repoRoot ?? REPO_ROOT;
    const commit = resolveCommit(repoRoot, ref);
    const worktree = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
    git(repoRoot, ["worktree", "add", "--detach", "--force", worktree, commit]);
    try {
        const lockfile = (root: string) =>
            fs.existsSync(path.join(root, "package-lock.json")) ? fs.readFileSync(path.join(root, "package-lock.json"), "utf8") : undefined;
        if (lockfile(repoRoot) === lockfile(worktree)) {
            fs.symlinkSync(fs.realpathSync(path.join(repoRoot, "node_modules")), path.join(worktree, "node_modules"), "dir");
            return { ref, commit, sameEngine: true, plans: await (options.plan ?? planEnvironments)(envs, worktree) };
        }
        const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
            cwd: worktree,
            encoding: "utf8",
            timeout: INSTALL_DEADLINE_MS,
        });
        if (install.status !== 0) {
            throw new Error(`npm ci for the base revision ${commit} failed (exit ${install.status ?? install.signal}):\n${install.stderr}`);
        }
        return {
            ref,
            commit,
            sameEngine: false,
            plans: { docs: envs.map((env) => planInChild(worktree, env)), secretFingerprints: new Map() },
        };
    } finally {
        git(repoRoot, ["worktree", "remove", "--force", worktree]);
        fs.rmSync(worktree, { recursive: true, force: true });
    }
}

function planInChild(worktree: string, env: string): PlanDocument {
    // Started by this process, not by `npm run`: no npm banner precedes its JSON.
    const inherited = { ...process.env };
    delete inherited.npm_lifecycle_event;
    const run = spawnSync(
        process.execPath,
        [
            "-r",
            path.join(worktree, "automation", "register.js"),
            path.join(worktree, "automation", "cli", "plan.ts"),
            "--env",
            env,
            "--json",
        ],
        {
            cwd: worktree,
            env: inherited,
            encoding: "utf8",
            maxBuffer: 512 * 1024 * 1024,
            timeout: PLAN_DEADLINE_MS,
        },
    );
    if (run.status !== 0 && run.status !== 1) {
        throw new Error(`planning ${env} at the base revision failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
    }
    return JSON.parse(run.stdout) as PlanDocument;
}

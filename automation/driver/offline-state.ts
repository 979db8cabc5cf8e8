/**
 * The offline engine's stack registry on disk, what a DIY backend keeps: one record per stack
 * (`<dir>/<project>/<stack>.json`: state and update history), a lock per stack held for the
 * length of an update (`<dir>/<project>/<stack>.lock`), and a cache of the platform outputs the
 * last plans produced (`<dir>/platforms.json`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { isFullEnvironment, LAYERS, type FullEnvironment, type Layer } from "../../lib/environments";
import { UserError } from "../../lib/errors";
import type { PlanDocument, PlannedResource } from "../../plan-model/types";
import {
    EngineError,
    LockUnreadableError,
    StackLockedError,
    stackLabel,
    type OperationKind,
    type StackRef,
    type StackSummary,
} from "./engine";

export interface UpdateRecord {
    kind: OperationKind | "refresh";
    startedAt: string;
    finishedAt: string;
    result: "succeeded" | "failed";
}

export interface StackRecord {
    project: Layer;
    stack: string;
    createdAt: string;
    config: Record<string, unknown>;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    updates: UpdateRecord[];
}

interface LockHolder {
    pid: number;
    host: string;
    operation: string;
    startedAt: string;
}

/** A registry file that is not a stack record: every command on that stack refuses to touch it. */
export class RegistryEntryError extends UserError {
    constructor(
        readonly ref: StackRef,
        readonly file: string,
        problem: string,
    ) {
        super(
            `the offline registry entry of ${stackLabel(ref)} is unreadable (${file}: ${problem}); nothing was changed. ` +
                `Restore the file, or remove it to forget the stack: rm ${file}`,
        );
    }
}

/** What is wrong with a parsed registry file, if anything. */
function recordProblem(value: unknown, ref: StackRef): string | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return `holds ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}, not a stack record`;
    }
    const record = value as Partial<Record<keyof StackRecord, unknown>>;
    const missing = [
        ...(record.project === ref.project && record.stack === ref.stack ? [] : ["project/stack naming this stack"]),
        ...(typeof record.createdAt === "string" ? [] : ["createdAt"]),
        ...(Array.isArray(record.resources) ? [] : ["resources (a list)"]),
        ...(Array.isArray(record.updates) ? [] : ["updates (a list)"]),
        ...(record.outputs !== null && typeof record.outputs === "object" ? [] : ["outputs (a mapping)"]),
        ...(record.config !== null && typeof record.config === "object" ? [] : ["config (a mapping)"]),
    ];
    return missing.length > 0 ? `lacks ${missing.join(", ")}` : undefined;
}

function parseHolder(text: string): LockHolder | undefined {
    try {
        const value = JSON.parse(text) as Partial<LockHolder> | null;
        return value !== null && typeof value === "object" && Number.isInteger(value.pid) && typeof value.host === "string"
            ? (value as LockHolder)
            : undefined;
    } catch {
        return undefined;
    }
}

function isOurs(holder: LockHolder): boolean {
    return holder.pid === process.pid && holder.host === os.hostname();
}

/** Held by a process on this host that no longer runs: nobody will ever release it. */
function isStale(holder: LockHolder): boolean {
    return holder.host === os.hostname() && !processAlive(holder.pid);
}

function describeHolder(holder: LockHolder): string {
    return `${holder.operation ?? "an operation"} by pid ${holder.pid} on ${holder.host} since ${holder.startedAt ?? "an unknown time"}`;
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Writes aside, then renames into place: a crash mid-write never leaves a half-written file. */
function writeAtomically(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
}

export class OfflineStateStore {
    constructor(readonly dir: string) {}

    /** The stack's record; undefined when there is none; RegistryEntryError when the file is not a record (never overwritten). */
    read(ref: StackRef): StackRecord | undefined {
        if (!(LAYERS as readonly string[]).includes(ref.project)) {
            return undefined;
        }
        const file = this.recordPath(ref);
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") {
                return undefined;
            }
            throw new RegistryEntryError(ref, file, (error as Error).message);
        }
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch (error) {
            throw new RegistryEntryError(ref, file, `not JSON (${(error as Error).message})`);
        }
        const problem = recordProblem(value, ref);
        if (problem !== undefined) {
            throw new RegistryEntryError(ref, file, problem);
        }
        return value as StackRecord;
    }

    write(record: StackRecord): void {
        writeAtomically(this.recordPath(record), `${JSON.stringify(record, null, 2)}\n`);
    }

    remove(ref: StackRef): void {
        fs.rmSync(this.recordPath(ref), { force: true });
    }

    /** Every stack of a project with its lock state; a damaged entry is listed as such, never hiding the others. */
    list(project: Layer): StackSummary[] {
        const dir = path.join(this.dir, project);
        if (!fs.existsSync(dir)) {
            return [];
        }
        const summaries: StackSummary[] = [];
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
            const ref: StackRef = { project, stack: file.slice(0, -".json".length) };
            const lock = this.readLockQuietly(this.lockPath(ref));
            const stale = lock !== undefined && isStale(lock);
            const locking = {
                updateInProgress: fs.existsSync(this.lockPath(ref)) && !stale,
                ...(stale ? { staleLock: `${describeHolder(lock)}, which is gone: rm ${this.lockPath(ref)}` } : {}),
            };
            let record: StackRecord | undefined;
            try {
                record = this.read(ref);
            } catch (error) {
                summaries.push({ ref, ...locking, unreadable: (error as Error).message });
                continue;
            }
            if (record !== undefined) {
                summaries.push({
                    ref,
                    createdAt: new Date(record.createdAt),
                    lastUpdate: record.updates.length > 0 ? new Date(record.updates[record.updates.length - 1].finishedAt) : undefined,
                    resourceCount: record.resources.length,
                    ...locking,
                });
            }
        }
        return summaries.sort((a, b) => a.ref.stack.localeCompare(b.ref.stack, "en", { numeric: true }));
    }

    /** Runs `body` holding the stack's lock; a lock left by a process that died on this host is taken over once. */
    async locked<T>(ref: StackRef, operation: string, body: () => Promise<T>): Promise<T> {
        const lock = this.lockPath(ref);
        fs.mkdirSync(path.dirname(lock), { recursive: true });
        const holder: LockHolder = { pid: process.pid, host: os.hostname(), operation, startedAt: new Date().toISOString() };
        this.acquire(ref, lock, holder, true);
        try {
            return await body();
        } finally {
            // Release only what is still ours (a person may have removed a lock they judged stale).
            const current = this.readLockQuietly(lock);
            if (current !== undefined && isOurs(current) && current.startedAt === holder.startedAt) {
                fs.rmSync(lock, { force: true });
            }
        }
    }

    /** Releases the stack's lock only when this process holds it: another holder's lock is never touched. */
    releaseOwnLock(ref: StackRef): void {
        const lock = this.lockPath(ref);
        const holder = this.readLock(ref, lock);
        if (holder !== undefined && !isOurs(holder)) {
            throw new EngineError(`${stackLabel(ref)} is locked by ${describeHolder(holder)}, not by this process: its lock is left alone`);
        }
        fs.rmSync(lock, { force: true });
    }

    /** A cache of plan outputs (rebuilt by the next plan): a damaged one counts as empty. */
    platforms(): Partial<Record<FullEnvironment, Record<string, unknown>>> {
        try {
            const value = JSON.parse(fs.readFileSync(this.platformsPath(), "utf8")) as unknown;
            return value !== null && typeof value === "object" && !Array.isArray(value)
                ? (value as Partial<Record<FullEnvironment, Record<string, unknown>>>)
                : {};
        } catch {
            return {};
        }
    }

    /** Keeps the platform outputs a plan produced, so guarding a later `down` or `gc` needs no new synthesis. */
    rememberPlatforms(document: PlanDocument): void {
        const platforms = this.platforms();
        for (const stack of document.stacks.filter((s) => s.project === "platform" && isFullEnvironment(s.stack))) {
            platforms[stack.stack as FullEnvironment] = stack.outputs;
        }
        writeAtomically(this.platformsPath(), `${JSON.stringify(platforms, null, 2)}\n`);
    }

    private acquire(ref: StackRef, lock: string, holder: LockHolder, retryStale: boolean): void {
        // Written aside, then linked into place: the lock never exists without its holder in it.
        const temp = `${lock}.${process.pid}.${Date.now()}.tmp`;
        fs.writeFileSync(temp, JSON.stringify(holder));
        try {
            fs.linkSync(temp, lock);
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
                throw error;
            }
            const existing = this.readLock(ref, lock);
            // A lock left by a process that died on this host cannot be released by anyone else.
            if (retryStale && existing !== undefined && isStale(existing)) {
                fs.rmSync(lock, { force: true });
                this.acquire(ref, lock, holder, false);
                return;
            }
            throw new StackLockedError(
                ref,
                existing === undefined ? "unknown holder" : describeHolder(existing),
                `If that process is gone, remove the lock: rm ${lock}`,
            );
        } finally {
            fs.rmSync(temp, { force: true });
        }
    }

    /** The lock's holder; undefined when there is no lock; LockUnreadableError when nobody can tell who holds it. */
    private readLock(ref: StackRef, lock: string): LockHolder | undefined {
        let text: string;
        try {
            text = fs.readFileSync(lock, "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") {
                return undefined;
            }
            throw new LockUnreadableError(ref, lock, (error as Error).message);
        }
        const holder = parseHolder(text);
        if (holder === undefined) {
            throw new LockUnreadableError(ref, lock, "it does not name a holder (pid, host)");
        }
        return holder;
    }

    private readLockQuietly(lock: string): LockHolder | undefined {
        try {
            return parseHolder(fs.readFileSync(lock, "utf8"));
        } catch {
            return undefined;
        }
    }

    private recordPath(ref: StackRef): string {
        return path.join(this.dir, ref.project, `${ref.stack}.json`);
    }

    private lockPath(ref: StackRef): string {
        return path.join(this.dir, ref.project, `${ref.stack}.lock`);
    }

    private platformsPath(): string {
        return path.join(this.dir, "platforms.json");
    }
}

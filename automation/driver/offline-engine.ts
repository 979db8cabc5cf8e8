/**
 * The engine without a cloud: `up` synthesizes the environment chain with the offline plan (mock
 * runtime plus the policy pack) and diffs the target stack against the state recorded in a local
 * stack registry, so the PR lifecycle (create, no-op re-run, destroy, gc, locks, failures) runs
 * in tests and with `--offline` exactly as the driver runs it against a real backend.
 *
 * Registry layout: `<dir>/<project>/<stack>.json` (state and history) and
 * `<dir>/<project>/<stack>.lock` (held for the length of an update, like a DIY backend's lock).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planEnvironment } from "../plan/plan";

import { isFullEnvironment, LAYERS, type FullEnvironment, type Layer } from "../../lib/environments";
import { SECRET_PLACEHOLDER, type PlanDocument, type PlannedResource, type PlannedStack } from "../../plan-model/types";
import {
    EngineError,
    LockUnreadableError,
    OperationCancelledError,
    PolicyViolationError,
    StackLockedError,
    StackNotFoundError,
    UpdateFailedError,
    countChanges,
    stackLabel,
    type ChangeOp,
    type Engine,
    type FailedResource,
    type OperationKind,
    type OperationOptions,
    type OperationResult,
    type OutputValue,
    type ResourceChange,
    type StackRef,
    type StackSummary,
} from "./engine";
import { providerAccounts } from "./guard";
import { UserError } from "../../lib/errors";
import { REPO_ROOT } from "../../lib/repository";

/** The offline plan API (automation/plan/plan.ts `planEnvironment`); tests may inject another. */
export type PlanEnvironment = (
    env: string,
    options?: { configOverrides?: Record<string, Record<string, unknown>> },
) => Promise<PlanDocument>;

/** One step the engine is about to apply; a failure injector may fail it with a message. */
export interface Step {
    ref: StackRef;
    urn: string;
    type: string;
    op: Exclude<ChangeOp, "same">;
}
export type FailureInjector = (step: Step) => string | undefined;

export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, ".plan-state");
/** Overrides the registry directory (tests, parallel checkouts). */
export const STATE_DIR_ENV = "PAYMENTS_OFFLINE_STATE_DIR";
/** A regular expression: every step whose URN matches fails ("a failing resource" on demand, e.g. in a demo). */
export const FAIL_URN_ENV = "PAYMENTS_OFFLINE_FAIL_URN";

export interface OfflineEngineOptions {
    stateDir?: string;
    plan?: PlanEnvironment;
    failWhen?: FailureInjector;
}

interface UpdateRecord {
    kind: OperationKind | "refresh";
    startedAt: string;
    finishedAt: string;
    result: "succeeded" | "failed";
}

interface StackRecord {
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

function injectorFromEnvironment(): FailureInjector | undefined {
    const pattern = process.env[FAIL_URN_ENV];
    if (pattern === undefined || pattern === "") {
        return undefined;
    }
    const regex = new RegExp(pattern);
    return (step) => (regex.test(step.urn) ? `injected failure (${FAIL_URN_ENV}=${pattern})` : undefined);
}

function overridesFor(ref: StackRef, config: Record<string, unknown> | undefined): Record<string, Record<string, unknown>> {
    return config === undefined ? {} : { [stackLabel(ref)]: config };
}

/** The plan environment whose chain contains a stack. */
export function planEnvironmentOf(ref: StackRef): string {
    return ref.project === "foundation" ? "mgmt" : ref.stack;
}

function comparable(resource: PlannedResource): string {
    return stableJson({
        type: resource.type,
        inputs: resource.inputs,
        parent: resource.parent,
        provider: resource.provider,
        protect: resource.protect,
        retainOnDelete: resource.retainOnDelete,
    });
}

function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v,
    );
}

function outputsOf(raw: Record<string, unknown>): Record<string, OutputValue> {
    return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, { value, secret: value === SECRET_PLACEHOLDER }]));
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
        return value !== null && typeof value === "object" && Number.isInteger(value.pid) && typeof value.host === "string" ? (value as LockHolder) : undefined;
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

export class OfflineEngine implements Engine {
    readonly kind = "offline" as const;
    readonly stateDir: string;
    private readonly plan: PlanEnvironment;
    private readonly failWhen: FailureInjector | undefined;
    private readonly plans = new Map<string, Promise<PlanDocument>>();
    /** The capacity estimate of the plan each planned stack came from. */
    private readonly capacities = new WeakMap<PlannedStack, NonNullable<OperationResult["capacity"]>>();

    constructor(options: OfflineEngineOptions = {}) {
        // An empty variable is an unset one: never the current directory (the checkout).
        this.stateDir = path.resolve(options.stateDir || process.env[STATE_DIR_ENV] || DEFAULT_STATE_DIR);
        this.plan = options.plan ?? planEnvironment;
        this.failWhen = options.failWhen ?? injectorFromEnvironment();
    }

    async preview(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        const started = Date.now();
        const planned = await this.planned(ref, options);
        const record = this.read(ref);
        const changes = this.diff(record?.resources ?? [], planned.resources);
        this.stream(options, changes, "would");
        return this.result(ref, "preview", started, changes, planned.resources.length, planned, outputsOf(planned.outputs), []);
    }

    async up(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        const started = Date.now();
        return this.locked(ref, "up", options, async () => {
            const planned = await this.planned(ref, options);
            throwIfAborted(ref, options.signal);
            const mandatory = planned.violations.filter((v) => v.enforcementLevel === "mandatory");
            const previous = this.read(ref);
            const changes = this.diff(previous?.resources ?? [], planned.resources);
            if (mandatory.length > 0) {
                const result = this.result(ref, "up", started, changes, previous?.resources.length ?? 0, planned, {}, []);
                throw new PolicyViolationError(ref, mandatory, result);
            }
            const { resources, failed, cancelled } = this.apply(ref, previous?.resources ?? [], planned.resources, changes, options);
            const record: StackRecord = {
                project: ref.project,
                stack: ref.stack,
                createdAt: previous?.createdAt ?? new Date(started).toISOString(),
                config: options.config ?? previous?.config ?? {},
                resources,
                outputs: failed.length === 0 && !cancelled ? planned.outputs : (previous?.outputs ?? {}),
                updates: [...(previous?.updates ?? []), this.update("up", started, failed, cancelled)],
            };
            this.write(record);
            throwIfAborted(ref, options.signal);
            const result = this.result(ref, "up", started, changes, resources.length, planned, outputsOf(record.outputs), failed);
            if (failed.length > 0) {
                throw new UpdateFailedError(ref, "up", failed, "resource operations failed", result);
            }
            return result;
        });
    }

    async destroy(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        const started = Date.now();
        return this.locked(ref, "destroy", options, async () => {
            const record = this.read(ref);
            if (record === undefined) {
                throw new StackNotFoundError(ref);
            }
            const changes: ResourceChange[] = [...record.resources].reverse().map((r) => ({ urn: r.urn, type: r.type, op: "delete" }));
            const { resources, failed, cancelled } = this.apply(ref, record.resources, [], changes, options);
            this.write({
                ...record,
                resources,
                outputs: resources.length === 0 ? {} : record.outputs,
                updates: [...record.updates, this.update("destroy", started, failed, cancelled)],
            });
            throwIfAborted(ref, options.signal);
            const result = this.result(ref, "destroy", started, changes, resources.length, undefined, {}, failed);
            if (failed.length > 0) {
                throw new UpdateFailedError(ref, "destroy", failed, "resource deletions failed", result);
            }
            return result;
        });
    }

    async refresh(ref: StackRef, options: OperationOptions = {}): Promise<void> {
        const started = Date.now();
        await this.locked(ref, "refresh", options, async () => {
            const record = this.read(ref);
            if (record === undefined) {
                throw new StackNotFoundError(ref);
            }
            // Nothing drifts offline: the registry is the only world; record that a refresh ran.
            this.write({ ...record, updates: [...record.updates, this.update("refresh", started, [])] });
        });
    }

    async removeStack(ref: StackRef): Promise<void> {
        await this.locked(ref, "stack rm", {}, async () => {
            const record = this.read(ref);
            if (record === undefined) {
                throw new StackNotFoundError(ref);
            }
            if (record.resources.length > 0) {
                throw new EngineError(`${stackLabel(ref)} still has ${record.resources.length} resources; destroy it before removing it`);
            }
            fs.rmSync(this.recordPath(ref), { force: true });
        });
    }

    async listStacks(project: Layer): Promise<StackSummary[]> {
        const dir = path.join(this.stateDir, project);
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
                // One damaged entry must not hide every other stack: list it as such.
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

    async stackExists(ref: StackRef): Promise<boolean> {
        return this.read(ref) !== undefined;
    }

    async stackOutputs(ref: StackRef): Promise<Record<string, OutputValue>> {
        const record = this.read(ref);
        if (record === undefined) {
            throw new StackNotFoundError(ref);
        }
        return outputsOf(record.outputs);
    }

    async deploymentAccounts(ref: StackRef): Promise<string[]> {
        return providerAccounts(this.read(ref)?.resources ?? []);
    }

    async platformOutputs(env: FullEnvironment, forStack?: { ref: StackRef; config?: Record<string, unknown> }): Promise<Record<string, unknown>> {
        const cached = this.readPlatforms()[env];
        if (forStack?.config === undefined && cached !== undefined) {
            return cached;
        }
        // Planning the stack's own chain now means the operation that follows reuses this synthesis.
        const document =
            forStack === undefined
                ? await this.planDocument(env, {})
                : await this.planDocument(planEnvironmentOf(forStack.ref), overridesFor(forStack.ref, forStack.config));
        const platform = document.stacks.find((s) => s.project === "platform" && s.stack === env);
        if (platform === undefined) {
            throw new EngineError(`the offline plan of ${document.env} has no platform/${env} stack`);
        }
        return platform.outputs;
    }

    /** Releases the stack's lock only when this process holds it: another holder's lock is never touched. */
    async cancel(ref: StackRef): Promise<void> {
        const lock = this.lockPath(ref);
        const holder = this.readLock(ref, lock);
        if (holder !== undefined && !isOurs(holder)) {
            throw new EngineError(`${stackLabel(ref)} is locked by ${describeHolder(holder)}, not by this process: its lock is left alone`);
        }
        fs.rmSync(lock, { force: true });
    }

    private async planned(ref: StackRef, options: OperationOptions): Promise<PlannedStack> {
        const document = await this.planDocument(planEnvironmentOf(ref), overridesFor(ref, options.config));
        const stack = document.stacks.find((s) => s.project === ref.project && s.stack === ref.stack);
        if (stack === undefined) {
            throw new EngineError(
                `the offline plan of ${planEnvironmentOf(ref)} has no stack ${stackLabel(ref)} (it has ${document.stacks.map((s) => `${s.project}/${s.stack}`).join(", ")})`,
            );
        }
        const planned = options.policyPack === false ? { ...stack, violations: [] } : stack;
        if (document.estimates?.capacity !== undefined) this.capacities.set(planned, document.estimates.capacity);
        return planned;
    }

    private planDocument(env: string, overrides: Record<string, Record<string, unknown>>): Promise<PlanDocument> {
        const key = `${env}\0${stableJson(overrides)}`;
        let document = this.plans.get(key);
        if (document === undefined) {
            document = this.plan(env, { configOverrides: overrides }).then((doc) => {
                this.rememberPlatforms(doc);
                return doc;
            });
            document.catch(() => this.plans.delete(key));
            this.plans.set(key, document);
        }
        return document;
    }

    private diff(current: readonly PlannedResource[], desired: readonly PlannedResource[]): ResourceChange[] {
        const before = new Map(current.map((r) => [r.urn, r]));
        const after = new Set(desired.map((r) => r.urn));
        const changes: ResourceChange[] = desired.map((r) => {
            const old = before.get(r.urn);
            const op: ChangeOp = old === undefined ? "create" : comparable(old) === comparable(r) ? "same" : "update";
            return { urn: r.urn, type: r.type, op };
        });
        for (const r of [...current].reverse()) {
            if (!after.has(r.urn)) {
                changes.push({ urn: r.urn, type: r.type, op: "delete" });
            }
        }
        return changes;
    }

    /**
     * Applies the steps in order. A failed step keeps the resource's old state (or none), and every
     * resource that depends on a failed or skipped one is skipped, as the engine does.
     */
    private apply(
        ref: StackRef,
        current: readonly PlannedResource[],
        desired: readonly PlannedResource[],
        changes: readonly ResourceChange[],
        options: OperationOptions,
    ): { resources: PlannedResource[]; failed: FailedResource[]; cancelled: boolean } {
        const desiredByUrn = new Map(desired.map((r) => [r.urn, r]));
        const state = new Map(current.map((r) => [r.urn, r]));
        const blocked = new Set<string>();
        const failed: FailedResource[] = [];
        let cancelled = false;
        for (const change of changes) {
            if (options.signal?.aborted) {
                // Stop between steps, as the CLI does on SIGINT: what is done is recorded, the rest waits.
                cancelled = true;
                break;
            }
            if (change.op === "same") {
                state.set(change.urn, desiredByUrn.get(change.urn) as PlannedResource);
                continue;
            }
            const target = desiredByUrn.get(change.urn);
            const waitsOn = target === undefined ? [] : [...target.dependencies, ...(target.parent ? [target.parent] : [])];
            if (waitsOn.some((urn) => blocked.has(urn))) {
                blocked.add(change.urn);
                options.onOutput?.(`  ~ ${change.type} ${change.urn} skipped (a dependency failed)\n`);
                continue;
            }
            if (change.op === "delete") {
                // As the engine does: what a remaining resource depends on (its parent, provider or a
                // dependency, e.g. the provider of a resource whose delete failed) stays.
                const dependent = [...state.values()].find((r) => r.urn !== change.urn && (r.dependencies.includes(change.urn) || r.parent === change.urn || r.provider === change.urn));
                if (dependent !== undefined) {
                    options.onOutput?.(`  ~ ${change.type} ${change.urn} kept (${dependent.urn} still depends on it)\n`);
                    continue;
                }
            }
            const message = this.failWhen?.({ ref, urn: change.urn, type: change.type, op: change.op });
            if (message !== undefined) {
                blocked.add(change.urn);
                failed.push({ urn: change.urn, type: change.type, message });
                options.onOutput?.(`  x ${change.type} ${change.urn} **${change.op} failed**: ${message}\n`);
                continue;
            }
            if (change.op === "delete") {
                state.delete(change.urn);
            } else {
                state.set(change.urn, target as PlannedResource);
            }
            options.onOutput?.(`  ${SYMBOL[change.op]} ${change.type} ${change.urn} ${PAST[change.op]}\n`);
        }
        // Keep desired (registration) order, then what is left of the old state.
        const ordered = [...desired.filter((r) => state.has(r.urn)).map((r) => state.get(r.urn) as PlannedResource)];
        const kept = current.filter((r) => !desiredByUrn.has(r.urn) && state.has(r.urn));
        return { resources: [...ordered, ...kept], failed, cancelled };
    }

    private stream(options: OperationOptions, changes: readonly ResourceChange[], verb: string): void {
        for (const { op, type, urn } of changes) {
            if (op !== "same") {
                options.onOutput?.(`  ${SYMBOL[op]} ${type} ${urn} ${verb} ${op}\n`);
            }
        }
    }

    private result(
        ref: StackRef,
        kind: OperationKind,
        started: number,
        changes: ResourceChange[],
        resourceCount: number,
        planned: PlannedStack | undefined,
        outputs: Record<string, OutputValue>,
        failedResources: FailedResource[],
    ): OperationResult {
        return {
            ref,
            kind,
            changes,
            counts: countChanges(changes),
            outputs,
            resourceCount,
            policyViolations: planned?.violations ?? [],
            failedResources,
            elapsedMs: Date.now() - started,
            planned,
            capacity: planned && this.capacities.get(planned),
        };
    }

    private update(kind: UpdateRecord["kind"], started: number, failed: readonly FailedResource[], cancelled = false): UpdateRecord {
        return {
            kind,
            startedAt: new Date(started).toISOString(),
            finishedAt: new Date().toISOString(),
            result: failed.length === 0 && !cancelled ? "succeeded" : "failed",
        };
    }

    private async locked<T>(ref: StackRef, operation: string, options: OperationOptions, body: () => Promise<T>): Promise<T> {
        const lock = this.lockPath(ref);
        fs.mkdirSync(path.dirname(lock), { recursive: true });
        const holder: LockHolder = { pid: process.pid, host: os.hostname(), operation, startedAt: new Date().toISOString() };
        this.acquire(ref, lock, holder, true);
        try {
            throwIfAborted(ref, options.signal);
            return await body();
        } finally {
            // Release only what is still ours (a person may have removed a lock they judged stale).
            const current = this.readLockQuietly(lock);
            if (current !== undefined && isOurs(current) && current.startedAt === holder.startedAt) {
                fs.rmSync(lock, { force: true });
            }
        }
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
            throw new StackLockedError(ref, existing === undefined ? "unknown holder" : describeHolder(existing), `If that process is gone, remove the lock: rm ${lock}`);
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
        return path.join(this.stateDir, ref.project, `${ref.stack}.json`);
    }

    private lockPath(ref: StackRef): string {
        return path.join(this.stateDir, ref.project, `${ref.stack}.lock`);
    }

    /** The stack's record; undefined when there is none; RegistryEntryError when the file is not a record (never overwritten). */
    private read(ref: StackRef): StackRecord | undefined {
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

    private write(record: StackRecord): void {
        const file = this.recordPath(record);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Write-then-rename: a crash mid-write never leaves a half-written state file.
        const temp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`);
        fs.renameSync(temp, file);
    }

    private platformsPath(): string {
        return path.join(this.stateDir, "platforms.json");
    }

    /** A cache of plan outputs (rebuilt by the next plan): a damaged one counts as empty. */
    private readPlatforms(): Partial<Record<FullEnvironment, Record<string, unknown>>> {
        try {
            const value = JSON.parse(fs.readFileSync(this.platformsPath(), "utf8")) as unknown;
            return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Partial<Record<FullEnvironment, Record<string, unknown>>>) : {};
        } catch {
            return {};
        }
    }

    /** Keeps the platform outputs a plan produced, so guarding a later `down` or `gc` needs no new synthesis. */
    private rememberPlatforms(document: PlanDocument): void {
        const platforms = this.readPlatforms();
        for (const stack of document.stacks.filter((s) => s.project === "platform" && isFullEnvironment(s.stack))) {
            platforms[stack.stack as FullEnvironment] = stack.outputs;
        }
        fs.mkdirSync(this.stateDir, { recursive: true });
        const temp = `${this.platformsPath()}.${process.pid}.tmp`;
        fs.writeFileSync(temp, `${JSON.stringify(platforms, null, 2)}\n`);
        fs.renameSync(temp, this.platformsPath());
    }
}

const SYMBOL: Record<Exclude<ChangeOp, "same">, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const PAST: Record<Exclude<ChangeOp, "same">, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted" };

function throwIfAborted(ref: StackRef, signal: AbortSignal | undefined): void {
    if (signal?.aborted) {
        throw new OperationCancelledError(ref);
    }
}

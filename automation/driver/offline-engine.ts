/**
 * The engine without a cloud: `up` synthesizes the environment chain with the offline plan (mock
 * runtime plus the policy pack) and diffs the target stack against the state recorded in a local
 * stack registry, so the PR lifecycle (create, no-op re-run, destroy, gc, locks, failures) runs
 * in tests and with `--offline` exactly as the driver runs it against a real backend.
 *
 * The registry (records, locks, platform outputs) is offline-state.ts; the diff and the steps
 * with injected failures are offline-changes.ts; this class runs the operations and caches plans.
 */
import * as path from "path";
import { planEnvironment } from "../plan/plan";

import type { FullEnvironment, Layer } from "../../lib/environments";
import { REPO_ROOT } from "../../lib/repository";
import { SECRET_PLACEHOLDER, type PlanDocument, type PlannedStack } from "../../plan-model/types";
import {
    EngineError,
    OperationCancelledError,
    PolicyViolationError,
    StackNotFoundError,
    UpdateFailedError,
    countChanges,
    stackLabel,
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
import { applyChanges, diff, injectorFromEnvironment, stableJson, streamChanges, type FailureInjector } from "./offline-changes";
import { OfflineStateStore, type StackRecord, type UpdateRecord } from "./offline-state";

/** The offline plan API (automation/plan/plan.ts `planEnvironment`); tests may inject another. */
export type PlanEnvironment = (
    env: string,
    options?: { configOverrides?: Record<string, Record<string, unknown>> },
) => Promise<PlanDocument>;

export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, ".plan-state");
/** Overrides the registry directory (tests, parallel checkouts). */
export const STATE_DIR_ENV = "PAYMENTS_OFFLINE_STATE_DIR";

export interface OfflineEngineOptions {
    stateDir?: string;
    plan?: PlanEnvironment;
    failWhen?: FailureInjector;
}

function overridesFor(ref: StackRef, config: Record<string, unknown> | undefined): Record<string, Record<string, unknown>> {
    return config === undefined ? {} : { [stackLabel(ref)]: config };
}

/** The plan environment whose chain contains a stack. */
function planEnvironmentOf(ref: StackRef): string {
    return ref.project === "foundation" ? "mgmt" : ref.stack;
}

function outputsOf(raw: Record<string, unknown>): Record<string, OutputValue> {
    return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, { value, secret: value === SECRET_PLACEHOLDER }]));
}

function updateRecord(kind: UpdateRecord["kind"], started: number, failed: readonly FailedResource[], cancelled = false): UpdateRecord {
    return {
        kind,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        result: failed.length === 0 && !cancelled ? "succeeded" : "failed",
    };
}

function throwIfAborted(ref: StackRef, signal: AbortSignal | undefined): void {
    if (signal?.aborted) {
        throw new OperationCancelledError(ref);
    }
}

export class OfflineEngine implements Engine {
    readonly kind = "offline" as const;
    readonly stateDir: string;
    private readonly store: OfflineStateStore;
    private readonly plan: PlanEnvironment;
    private readonly failWhen: FailureInjector | undefined;
    private readonly plans = new Map<string, Promise<PlanDocument>>();
    /** The capacity estimate of the plan each planned stack came from. */
    private readonly capacities = new WeakMap<PlannedStack, NonNullable<OperationResult["capacity"]>>();

    constructor(options: OfflineEngineOptions = {}) {
        // An empty variable is an unset one: never the current directory (the checkout).
        this.stateDir = path.resolve(options.stateDir || process.env[STATE_DIR_ENV] || DEFAULT_STATE_DIR);
        this.store = new OfflineStateStore(this.stateDir);
        this.plan = options.plan ?? planEnvironment;
        this.failWhen = options.failWhen ?? injectorFromEnvironment();
    }

    async preview(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        const started = Date.now();
        const planned = await this.planned(ref, options);
        const record = this.store.read(ref);
        const changes = diff(record?.resources ?? [], planned.resources);
        streamChanges(options, changes, "would");
        return this.result(ref, "preview", started, changes, planned.resources.length, planned, outputsOf(planned.outputs), []);
    }

    async up(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        const started = Date.now();
        return this.locked(ref, "up", options, async () => {
            const planned = await this.planned(ref, options);
            throwIfAborted(ref, options.signal);
            const mandatory = planned.violations.filter((v) => v.enforcementLevel === "mandatory");
            const previous = this.store.read(ref);
            const changes = diff(previous?.resources ?? [], planned.resources);
            if (mandatory.length > 0) {
                const result = this.result(ref, "up", started, changes, previous?.resources.length ?? 0, planned, {}, []);
                throw new PolicyViolationError(ref, mandatory, result);
            }
            const { resources, failed, cancelled } = applyChanges(
                ref,
                previous?.resources ?? [],
                planned.resources,
                changes,
                options,
                this.failWhen,
            );
            const record: StackRecord = {
                project: ref.project,
                stack: ref.stack,
                createdAt: previous?.createdAt ?? new Date(started).toISOString(),
                config: options.config ?? previous?.config ?? {},
                resources,
                outputs: failed.length === 0 && !cancelled ? planned.outputs : (previous?.outputs ?? {}),
                updates: [...(previous?.updates ?? []), updateRecord("up", started, failed, cancelled)],
            };
            this.store.write(record);
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
            const record = this.existing(ref);
            const changes: ResourceChange[] = [...record.resources].reverse().map((r) => ({ urn: r.urn, type: r.type, op: "delete" }));
            const { resources, failed, cancelled } = applyChanges(ref, record.resources, [], changes, options, this.failWhen);
            this.store.write({
                ...record,
                resources,
                outputs: resources.length === 0 ? {} : record.outputs,
                updates: [...record.updates, updateRecord("destroy", started, failed, cancelled)],
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
            const record = this.existing(ref);
            // Nothing drifts offline: the registry is the only world; record that a refresh ran.
            this.store.write({ ...record, updates: [...record.updates, updateRecord("refresh", started, [])] });
        });
    }

    async removeStack(ref: StackRef): Promise<void> {
        await this.locked(ref, "stack rm", {}, async () => {
            const record = this.existing(ref);
            if (record.resources.length > 0) {
                throw new EngineError(`${stackLabel(ref)} still has ${record.resources.length} resources; destroy it before removing it`);
            }
            this.store.remove(ref);
        });
    }

    async listStacks(project: Layer): Promise<StackSummary[]> {
        return this.store.list(project);
    }

    async stackExists(ref: StackRef): Promise<boolean> {
        return this.store.read(ref) !== undefined;
    }

    async stackOutputs(ref: StackRef): Promise<Record<string, OutputValue>> {
        return outputsOf(this.existing(ref).outputs);
    }

    async deploymentAccounts(ref: StackRef): Promise<string[]> {
        return providerAccounts(this.store.read(ref)?.resources ?? []);
    }

    async platformOutputs(
        env: FullEnvironment,
        forStack?: { ref: StackRef; config?: Record<string, unknown> },
    ): Promise<Record<string, unknown>> {
        const cached = this.store.platforms()[env];
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
        this.store.releaseOwnLock(ref);
    }

    private existing(ref: StackRef): StackRecord {
        const record = this.store.read(ref);
        if (record === undefined) {
            throw new StackNotFoundError(ref);
        }
        return record;
    }

    private locked<T>(ref: StackRef, operation: string, options: OperationOptions, body: () => Promise<T>): Promise<T> {
        return this.store.locked(ref, operation, () => {
            throwIfAborted(ref, options.signal);
            return body();
        });
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

    /** One plan per environment and overrides for the engine's life: a PR's preview and up share a synthesis. */
    private planDocument(env: string, overrides: Record<string, Record<string, unknown>>): Promise<PlanDocument> {
        const key = `${env}\0${stableJson(overrides)}`;
        let document = this.plans.get(key);
        if (document === undefined) {
            document = this.plan(env, { configOverrides: overrides }).then((doc) => {
                this.store.rememberPlatforms(doc);
                return doc;
            });
            document.catch(() => this.plans.delete(key));
            this.plans.set(key, document);
        }
        return document;
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
}

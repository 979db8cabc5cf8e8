/**
 * The one interface the PR and promotion drivers talk to. Two implementations: the Automation API
 * (automation-engine.ts, a real backend through the Pulumi CLI) and the offline engine
 * (offline-engine.ts, the mock-runtime plan plus a stack registry on disk), so the whole lifecycle
 * runs in tests and with `--offline` exactly as it runs in CI.
 */
import type { CapacityEstimate } from "../../plan-model/estimates";
import type { FullEnvironment, Layer } from "../../lib/environments";
import { OperationalError, UserError } from "../../lib/errors";
import type { PlannedStack, Violation } from "../../plan-model/types";

/** A stack of one of the estate's projects: `<project>/<stack>`. */
export interface StackRef {
    project: Layer;
    stack: string;
}

export function stackLabel(ref: StackRef): string {
    return `${ref.project}/${ref.stack}`;
}

export type ChangeOp = "create" | "update" | "replace" | "delete" | "same";

export interface ResourceChange {
    urn: string;
    type: string;
    op: ChangeOp;
}

export interface FailedResource {
    urn: string;
    type: string;
    message: string;
}

export interface OutputValue {
    value: unknown;
    secret: boolean;
}

export type ChangeCounts = Record<ChangeOp, number>;

export function emptyCounts(): ChangeCounts {
    return { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
}

export function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
    const counts = emptyCounts();
    for (const change of changes) {
        counts[change.op]++;
    }
    return counts;
}

/** True when an operation would change (or changed) nothing. */
export function isNoOp(counts: ChangeCounts): boolean {
    return counts.create + counts.update + counts.replace + counts.delete === 0;
}

export type OperationKind = "preview" | "up" | "destroy";

export interface OperationResult {
    ref: StackRef;
    kind: OperationKind;
    /** Per-resource steps, when the engine reports them (the offline engine always does). */
    changes: ResourceChange[];
    counts: ChangeCounts;
    outputs: Record<string, OutputValue>;
    /** Resources in the stack after the operation (for a preview: after it would apply). */
    resourceCount: number;
    policyViolations: Violation[];
    failedResources: FailedResource[];
    elapsedMs: number;
    /** The synthesized stack behind the result, when the engine has one (offline): lets callers estimate cost. */
    planned?: PlannedStack;
    /** For a PR stack planned with its platform (offline): how many PR environments the platform holds. */
    capacity?: CapacityEstimate;
}

export interface StackSummary {
    ref: StackRef;
    lastUpdate?: Date;
    /** When the stack's first update started; unknown for a stack that never ran. */
    createdAt?: Date;
    resourceCount?: number;
    updateInProgress: boolean;
    /** The stack's lock outlived its holder (a process on this host that is gone): what to remove. */
    staleLock?: string;
    /** The stack's record cannot be read: what is wrong and the file. */
    unreadable?: string;
}

export interface OperationOptions {
    /**
     * Configuration for the stack, full keys (`workloads:imageTag`) to values. For `up` and
     * `preview` the stack's configuration is exactly this (the driver builds it from the stack file
     * or template plus the run's values), so a second run with the same inputs changes nothing.
     */
    config?: Record<string, unknown>;
    /** Evaluate the estate's CrossGuard pack (policy-pack/). Default true. */
    policyPack?: boolean;
    /** Progress text, line by line, as the engine produces it. */
    onOutput?: (text: string) => void;
    /** Aborting cancels the running operation cleanly (the CLI gets SIGINT, the offline engine stops between steps). */
    signal?: AbortSignal;
}

export interface Engine {
    readonly kind: "automation" | "offline";
    preview(ref: StackRef, options?: OperationOptions): Promise<OperationResult>;
    /** Creates the stack when it does not exist. Throws UpdateFailedError naming failed resources; the stack stays. */
    up(ref: StackRef, options?: OperationOptions): Promise<OperationResult>;
    /** Throws StackNotFoundError when there is no such stack. */
    destroy(ref: StackRef, options?: OperationOptions): Promise<OperationResult>;
    /** Reconciles the recorded state with what exists, before a destroy is retried. */
    refresh(ref: StackRef, options?: OperationOptions): Promise<void>;
    /** Removes the stack and its history; the stack must be empty. */
    removeStack(ref: StackRef): Promise<void>;
    listStacks(project: Layer): Promise<StackSummary[]>;
    stackExists(ref: StackRef): Promise<boolean>;
    stackOutputs(ref: StackRef): Promise<Record<string, OutputValue>>;
    /** AWS account ids that the stack's AWS providers deploy into, from its recorded state (empty when it has none). */
    deploymentAccounts(ref: StackRef): Promise<string[]>;
    /**
     * The outputs of `platform/<env>` (PlatformOutputs: accountId, domainName, ...), secrets masked:
     * where the driver learns the test account and the test domain that every pr-<n> lives in.
     * `forStack` names the stack about to be operated on (with its config), so an engine that
     * synthesizes (offline) reads them from the same plan it is about to apply.
     */
    platformOutputs(env: FullEnvironment, forStack?: { ref: StackRef; config?: Record<string, unknown> }): Promise<Record<string, unknown>>;
    /**
     * Stops the stack's running update that this process started (lock released), for a runner
     * that is going away. Never touches a lock another process holds.
     */
    cancel(ref: StackRef): Promise<void>;
}

/** Base of every error an engine throws on purpose, so the CLI can print them without a stack trace. */
export class EngineError extends OperationalError {}

/** Another update holds the stack (Pulumi's "[409] Conflict" / "the stack is currently locked by"). */
export class StackLockedError extends EngineError {
    constructor(
        readonly ref: StackRef,
        readonly holder: string,
        /** How to release the lock once its holder is known to be gone, when the engine knows better than `pulumi cancel`. */
        readonly release?: string,
    ) {
        super(`${stackLabel(ref)} is locked by another update (${holder})`);
    }
}

/** A lock file nobody can read: no one can tell whether its holder still runs, so a person decides. */
export class LockUnreadableError extends UserError {
    constructor(
        readonly ref: StackRef,
        readonly file: string,
        reason: string,
    ) {
        super(
            `the lock of ${stackLabel(ref)} cannot be read (${file}: ${reason}); if no update of ${stackLabel(ref)} is running, remove it: rm ${file}`,
        );
    }
}
/** The Automation API calls a locked stack a concurrent update; same thing. */
export { StackLockedError as ConcurrentUpdateError };

export class StackNotFoundError extends EngineError {
    constructor(readonly ref: StackRef) {
        super(`stack ${stackLabel(ref)} does not exist`);
    }
}

/** An update or destroy that ran but left some resources failed; the stack keeps what succeeded. */
export class UpdateFailedError extends EngineError {
    constructor(
        readonly ref: StackRef,
        readonly kind: OperationKind,
        readonly failedResources: FailedResource[],
        readonly detail: string,
        readonly result?: OperationResult,
    ) {
        super(
            `${kind} of ${stackLabel(ref)} failed` +
                (failedResources.length > 0
                    ? `; failed resources:\n${failedResources.map((f) => `  - ${f.urn}: ${f.message}`).join("\n")}`
                    : `: ${detail}`),
        );
    }
}

/** Mandatory policy violations: nothing was changed. */
export class PolicyViolationError extends EngineError {
    constructor(
        readonly ref: StackRef,
        readonly violations: Violation[],
        readonly result?: OperationResult,
    ) {
        super(
            `${stackLabel(ref)}: ${violations.length} mandatory policy violation(s):\n` +
                violations.map((v) => `  - [${v.policy}] ${v.urn ?? "(stack)"}: ${v.message}`).join("\n"),
        );
    }
}

export class OperationCancelledError extends EngineError {
    constructor(
        readonly ref: StackRef,
        detail = "; the stack lock is released and the next run picks up from its state",
    ) {
        super(`the operation on ${stackLabel(ref)} was cancelled${detail.startsWith(";") ? detail : ` ${detail}`}`);
    }
}

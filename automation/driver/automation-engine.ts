/**
 * The engine for real runs: `@pulumi/pulumi/automation` driving the Pulumi CLI, one LocalWorkspace
 * per layer directory (so `<layer>/Pulumi.yaml` and `<layer>/Pulumi.<stack>.yaml` are what a
 * platform engineer's `pulumi -C <layer>` would use).
 *
 * Backend and secrets provider: `PULUMI_BACKEND_URL` / `PULUMI_SECRETS_PROVIDER` from the
 * environment (CI sets them from the bootstrap stack's outputs) or the options; without them the
 * CLI falls back to the project's `backend.url` and the stack file's `secretsprovider`.
 */
import * as path from "path";

import * as auto from "@pulumi/pulumi/automation";
import { version as pulumiSdkVersion } from "@pulumi/pulumi/version";

import type { FullEnvironment, Layer } from "../../lib/environments";
import { UserError } from "../../lib/errors";
import { SECRET_PLACEHOLDER, type Violation } from "../../plan-model/types";
import {
    EngineError,
    OperationCancelledError,
    PolicyViolationError,
    StackLockedError,
    StackNotFoundError,
    UpdateFailedError,
    countChanges,
    emptyCounts,
    stackLabel,
    type ChangeCounts,
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
import { policyPackConfigFile } from "../../policy-pack/config-file";
import { REPO_ROOT } from "../../lib/repository";

/** The real engine needs the Pulumi CLI, and there is none where we looked. */
export class PulumiCliMissingError extends UserError {
    constructor(root: string | undefined) {
        super(
            `the Pulumi CLI is not installed ${root ? `in ${root}/bin` : "on PATH"}: install it (https://www.pulumi.com/docs/install/, ` +
                `v${PINNED_PULUMI_VERSION} as in package.json's @pulumi/pulumi), or set ${PULUMI_ROOT_ENV} to the directory holding bin/pulumi; ` +
                `without a backend, add --offline`,
        );
    }
}

/** The CLI version the SDK in package.json pairs with. */
const PINNED_PULUMI_VERSION: string = pulumiSdkVersion;

/** A directory holding `bin/pulumi`: a pinned CLI install, or the tests' recording stand-in. */
export const PULUMI_ROOT_ENV = "PAYMENTS_PULUMI_ROOT";
/** `<org>` of fully qualified stack names (`organization` on a self-managed backend). */
export const STACK_ORG_ENV = "PULUMI_STACK_ORG";

export interface AutomationEngineOptions {
    repoRoot?: string;
    pulumiRoot?: string;
    backendUrl?: string;
    secretsProvider?: string;
    stackOrg?: string;
    /** Extra environment for every CLI run. */
    env?: Record<string, string>;
    /** For a CLI that reports a development version; the recording stand-in in tests. */
    skipVersionCheck?: boolean;
}

const STEP_OPS: Partial<Record<string, ChangeOp>> = {
    create: "create",
    update: "update",
    replace: "replace",
    delete: "delete",
    same: "same",
};

/** What the engine events of one operation said, gathered for the typed result. */
class EventCollector {
    readonly changes: ResourceChange[] = [];
    readonly violations: Violation[] = [];
    readonly failed = new Map<string, FailedResource>();
    summary?: ChangeCounts;

    readonly onEvent = (event: auto.EngineEvent): void => {
        const pre = event.resourcePreEvent?.metadata;
        const op = pre ? STEP_OPS[pre.op] : undefined;
        if (pre && op && !this.changes.some((c) => c.urn === pre.urn)) {
            this.changes.push({ urn: pre.urn, type: pre.type, op });
        }
        const failed = event.resOpFailedEvent?.metadata;
        if (failed) {
            this.failed.set(failed.urn, {
                urn: failed.urn,
                type: failed.type,
                message: this.failed.get(failed.urn)?.message ?? `${failed.op} failed`,
            });
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic?.severity === "error" && diagnostic.urn) {
            const known = this.failed.get(diagnostic.urn);
            const type = known?.type ?? diagnostic.urn.split("::")[2] ?? "";
            this.failed.set(diagnostic.urn, { urn: diagnostic.urn, type, message: diagnostic.message.trim() });
        }
        const policy = event.policyEvent;
        if (policy) {
            this.violations.push({
                policy: policy.policyName,
                enforcementLevel: policy.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
                urn: policy.resourceUrn ?? null,
                message: policy.message.trim(),
            });
        }
        const summary = event.summaryEvent?.resourceChanges;
        if (summary) {
            const counts = emptyCounts();
            for (const [key, value] of Object.entries(summary)) {
                const mapped = STEP_OPS[key];
                if (mapped !== undefined && typeof value === "number") {
                    counts[mapped] += value;
                }
            }
            this.summary = counts;
        }
    };

    failedResources(): FailedResource[] {
        return [...this.failed.values()];
    }
}

export class AutomationApiEngine implements Engine {
    readonly kind = "automation" as const;
    private readonly repoRoot: string;
    private readonly options: AutomationEngineOptions;
    private command?: Promise<auto.PulumiCommand>;
    private readonly workspaces = new Map<Layer, Promise<auto.LocalWorkspace>>();

    constructor(options: AutomationEngineOptions = {}) {
        this.options = options;
        this.repoRoot = options.repoRoot ?? REPO_ROOT;
    }

    /** The stack name the backend knows: `<org>/<project>/<stack>` when an org is configured. */
    stackName(ref: StackRef): string {
        const org = this.options.stackOrg ?? process.env[STACK_ORG_ENV];
        return org ? `${org}/${ref.project}/${ref.stack}` : ref.stack;
    }

    async preview(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        return this.operation(ref, "preview", options, async (stack, events) => {
            await stack.preview({
                policyPacks: this.policyPacks(options),
                policyPackConfigs: this.policyPackConfigs(ref, options),
                onOutput: options.onOutput,
                onEvent: events.onEvent,
                signal: options.signal,
            });
            return undefined;
        });
    }

    async up(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        return this.operation(ref, "up", options, async (stack, events) => {
            const result = await stack.up({
                policyPacks: this.policyPacks(options),
                policyPackConfigs: this.policyPackConfigs(ref, options),
                onOutput: options.onOutput,
                onEvent: events.onEvent,
                signal: options.signal,
            });
            return result.outputs;
        });
    }

    async destroy(ref: StackRef, options: OperationOptions = {}): Promise<OperationResult> {
        if (!(await this.stackExists(ref))) {
            throw new StackNotFoundError(ref);
        }
        return this.operation(ref, "destroy", options, async (stack, events) => {
            await stack.destroy({ onOutput: options.onOutput, onEvent: events.onEvent, signal: options.signal });
            return {};
        });
    }

    async refresh(ref: StackRef, options: OperationOptions = {}): Promise<void> {
        const stack = await this.select(ref);
        await this.translate(ref, () => stack.refresh({ onOutput: options.onOutput, signal: options.signal }), options);
    }

    async removeStack(ref: StackRef): Promise<void> {
        const workspace = await this.workspace(ref.project);
        await this.translate(ref, () => workspace.removeStack(this.stackName(ref)));
    }

    async listStacks(project: Layer): Promise<StackSummary[]> {
        const workspace = await this.workspace(project);
        const stacks = await workspace.listStacks();
        const summaries: StackSummary[] = [];
        for (const summary of stacks) {
            const ref: StackRef = { project, stack: summary.name.split("/").pop() as string };
            summaries.push({
                ref,
                lastUpdate: summary.lastUpdate ? new Date(summary.lastUpdate) : undefined,
                createdAt: await this.createdAt(ref),
                resourceCount: summary.resourceCount,
                updateInProgress: summary.updateInProgress ?? false,
            });
        }
        return summaries;
    }

    async stackExists(ref: StackRef): Promise<boolean> {
        const workspace = await this.workspace(ref.project);
        const stacks = await workspace.listStacks();
        return stacks.some((s) => s.name.split("/").pop() === ref.stack);
    }

    async stackOutputs(ref: StackRef): Promise<Record<string, OutputValue>> {
        const workspace = await this.workspace(ref.project);
        return this.translate(ref, () => workspace.stackOutputs(this.stackName(ref)));
    }

    async deploymentAccounts(ref: StackRef): Promise<string[]> {
        if (!(await this.stackExists(ref))) {
            return [];
        }
        const workspace = await this.workspace(ref.project);
        const exported = await workspace.exportStack(this.stackName(ref));
        const resources = (exported.deployment as { resources?: { type: string; inputs?: Record<string, unknown> }[] })?.resources ?? [];
        return providerAccounts(resources);
    }

    async platformOutputs(env: FullEnvironment): Promise<Record<string, unknown>> {
        // The backend holds platform/<env>'s last outputs; nothing depends on the stack about to run.
        const outputs = await this.stackOutputs({ project: "platform", stack: env });
        return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? SECRET_PLACEHOLDER : v.value]));
    }

    async cancel(ref: StackRef): Promise<void> {
        const stack = await this.select(ref);
        await stack.cancel();
    }

    private policyPacks(options: OperationOptions): string[] | undefined {
        return options.policyPack === false ? undefined : [path.join(this.repoRoot, "policy-pack")];
    }

    private policyPackConfigs(ref: StackRef, options: OperationOptions): string[] | undefined {
        return this.policyPacks(options)?.map((pack) => policyPackConfigFile(ref.stack, pack));
    }

    private async operation(
        ref: StackRef,
        kind: OperationKind,
        options: OperationOptions,
        run: (stack: auto.Stack, events: EventCollector) => Promise<auto.OutputMap | undefined>,
    ): Promise<OperationResult> {
        const started = Date.now();
        const stack = kind === "destroy" ? await this.select(ref) : await this.createOrSelect(ref, options.config);
        const events = new EventCollector();
        const result = (outputs: auto.OutputMap | undefined, resourceCount: number): OperationResult => ({
            ref,
            kind,
            changes: events.changes,
            counts: events.summary ?? countChanges(events.changes),
            outputs: Object.fromEntries(
                Object.entries(outputs ?? {}).map(([k, v]) => [k, { value: v.value as unknown, secret: v.secret }]),
            ),
            resourceCount,
            policyViolations: events.violations,
            failedResources: events.failedResources(),
            elapsedMs: Date.now() - started,
        });
        const outputs = await this.translate(ref, () => run(stack, events), options, { kind, events, partial: () => result(undefined, 0) });
        return result(outputs, await this.resourceCount(ref));
    }

    /** Maps CLI failures to the engine's typed errors; `operation` describes an up/preview/destroy in flight. */
    private async translate<T>(
        ref: StackRef,
        run: () => Promise<T>,
        options: OperationOptions = {},
        operation?: { kind: OperationKind; events: EventCollector; partial: () => OperationResult },
    ): Promise<T> {
        try {
            return await run();
        } catch (error) {
            if (error instanceof auto.ConcurrentUpdateError) {
                throw new StackLockedError(ref, firstErrorLine(error));
            }
            if (error instanceof auto.StackNotFoundError) {
                throw new StackNotFoundError(ref);
            }
            if (options.signal?.aborted) {
                throw new OperationCancelledError(ref);
            }
            if (!(error instanceof auto.CommandError)) {
                throw error;
            }
            if (operation === undefined) {
                throw new EngineError(`pulumi failed on ${stackLabel(ref)}: ${firstErrorLine(error)}`);
            }
            const mandatory = operation.events.violations.filter((v) => v.enforcementLevel === "mandatory");
            if (mandatory.length > 0) {
                throw new PolicyViolationError(ref, mandatory, operation.partial());
            }
            throw new UpdateFailedError(
                ref,
                operation.kind,
                operation.events.failedResources(),
                firstErrorLine(error),
                operation.partial(),
            );
        }
    }

    private async resourceCount(ref: StackRef): Promise<number> {
        const workspace = await this.workspace(ref.project);
        const summary = (await workspace.listStacks()).find((s) => s.name.split("/").pop() === ref.stack);
        return summary?.resourceCount ?? 0;
    }

    private async createdAt(ref: StackRef): Promise<Date | undefined> {
        const stack = await this.select(ref);
        const history = await stack.history(undefined, undefined, false);
        const starts = history.map((h) => new Date(h.startTime).getTime()).filter((t) => Number.isFinite(t));
        return starts.length > 0 ? new Date(Math.min(...starts)) : undefined;
    }

    private async select(ref: StackRef): Promise<auto.Stack> {
        const workspace = await this.workspace(ref.project);
        return this.translate(ref, () => auto.Stack.select(this.stackName(ref), workspace));
    }

    /** Selects (or creates) the stack and, when given, makes `config` its configuration, keeping its secrets settings. */
    private async createOrSelect(ref: StackRef, config: Record<string, unknown> | undefined): Promise<auto.Stack> {
        const workspace = await this.workspace(ref.project);
        const name = this.stackName(ref);
        const stack = await this.translate(ref, () => auto.Stack.createOrSelect(name, workspace));
        if (config !== undefined) {
            const current = await workspace.stackSettings(name).catch((): auto.StackSettings => ({}));
            await workspace.saveStackSettings(name, { ...current, config });
        }
        return stack;
    }

    private pulumiCommand(): Promise<auto.PulumiCommand> {
        if (this.command === undefined) {
            const root = this.options.pulumiRoot ?? process.env[PULUMI_ROOT_ENV];
            this.command = auto.PulumiCommand.get({ root, skipVersionCheck: this.options.skipVersionCheck }).catch((error: unknown) => {
                this.command = undefined;
                throw /ENOENT/.test(String((error as Error).message)) ? new PulumiCliMissingError(root) : error;
            });
        }
        return this.command;
    }

    private workspace(project: Layer): Promise<auto.LocalWorkspace> {
        let workspace = this.workspaces.get(project);
        if (workspace === undefined) {
            workspace = this.pulumiCommand().then((pulumiCommand) => {
                const backendUrl = this.options.backendUrl ?? process.env.PULUMI_BACKEND_URL;
                return auto.LocalWorkspace.create({
                    workDir: path.join(this.repoRoot, project),
                    pulumiCommand,
                    secretsProvider: this.options.secretsProvider ?? process.env.PULUMI_SECRETS_PROVIDER,
                    envVars: {
                        PULUMI_SKIP_UPDATE_CHECK: "true",
                        ...(backendUrl ? { PULUMI_BACKEND_URL: backendUrl } : {}),
                        ...this.options.env,
                    },
                });
            });
            workspace.catch(() => this.workspaces.delete(project));
            this.workspaces.set(project, workspace);
        }
        return workspace;
    }
}

function firstErrorLine(error: unknown): string {
    const stderr = (error as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? String(error);
    const lines = stderr
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
    return lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "the Pulumi CLI failed";
}

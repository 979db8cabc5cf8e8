import { isFullEnvironment, isPullRequestEnvironment } from "../../lib/environments";
import { PlanUsageError } from "../engine/project";

export const LAYERS = ["foundation", "platform", "workloads"] as const;
export type LayerName = (typeof LAYERS)[number];

export interface StackTarget {
    project: LayerName | "bootstrap";
    stack: string;
    /** The program's folder under the repository root, when it is not the project's name (bootstrap: the root). */
    directory?: string;
    /** The stack file to read, when it is not `Pulumi.<stack>.yaml` (every pr-<n> uses the template). */
    stackFile?: string;
}

/** The template every `pr-<n>` stack's config is made from (shared/CONVENTIONS.md). */
export const PR_STACK_TEMPLATE = "Pulumi.pr.yaml";

/**
 * Every stack an environment needs, in the order they must be synthesized so each stack's
 * references are answered by a stack before it.
 */
export function environmentChain(env: string): StackTarget[] {
    const upstream: StackTarget[] = [
        { project: "foundation", stack: "org" },
        { project: "platform", stack: "mgmt" },
    ];
    if (env === "mgmt") {
        // The CI roles (management account) that foundation's account roles trust: their chain is proven in mgmt's plan.
        return [{ project: "bootstrap", stack: "mgmt", directory: "." }, ...upstream];
    }
    if (isPullRequestEnvironment(env)) {
        return [...upstream, { project: "platform", stack: "test" }, { project: "workloads", stack: env, stackFile: PR_STACK_TEMPLATE }];
    }
    if (isFullEnvironment(env)) {
        return [...upstream, { project: "platform", stack: env }, { project: "workloads", stack: env }];
    }
    throw new PlanUsageError(`Unknown environment "${env}". Use one of mgmt, test, preprod, prod, or pr-<n> (e.g. pr-42).`);
}

/**
 * Many PR environments planned against one test platform in one process (the SDKs and the
 * platform are loaded and synthesized once), and the shared-resource conflicts between them: what
 * a real account, ALB, hosted zone or cluster would refuse when the second of two live PRs claims
 * something the first already holds.
 */
import * as path from "path";
import { estimateCapacity } from "../../plan-model/estimates/capacity";
import type { CapacityEstimate } from "../../plan-model/estimates/types";
import type { PlannedResource, PlannedStack } from "../../plan-model/types";
import { environmentChain } from "../../lib/environments";
import { planned, StackRegistry, synthesizeStack } from "./plan";
import { REPO_ROOT } from "../../lib/repository";

export interface PullRequestFleet {
    /** foundation/org, platform/mgmt, platform/test: synthesized once. */
    upstream: PlannedStack[];
    pullRequests: PlannedStack[];
    capacity: CapacityEstimate | undefined;
}

/** Plans `workloads/pr-<n>` for every number against one synthesized test platform. */
export async function planPullRequests(numbers: readonly number[]): Promise<PullRequestFleet> {
    if (numbers.length === 0) throw new Error("planPullRequests needs at least one PR number");
    const registry = new StackRegistry();
    const chain = environmentChain(`pr-${numbers[0]}`);
    const upstream: PlannedStack[] = [];
    for (const target of chain.filter((t) => t.project !== "workloads")) {
        upstream.push(
            planned(await synthesizeStack(path.join(REPO_ROOT, target.project), target.stack, { stackFile: target.stackFile, registry })),
        );
    }
    const template = chain.find((t) => t.project === "workloads")!;
    const pullRequests: PlannedStack[] = [];
    for (const n of numbers) {
        pullRequests.push(
            planned(await synthesizeStack(path.join(REPO_ROOT, "workloads"), `pr-${n}`, { stackFile: template.stackFile, registry })),
        );
    }
    return { upstream, pullRequests, capacity: estimateCapacity([...upstream, pullRequests[0]]) };
}

/** Kubernetes objects: kind-qualified, namespaced where they are. */
function kubernetesClaim(r: PlannedResource): string | undefined {
    const metadata = r.inputs.metadata as { name?: unknown; namespace?: unknown } | undefined;
    if (typeof metadata?.name !== "string") return undefined;
    const kind = r.type.slice(r.type.lastIndexOf(":") + 1);
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
    return `${kind} ${namespace ? `${namespace}/` : ""}${metadata.name}`;
}

/** What one resource claims that must be unique among everything live in the account and clusters. */
function claims(r: PlannedResource): string[] {
    if (!r.custom || r.type.startsWith("pulumi:")) return [];
    const out: string[] = [];
    if (r.type.startsWith("kubernetes:")) {
        const claim = kubernetesClaim(r);
        if (claim) out.push(`name ${claim}`);
        const hostnames = (r.inputs.spec as { hostnames?: unknown } | undefined)?.hostnames;
        if (Array.isArray(hostnames)) out.push(...hostnames.map((h) => `hostname ${String(h)}`));
        const ports = ((r.inputs.spec as { ports?: { nodePort?: unknown }[] } | undefined)?.ports ?? []).filter(
            (p) => typeof p.nodePort === "number",
        );
        out.push(...ports.map((p) => `nodePort ${String(p.nodePort)}`));
        return out;
    }
    const type = r.type.slice(r.type.indexOf(":") + 1);
    // An invocation names the function it calls (every PR calls platform/test's PR provisioner): a use, not a claim.
    const keys = r.type === "aws:lambda/invocation:Invocation" ? ["name"] : ["name", "bucket", "functionName", "tableName", "roleName"];
    for (const key of keys) {
        const value = r.inputs[key];
        // Listener rules and records have no physical name of their own; their claims follow.
        if (typeof value === "string" && r.type !== "aws:route53/record:Record") out.push(`name ${type} ${value}`);
    }
    if (r.type === "aws:route53/record:Record")
        out.push(`hostname ${String(r.inputs.zoneId)} ${String(r.inputs.name)} ${String(r.inputs.type)}`);
    if (r.type === "aws:lb/listenerRule:ListenerRule") out.push(`priority ${String(r.inputs.listenerArn)} ${String(r.inputs.priority)}`);
    if (r.type === "aws:lb/listener:Listener") out.push(`port ${String(r.inputs.loadBalancerArn)} ${String(r.inputs.port)}`);
    if (r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation") {
        out.push(`pod identity ${String(r.inputs.clusterName)} ${String(r.inputs.namespace)}/${String(r.inputs.serviceAccount)}`);
    }
    return out;
}

/**
 * Claims (physical names, hostnames, listener priorities, ports) that two stacks both make:
 * `<claim>: <stack>, <stack>`. Empty when every environment can be live at once.
 */
export function sharedResourceConflicts(stacks: readonly PlannedStack[]): string[] {
    const holders = new Map<string, Set<string>>();
    for (const stack of stacks) {
        for (const r of stack.resources) {
            for (const claim of claims(r)) {
                const set = holders.get(claim) ?? new Set<string>();
                set.add(`${stack.project}/${stack.stack}`);
                holders.set(claim, set);
            }
        }
    }
    return [...holders].filter(([, set]) => set.size > 1).map(([claim, set]) => `${claim}: ${[...set].join(", ")}`);
}

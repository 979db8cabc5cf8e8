import { PlanDocument, PlannedResource, PlannedStack } from "../../plan-model/types";

function tree(resources: PlannedResource[]): string[] {
    const children = new Map<string | null, PlannedResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const resource of resources) {
        const parent = resource.parent !== null && known.has(resource.parent) ? resource.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }
    const lines: string[] = [];
    const walk = (parent: string | null, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            const flags = [resource.protect ? "protected" : "", resource.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
            lines.push(`${"  ".repeat(depth + 1)}+ ${resource.type}  ${resource.name}${flags ? `  [${flags}]` : ""}`);
            walk(resource.urn, depth + 1);
        }
    };
    walk(null, 0);
    return lines;
}

function countsByType(stack: PlannedStack): string[] {
    const counts = new Map<string, number>();
    for (const resource of stack.resources) {
        counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    }
    return [...counts.entries()]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([type, count]) => `    ${String(count).padStart(4)}  ${type}`);
}

function violations(stack: PlannedStack): string[] {
    if (stack.violations.length === 0) {
        return ["  Policy violations: none"];
    }
    return [
        `  Policy violations (${stack.violations.length}):`,
        ...stack.violations.map((v) => `    [${v.enforcementLevel}] ${v.policy}: ${v.message}${v.urn ? `\n        ${v.urn}` : ""}`),
    ];
}

function flowSection(doc: PlanDocument): string[] {
    const flows = doc.flows ?? [];
    const summary = doc.summary.flows;
    if (!summary) {
        return [];
    }
    const failing = flows.filter((f) => f.result === "failing");
    return [
        `Flows: ${summary.proven} proven, ${summary.failing} failing, ${summary.unknown} unknown`,
        ...failing.map(
            (f) =>
                `  [failing] ${f.kind}: ${f.subject} -> ${f.target}: ${f.action} (expected ${f.expect})\n      because ${f.because}  [${f.stack}]`,
        ),
        "",
    ];
}

/** The preview-like text for people: a tree per stack, counts by type, policy results, summary. */
export function renderPlan(doc: PlanDocument, extraSections: string[] = []): string {
    const lines = [`Plan for ${doc.env}: ${doc.summary.stacks} stack(s), ${doc.summary.resources} resources`, ""];
    for (const stack of doc.stacks) {
        lines.push(
            `${stack.project}/${stack.stack}  (${stack.resources.length} resources)`,
            ...tree(stack.resources),
            "",
            "  Resources by type:",
            ...countsByType(stack),
            ...violations(stack),
            "",
        );
    }
    lines.push(...extraSections, ...flowSection(doc));
    const flows = doc.summary.flows ? `, ${doc.summary.flows.failing} failing flows` : "";
    lines.push(
        `Summary: ${doc.summary.stacks} stacks, ${doc.summary.resources} resources, ` +
            `${doc.summary.mandatory} mandatory and ${doc.summary.advisory} advisory policy violations${flows}`,
    );
    return lines.join("\n") + "\n";
}

import { Anchor, CHECKS, Check } from "./checks";

const ANCHOR_TITLES: Record<Anchor, string> = {
    checkov: "Checkov AWS resource checks",
    "checkov-graph": "Checkov AWS graph checks",
    trivy: "Trivy AWS checks",
    awsguard: "Pulumi awsguard",
    "securityhub-fsbp": "Security Hub Foundational Security Best Practices",
    "securityhub-pci": "Security Hub PCI DSS v4.0.1",
};

export interface AnchorCoverage {
    anchor: Anchor;
    applicable: number;
    covered: number;
    partial: number;
    gaps: number;
    notApplicable: number;
    /** (covered + partial) / applicable, in percent. */
    percent: number;
}

export function coverage(checks: readonly Check[] = CHECKS): AnchorCoverage[] {
    return (Object.keys(ANCHOR_TITLES) as Anchor[]).map((anchor) => {
        const of = checks.filter((c) => c.anchor === anchor);
        const count = (status: Check["status"]) => of.filter((c) => c.status === status).length;
        const applicable = of.length - count("not-applicable");
        const hits = count("covered") + count("partial");
        return {
            anchor,
            applicable,
            covered: count("covered"),
            partial: count("partial"),
            gaps: count("gap"),
            notApplicable: count("not-applicable"),
            percent: applicable === 0 ? 0 : Math.round((hits / applicable) * 100),
        };
    });
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** docs/policy-coverage.md, generated (policy-pack/scripts/generate.ts); a test fails when it is stale. */
export function renderCoverage(checks: readonly Check[] = CHECKS): string {
    const summary = coverage(checks).map(
        (c) =>
            `| ${ANCHOR_TITLES[c.anchor]} | ${c.applicable} | ${c.covered} | ${c.partial} | ${c.gaps} | ${c.notApplicable} | **${c.percent}%** |`,
    );
    const sections = (Object.keys(ANCHOR_TITLES) as Anchor[]).map((anchor) => {
        const lines = checks
            .filter((c) => c.anchor === anchor)
            .map(
                (c) =>
                    `| ${c.id}${c.uncertain ? " (?)" : ""} | ${cell(c.title)} | ${c.status} | ${c.by ? `\`${c.by}\`` : ""} | ${cell(c.note ?? "")} |`,
            );
        return `### ${ANCHOR_TITLES[anchor]}\n| Id | Check | Status | Policy | Note |\n|---|---|---|---|---|\n${lines.join("\n")}\n`;
    });
    const uncertain = checks.filter((c) => c.uncertain).map((c) => `${c.id} (${c.anchor})`);
    return `<!-- Generated from policy-pack/coverage/checks.ts by policy-pack/scripts/generate.ts; do not edit by hand. -->
# Policy pack coverage against the rule sets reviewers use

The table in \`policy-pack/coverage/checks.ts\` lists, per rule set, the checks that apply to the resource types the
estate's plans contain, and what in the pack covers each: **covered** (a policy enforces it), **partial** (part of
it; the note says which), **gap** (applies, nothing enforces it yet) or **not-applicable** (with the reason).
\`test/policy-pack/coverage.test.ts\` fails when a plan holds an AWS resource type that no check names and that is not
listed with a reason in \`NO_ANCHOR_CHECKS\`, and when a policy's anchor ids are missing from the table.

**How to read the percentages.** They are (covered + partial) / (rows - not-applicable) over the rows of this table. The
rows are the checks we identified for the estate's types; they are not a complete export of each rule set (no scanner
ran here: there is no network). Checkov ids and titles were checked against the checks' source
(bridgecrewio/checkov \`checkov/terraform/checks/{resource,graph_checks}/aws\`; "graph checks" here are the \`CKV2_AWS\`
ids, a few \`CKV_AWS\` ids are graph checks too) and Trivy ids against aquasecurity/trivy-checks (\`checks/cloud/aws\`,
none deprecated). Security Hub control ids could not be checked against AWS's control reference offline: ids marked (?)
are the ones we are least sure of, ${uncertain.length} rows listed at the end. The Security Hub PCI DSS rows reuse FSBP control ids; which
ones the PCI standard contains is unconfirmed (all marked (?)).

| Rule set | Applicable rows | Covered | Partial | Gap | Not applicable | Covered + partial |
|---|---|---|---|---|---|---|
${summary.join("\n")}

${sections.join("\n")}
### Unconfirmed ids
${uncertain.join(", ")}
`;
}

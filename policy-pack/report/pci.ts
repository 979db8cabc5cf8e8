import * as fs from "fs";
import * as path from "path";
import type { PlanDocument } from "../../plan-model/types";
import { levelFor } from "../lib/pack-config";
import { POLICIES } from "../policies";

/**
 * PCI DSS v4.0.1 evidence for one environment, from its offline plan: for each requirement that
 * infrastructure can evidence, the SCPs and RCPs, the pack's policies and the behaviour checks
 * (flows) that evidence it, with their result in this environment; what infrastructure cannot
 * evidence is said so. `npm run plan -- --env <env> --report FILE.md|FILE.html`.
 */

interface Requirement {
    id: string;
    title: string;
    policies: string[];
    /** Suffixes of the organization policies (SCP `org-guardrails-scp-<x>`, RCP `org-guardrails-rcp-<x>`). */
    organizationPolicies: string[];
    /** Flow kinds (the plan's `flows[].kind`) whose results evidence it. */
    flowKinds: string[];
    /** What this requirement asks that infrastructure code cannot show. */
    notEvidenced?: string;
}

const REQUIREMENTS: Requirement[] = [
    {
        id: "1.2",
        title: "Network security controls are configured and maintained",
        policies: ["vpc-flow-logs", "vpc-default-sg-closed", "sg-descriptions", "region-allow-list", "explicit-provider"],
        organizationPolicies: ["scp-regions", "scp-baseline"],
        flowKinds: ["network"],
        notEvidenced: "the review of rule sets every six months (1.2.7) is a process",
    },
    {
        id: "1.3",
        title: "Network access to and from the cardholder data environment is restricted",
        policies: [
            "sg-no-public-ingress",
            "sg-no-admin-ports",
            "sg-no-unrestricted-egress",
            "rds-not-public",
            "opensearch-in-vpc",
            "lambda-in-vpc",
            "eks-private-endpoint",
            "eks-node-group-no-remote-access",
        ],
        organizationPolicies: [],
        flowKinds: ["network"],
    },
    {
        id: "1.4",
        title: "Network connections between trusted and untrusted networks are controlled",
        policies: [
            "cloudfront-waf",
            "alb-waf",
            "ec2-no-public-ip",
            "s3-public-access-block",
            "resource-policy-no-public-access",
            "resource-policy-no-external-access",
        ],
        organizationPolicies: ["rcp-data-perimeter"],
        flowKinds: ["network", "identity"],
    },
    {
        id: "2.2",
        title: "System components are configured and managed securely",
        policies: [
            "ec2-imdsv2",
            "versions-current",
            "eks-version-supported",
            "s3-acls-disabled",
            "vpc-default-sg-closed",
            "opensearch-fine-grained-access",
            "tagging-required-tags",
        ],
        organizationPolicies: ["scp-baseline"],
        flowKinds: [],
        notEvidenced: "vendor default accounts inside images and applications (2.2.2) and the configuration standards document (2.2.1)",
    },
    {
        id: "3.5",
        title: "Primary account number is secured wherever it is stored",
        policies: [
            "s3-encryption",
            "rds-encrypted",
            "dynamodb-kms",
            "sqs-encryption",
            "opensearch-encryption-at-rest",
            "kms-encrypted-topics-secrets-volumes",
            "logs-kms",
            "eks-secrets-encryption",
        ],
        organizationPolicies: ["scp-baseline", "scp-prod-data"],
        flowKinds: [],
        notEvidenced: "whether PAN is rendered unreadable inside the application (truncation, tokenisation)",
    },
    {
        id: "3.6",
        title: "Cryptographic keys used to protect stored account data are secured",
        policies: ["kms-deletion-window", "resource-policy-no-public-access", "resource-policy-no-external-access"],
        organizationPolicies: ["scp-baseline"],
        flowKinds: ["identity"],
    },
    {
        id: "3.7",
        title: "Key-management processes cover the key lifecycle",
        policies: ["kms-key-rotation", "kms-deletion-window"],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "the documented key-management procedures and custodian acknowledgements (3.7.x)",
    },
    {
        id: "4.2",
        title: "PAN is protected with strong cryptography during transmission",
        policies: [
            "s3-tls-only",
            "rds-force-ssl",
            "cloudfront-tls12",
            "cloudfront-https-viewers",
            "cloudfront-origin-https",
            "elb-tls12-listener-policy",
            "elb-https-redirect",
            "opensearch-https-tls12",
            "opensearch-node-to-node-encryption",
        ],
        organizationPolicies: ["rcp-secure-transport"],
        flowKinds: [],
        notEvidenced: "the inventory of trusted keys and certificates (4.2.1.1) and end-user messaging (4.2.2)",
    },
    {
        id: "6.4",
        title: "Public-facing web applications are protected against attacks",
        policies: [
            "cloudfront-waf",
            "alb-waf",
            "waf-managed-rules",
            "waf-logging",
            "elb-drop-invalid-headers",
            "cloudfront-security-headers",
        ],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "the payment-page script inventory and change detection (6.4.3)",
    },
    {
        id: "7.2",
        title: "Access to system components and data is appropriately defined and assigned",
        policies: [
            "iam-no-admin-wildcard",
            "iam-no-managed-admin",
            "iam-no-service-wildcard",
            "iam-trust-no-wildcard-principal",
            "iam-trust-no-whole-account",
            "resource-policy-service-scoped",
        ],
        organizationPolicies: ["rcp-data-perimeter", "scp-prod-data"],
        flowKinds: ["identity", "kubernetes"],
        notEvidenced: "the access reviews every six months (7.2.4) and approval records (7.2.3)",
    },
    {
        id: "8.2",
        title: "User identification and accounts are managed",
        policies: ["iam-no-users"],
        organizationPolicies: ["scp-baseline"],
        flowKinds: [],
        notEvidenced: "joiner/mover/leaver handling of people in Identity Center (8.2.4-8.2.6)",
    },
    {
        id: "8.3",
        title: "Strong authentication for users and administrators",
        policies: ["rds-iam-auth", "lambda-env-no-secrets"],
        organizationPolicies: ["rcp-github-federation"],
        flowKinds: [],
        notEvidenced: "password and MFA settings of Identity Center, configured in its console",
    },
    {
        id: "8.4",
        title: "Multi-factor authentication secures access into the CDE",
        policies: [],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "MFA is an Identity Center setting outside this code",
    },
    {
        id: "8.5",
        title: "MFA systems are configured to prevent misuse",
        policies: [],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "MFA system configuration lives in Identity Center",
    },
    {
        id: "8.6",
        title: "Use of application and system accounts is managed",
        policies: ["iam-no-users", "iam-trust-no-whole-account", "resource-policy-service-scoped"],
        organizationPolicies: ["rcp-github-federation"],
        flowKinds: ["identity"],
        notEvidenced: "interactive-login prohibition for service accounts inside applications",
    },
    {
        id: "10.2",
        title: "Audit logs record user activity and security events",
        policies: [
            "cloudtrail-baseline",
            "service-log-exports",
            "rds-postgres-logging",
            "eks-control-plane-logs",
            "vpc-flow-logs",
            "elb-access-logs",
            "cloudfront-logging",
            "waf-logging",
            "route53-query-logging",
        ],
        organizationPolicies: ["scp-security-services"],
        flowKinds: [],
    },
    {
        id: "10.3",
        title: "Audit logs are protected from destruction and unauthorised modification",
        policies: ["cloudtrail-baseline", "logs-kms", "prod-stateful-protected"],
        organizationPolicies: ["scp-security-services"],
        flowKinds: [],
    },
    {
        id: "10.4",
        title: "Audit logs are reviewed to identify anomalies",
        policies: ["guardduty-protection-plans", "cloudtrail-cloudwatch-logs", "securityhub-enabled"],
        organizationPolicies: ["scp-security-services"],
        flowKinds: [],
        notEvidenced: "the daily review itself (10.4.1) is a process; GuardDuty and Security Hub findings are its input",
    },
    {
        id: "10.5",
        title: "Audit log history is retained and available for analysis",
        policies: ["logs-retention", "s3-versioning", "prod-stateful-protected"],
        organizationPolicies: [],
        flowKinds: [],
    },
    {
        id: "10.6",
        title: "Time-synchronisation mechanisms support consistent time",
        policies: [],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "AWS services use the Amazon Time Sync Service; node time configuration lives in the AMI",
    },
    {
        id: "10.7",
        title: "Failures of critical security control systems are detected and reported",
        policies: ["guardduty-protection-plans"],
        organizationPolicies: ["scp-security-services"],
        flowKinds: [],
        notEvidenced: "alerting on a stopped trail or detector and the response to it",
    },
    {
        id: "11.5",
        title: "Network intrusions and unexpected file changes are detected and responded to",
        policies: ["guardduty-protection-plans", "ecr-scan-and-encrypt"],
        organizationPolicies: ["scp-security-services"],
        flowKinds: [],
        notEvidenced: "change-detection on payment pages (11.6) and the response process",
    },
    {
        id: "12.10",
        title: "Suspected and confirmed security incidents are responded to immediately",
        policies: [],
        organizationPolicies: [],
        flowKinds: [],
        notEvidenced: "the incident response plan, its tests and on-call: people and process",
    },
];

export type Result = "pass" | "fail" | "advisory" | "not present" | "unknown" | "not evidenced by infrastructure";

export interface Evidence {
    kind: "policy" | "SCP" | "RCP" | "flows";
    name: string;
    result: Result;
    detail: string;
}

export interface RequirementReport {
    id: string;
    title: string;
    evidence: Evidence[];
    result: Result;
    notEvidenced?: string;
}

export interface PciReport {
    env: string;
    generated: string;
    requirements: RequirementReport[];
}

interface FlowLike {
    kind?: string;
    result?: string;
}

function policyEvidence(doc: PlanDocument, name: string): Evidence {
    const definition = POLICIES.find((p) => p.meta.name === name);
    if (!definition) {
        throw new Error(`PCI report names unknown policy ${name}`);
    }
    const violations = doc.stacks.flatMap((s) => s.violations.filter((v) => v.policy === name));
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = violations.length - mandatory;
    const levels = [...new Set(doc.stacks.map((s) => levelFor(definition, s.stack)))].join("/");
    const result: Result = mandatory > 0 ? "fail" : advisory > 0 ? "advisory" : "pass";
    return { kind: "policy", name, result, detail: `${levels}; ${mandatory} mandatory, ${advisory} advisory finding(s)` };
}

function organizationEvidence(doc: PlanDocument, suffix: string): Evidence {
    const kind = suffix.startsWith("scp-") ? "SCP" : "RCP";
    const name = `org-guardrails-${suffix}`;
    const found = doc.stacks.flatMap((s) => s.resources).find((r) => r.type === "aws:organizations/policy:Policy" && r.name === name);
    const attached = doc.stacks
        .flatMap((s) => s.resources)
        .some((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment" && r.dependencies.includes(found?.urn ?? "-"));
    return found
        ? {
              kind,
              name,
              result: attached ? "pass" : "unknown",
              detail: attached ? "in the plan and attached" : "in the plan; attachment not found",
          }
        : { kind, name, result: "not present", detail: "not in this environment's plan" };
}

function flowEvidence(doc: PlanDocument, kind: string): Evidence {
    const flows = ((doc as unknown as { flows?: FlowLike[] }).flows ?? []).filter((f) => f.kind === kind);
    if (flows.length === 0) {
        return { kind: "flows", name: kind, result: "not present", detail: "no behaviour checks of this kind in the plan" };
    }
    const count = (r: string) => flows.filter((f) => f.result === r).length;
    const result: Result = count("failing") > 0 ? "fail" : count("unknown") > 0 ? "unknown" : "pass";
    return {
        kind: "flows",
        name: kind,
        result,
        detail: `${count("proven")} proven, ${count("failing")} failing, ${count("unknown")} unknown`,
    };
}

const RANK: Result[] = ["fail", "unknown", "advisory", "pass", "not present"];

export function buildPciReport(doc: PlanDocument, generated: Date = new Date()): PciReport {
    const requirements = REQUIREMENTS.map((req) => {
        const evidence = [
            ...req.organizationPolicies.map((o) => organizationEvidence(doc, o)),
            ...req.policies.map((p) => policyEvidence(doc, p)),
            ...req.flowKinds.map((k) => flowEvidence(doc, k)),
        ];
        const present = evidence.filter((e) => e.result !== "not present");
        const result: Result =
            evidence.length === 0
                ? "not evidenced by infrastructure"
                : present.length === 0
                  ? "not present"
                  : (RANK.find((r) => present.some((e) => e.result === r)) ?? "pass");
        return { id: req.id, title: req.title, evidence, result, ...(req.notEvidenced ? { notEvidenced: req.notEvidenced } : {}) };
    });
    return { env: doc.env ?? "program", generated: generated.toISOString(), requirements };
}

const md = (text: string) => text.replace(/\|/g, "\\|");

export function renderPciMarkdown(report: PciReport): string {
    const lines = [
        `# PCI DSS v4.0.1 evidence: ${report.env}`,
        "",
        `Generated ${report.generated} from the offline plan of \`${report.env}\`.`,
        "",
    ];
    lines.push("| Requirement | Result | Evidence |", "|---|---|---|");
    for (const r of report.requirements) {
        lines.push(`| ${r.id} ${md(r.title)} | ${r.result} | ${r.evidence.length} item(s) |`);
    }
    for (const r of report.requirements) {
        lines.push("", `## ${r.id} ${r.title}`, "", `Result: **${r.result}**`, "");
        if (r.evidence.length > 0) {
            lines.push(
                "| Kind | Name | Result | Detail |",
                "|---|---|---|---|",
                ...r.evidence.map((e) => `| ${e.kind} | \`${e.name}\` | ${e.result} | ${md(e.detail)} |`),
                "",
            );
        }
        lines.push(`Infrastructure cannot evidence: ${r.notEvidenced ?? "nothing further for this requirement"}.`);
    }
    return lines.join("\n") + "\n";
}

const html = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Self-contained: inline style, no scripts, no external resources. */
export function renderPciHtml(report: PciReport): string {
    const sections = report.requirements.map(
        (r) => `<section><h2>${html(r.id)} ${html(r.title)} <span class="${r.result.split(" ").join("-")}">${html(r.result)}</span></h2>
<table><tr><th>Kind</th><th>Name</th><th>Result</th><th>Detail</th></tr>
${r.evidence.map((e) => `<tr><td>${html(e.kind)}</td><td><code>${html(e.name)}</code></td><td class="${e.result.split(" ").join("-")}">${html(e.result)}</td><td>${html(e.detail)}</td></tr>`).join("\n")}
</table>
<p class="gap">Infrastructure cannot evidence: ${html(r.notEvidenced ?? "nothing further for this requirement")}.</p></section>`,
    );
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PCI DSS v4.0.1 evidence: ${html(report.env)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;text-align:left}
.pass{color:#176117}.fail{color:#a11}.advisory,.unknown{color:#8a5a00}.not-present,.not-evidenced-by-infrastructure{color:#666}.gap{color:#555;font-style:italic}</style></head>
<body><h1>PCI DSS v4.0.1 evidence: ${html(report.env)}</h1><p>Generated ${html(report.generated)} from the offline plan.</p>
${sections.join("\n")}
</body></html>
`;
}

/** Why `file` cannot take the report (undefined when it can): the format follows the extension. */
export function reportFileProblem(file: string): string | undefined {
    return [".md", ".html"].includes(path.extname(file).toLowerCase()) ? undefined : `--report takes a .md or .html file, got "${file}"`;
}

/** Writes the report as Markdown or HTML, by the file's extension. */
export function writePciReport(file: string, doc: PlanDocument): void {
    const report = buildPciReport(doc);
    fs.writeFileSync(file, path.extname(file).toLowerCase() === ".md" ? renderPciMarkdown(report) : renderPciHtml(report));
}

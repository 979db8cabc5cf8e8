import { PolicyDefinition, resourcePolicy } from "../lib/definition";
import { PROD_LEVEL_ENVIRONMENTS } from "../lib/settings";
import { has, list } from "../lib/values";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped engine JSON */

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const DB_INSTANCE = "aws:rds/instance:Instance";
const DOMAIN = "aws:opensearch/domain:Domain";

/** How long logs are kept, how they are encrypted, and which services export them (PCI DSS 10). */
export const LOGGING_POLICIES: PolicyDefinition[] = [
    resourcePolicy<{ minRetentionDays: number }>({
        name: "logs-retention",
        domain: "logging",
        description: "CloudWatch log groups keep events at least 365 days at prod levels (90 elsewhere); 0 (never expire) also complies.",
        prevents: "Audit evidence expiring before an investigation or an assessor asks for it (PCI DSS 10.5.1: 12 months).",
        severity: "medium",
        remediation: "Set retentionInDays to 365 or more (prod, mgmt, org) or 90 or more elsewhere.",
        level: "advisory",
        prodLevel: "mandatory",
        levelReason:
            "PCI DSS 10.5.1 asks for 12 months of audit history where cardholder data is processed or prod is controlled from; test and PR logs are disposable.",
        checkov: "CKV_AWS_338",
        pci: ["10.5.1"],
        types: [LOG_GROUP],
        reads: { [LOG_GROUP]: ["retentionInDays"] },
        schema: { minRetentionDays: { type: "integer", minimum: 1 } },
        defaults: (env) => ({ minRetentionDays: PROD_LEVEL_ENVIRONMENTS.includes(env) ? 365 : 90 }),
        check: (group, ctx) => {
            const days = Number(group.props.retentionInDays ?? 0);
            if (days !== 0 && days < ctx.config.minRetentionDays) {
                ctx.report(
                    `Log group ${group.name} keeps events ${days} days; at least ${ctx.config.minRetentionDays} are required in ${ctx.env}.`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "logs-kms",
        domain: "logging",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        prevents:
            "Logs holding request details readable by anyone with logs:GetLogEvents, with no key policy or key audit trail in between.",
        severity: "medium",
        remediation:
            "Set kmsKeyId to a key whose policy lets logs.<region>.amazonaws.com use it for this account's log groups (lib/aws.ts createLogsKey).",
        level: "advisory",
        prodLevel: "mandatory",
        levelReason:
            "Production logs can carry payment identifiers and are audit evidence; test and PR data is synthetic, so an unencrypted group there is advisory.",
        checkov: "CKV_AWS_158",
        trivy: "AVD-AWS-0017",
        pci: ["3.5.1", "10.3.2"],
        types: [LOG_GROUP],
        reads: { [LOG_GROUP]: ["kmsKeyId"] },
        check: (group, ctx) => {
            if (!has(group.props, "kmsKeyId")) {
                ctx.report(`Log group ${group.name} is not encrypted with a KMS key.`);
            }
        },
    }),
    resourcePolicy({
        name: "service-log-exports",
        domain: "logging",
        description: "Databases export their engine logs and OpenSearch domains publish audit logs to CloudWatch.",
        prevents: "Logins, failed authentication and data access on the data stores leaving no trace (PCI DSS 10.2).",
        severity: "medium",
        remediation:
            'Set enabledCloudwatchLogsExports ["postgresql", "upgrade"] on aws.rds.Instance and a logPublishingOptions entry { logType: "AUDIT_LOGS", enabled: true } on aws.opensearch.Domain (with advanced security on).',
        level: "advisory",
        prodLevel: "mandatory",
        levelReason: "Database and search audit logs are PCI DSS 10.2 evidence in prod; test and PR data stores hold synthetic data.",
        checkov: "CKV_AWS_129",
        trivy: "AVD-AWS-0042",
        securityHub: ["RDS.9", "Opensearch.4", "Opensearch.5"],
        pci: ["10.2.1", "10.2.2"],
        types: [DB_INSTANCE, DOMAIN],
        reads: {
            [DB_INSTANCE]: ["engine", "enabledCloudwatchLogsExports"],
            [DOMAIN]: ["logPublishingOptions.logType", "logPublishingOptions.enabled"],
        },
        check: (r, ctx) => {
            if (
                r.type === DB_INSTANCE &&
                String(r.props.engine ?? "postgres").startsWith("postgres") &&
                !list(r.props.enabledCloudwatchLogsExports).includes("postgresql")
            ) {
                ctx.report(`Database ${r.name} does not export its postgresql log.`);
            }
            if (
                r.type === DOMAIN &&
                !list(r.props.logPublishingOptions).some((o: any) => o.logType === "AUDIT_LOGS" && o.enabled !== false)
            ) {
                ctx.report(`Domain ${r.name} does not publish audit logs.`);
            }
        },
    }),
];

import { PolicyDefinition, resourcePolicy } from "../lib/definition";
import { has } from "../lib/values";

export const TABLE = ["aws:dynamodb/table:Table"];

export const DYNAMODB_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "dynamodb-pitr",
        domain: "dynamodb",
        description: "DynamoDB tables have point-in-time recovery enabled (PR environments' throw-away tables excepted).",
        prevents: "A table that cannot be restored to the second before a bad write or delete.",
        severity: "high",
        remediation: "Set pointInTimeRecovery: { enabled: true } on the aws.dynamodb.Table.",
        level: "mandatory",
        checkov: "CKV_AWS_28",
        trivy: "AVD-AWS-0024",
        types: TABLE,
        reads: { "aws:dynamodb/table:Table": ["pointInTimeRecovery.enabled"] },
        check: (table, ctx) => {
            if (!ctx.pr && table.props.pointInTimeRecovery?.enabled !== true) {
                ctx.report(`Table ${table.name} does not enable point-in-time recovery.`);
            }
        },
    }),
    resourcePolicy<{ requireCustomerManagedKey: boolean }>({
        name: "dynamodb-kms",
        domain: "dynamodb",
        description: "DynamoDB tables use KMS server-side encryption; in prod with a customer-managed key.",
        prevents: "Table data encrypted only with an AWS-owned key whose use cannot be audited or revoked.",
        severity: "high",
        remediation: "Set serverSideEncryption: { enabled: true, kmsKeyArn: <the environment's data key> }.",
        level: "mandatory",
        checkov: "CKV_AWS_119",
        trivy: "AVD-AWS-0025",
        types: TABLE,
        schema: { requireCustomerManagedKey: { type: "boolean" } },
        defaults: (env) => ({ requireCustomerManagedKey: env === "prod" }),
        reads: { "aws:dynamodb/table:Table": ["serverSideEncryption.enabled", "serverSideEncryption.kmsKeyArn"] },
        check: (table, ctx) => {
            const sse = table.props.serverSideEncryption;
            if (sse?.enabled !== true) {
                ctx.report(`Table ${table.name} does not enable KMS server-side encryption.`);
            } else if (ctx.config.requireCustomerManagedKey && !has(sse, "kmsKeyArn")) {
                ctx.report(`Table ${table.name} uses the AWS managed key; this environment requires a customer-managed kmsKeyArn.`);
            }
        },
    }),
    resourcePolicy({
        name: "dynamodb-deletion-protection-prod",
        domain: "dynamodb",
        description: "In prod, DynamoDB tables have deletion protection enabled.",
        prevents: "A prod table deleted by a mistaken replace or destroy.",
        severity: "high",
        remediation: "Set deletionProtectionEnabled: true on prod tables.",
        level: "mandatory",
        types: TABLE,
        reads: { "aws:dynamodb/table:Table": ["deletionProtectionEnabled"] },
        check: (table, ctx) => {
            if (ctx.prod && table.props.deletionProtectionEnabled !== true) {
                ctx.report(`Prod table ${table.name} does not enable deletion protection.`);
            }
        },
    }),
    resourcePolicy({
        name: "dynamodb-capacity-scales",
        domain: "dynamodb",
        description: "DynamoDB tables are on-demand (PAY_PER_REQUEST): capacity follows traffic without scaling policies to maintain.",
        prevents: "Throttled payments when traffic outgrows fixed provisioned capacity.",
        severity: "medium",
        remediation:
            'Set billingMode: "PAY_PER_REQUEST". A provisioned table would need Application Auto Scaling targets and policies; exempt it with that reason.',
        level: "mandatory",
        types: TABLE,
        reads: { [TABLE[0]]: ["billingMode"] },
        check: (table, ctx) => {
            if (table.props.billingMode !== "PAY_PER_REQUEST") {
                ctx.report(
                    `Table ${table.name} uses provisioned capacity (billingMode ${table.props.billingMode ?? "PROVISIONED"}); use PAY_PER_REQUEST.`,
                );
            }
        },
    }),
];

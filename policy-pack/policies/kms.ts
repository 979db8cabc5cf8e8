import { PolicyDefinition, resourcePolicy } from "../lib/definition";

const KEY = ["aws:kms/key:Key"];

export const KMS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "kms-key-rotation",
        domain: "kms",
        description: "Symmetric encryption KMS keys have automatic rotation enabled.",
        prevents: "Key material used indefinitely, widening what one compromised key exposes.",
        severity: "medium",
        remediation: "Set enableKeyRotation: true on the aws.kms.Key (asymmetric and HMAC keys cannot rotate and are skipped).",
        level: "mandatory",
        checkov: "CKV_AWS_7",
        trivy: "AVD-AWS-0065",
        types: KEY,
        check: (key, ctx) => {
            const spec = key.props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
            const usage = key.props.keyUsage ?? "ENCRYPT_DECRYPT";
            if (spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" && key.props.enableKeyRotation !== true) {
                ctx.report(`KMS key ${key.name} does not enable automatic rotation.`);
            }
        },
    }),
    resourcePolicy<{ minDeletionWindowDays: number }>({
        name: "kms-deletion-window",
        domain: "kms",
        description: "KMS keys are scheduled for deletion with a waiting period of at least 30 days (mirrors the foundation SCP).",
        prevents: "A key deleted by mistake before anyone notices the data it protects has become unreadable.",
        severity: "high",
        remediation: "Set deletionWindowInDays to 30 (the maximum and AWS default) or leave it unset; short-lived environments can share a longer-lived key instead.",
        level: "mandatory",
        types: KEY,
        schema: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30 } },
        defaults: () => ({ minDeletionWindowDays: 30 }),
        check: (key, ctx) => {
            const days = key.props.deletionWindowInDays ?? 30;
            if (days < ctx.config.minDeletionWindowDays) {
                ctx.report(
                    `KMS key ${key.name} has a ${days}-day deletion window; at least ${ctx.config.minDeletionWindowDays} is required ` +
                        "(the organization SCP denies kms:ScheduleKeyDeletion below that, so deleting this key, e.g. destroying the stack, would fail).",
                );
            }
        },
    }),
];

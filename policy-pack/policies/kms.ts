import { PolicyDefinition, resourcePolicy } from "../lib/definition";
import { has, list } from "../lib/values";

const KEY = ["aws:kms/key:Key"];

const TOPIC = "aws:sns/topic:Topic";
const SECRET = "aws:secretsmanager/secret:Secret";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

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
        reads: { "aws:kms/key:Key": ["customerMasterKeySpec", "enableKeyRotation", "keyUsage"] },
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
        remediation:
            "Set deletionWindowInDays to 30 (the maximum and AWS default) or leave it unset; short-lived environments can share a longer-lived key instead.",
        level: "mandatory",
        types: KEY,
        schema: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30 } },
        defaults: () => ({ minDeletionWindowDays: 30 }),
        reads: { "aws:kms/key:Key": ["deletionWindowInDays"] },
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
    resourcePolicy({
        name: "kms-encrypted-topics-secrets-volumes",
        domain: "kms",
        description: "SNS topics and Secrets Manager secrets name a KMS key; launch template volumes are encrypted.",
        prevents: "Notifications, secrets and node volumes protected only by AWS-owned keys nobody can audit or revoke (or not at all).",
        severity: "medium",
        remediation:
            "Set kmsMasterKeyId on aws.sns.Topic, kmsKeyId on aws.secretsmanager.Secret, and ebs.encrypted true on every launch template block device.",
        level: "mandatory",
        checkov: "CKV_AWS_26",
        trivy: "AVD-AWS-0095",
        securityHub: ["SNS.1"],
        pci: ["3.5.1"],
        types: [TOPIC, SECRET, LAUNCH_TEMPLATE],
        reads: {
            [TOPIC]: ["kmsMasterKeyId"],
            [SECRET]: ["kmsKeyId"],
            [LAUNCH_TEMPLATE]: ["blockDeviceMappings.deviceName", "blockDeviceMappings.ebs.encrypted"],
        },
        check: (r, ctx) => {
            if (r.type === TOPIC && !has(r.props, "kmsMasterKeyId")) {
                ctx.report(`Topic ${r.name} is not encrypted with a KMS key.`);
            } else if (r.type === SECRET && !has(r.props, "kmsKeyId")) {
                ctx.report(`Secret ${r.name} uses the AWS managed key, not a customer-managed KMS key.`);
            } else if (r.type === LAUNCH_TEMPLATE) {
                const plain = list(r.props.blockDeviceMappings).filter((m) => m.ebs && String(m.ebs.encrypted) !== "true");
                if (plain.length > 0) {
                    ctx.report(`Launch template ${r.name} has unencrypted volumes: ${plain.map((m) => m.deviceName).join(", ")}.`);
                }
            }
        },
    }),
];

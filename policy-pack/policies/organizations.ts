import type { PolicyResource } from "@pulumi/policy";
import { PolicyDefinition, StackContext, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { minifiedLength, ofTypes } from "../lib/values";

const ORG_POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";
const TARGETS = [
    "aws:organizations/organization:Organization",
    "aws:organizations/organizationalUnit:OrganizationalUnit",
    "aws:organizations/account:Account",
];

/** The long-standing character limit for SCPs and RCPs (AWS raised the SCP one in 2026; staying under keeps them portable). */
export const ORG_POLICY_MAX_CHARS = 5120;
/** Policies of one type directly attached to one target, counting the AWS-managed full-access one. */
export const ORG_POLICY_MAX_ATTACHED = 5;

interface Kind {
    type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
    label: string;
    /** The AWS-managed policy attached to every target unless detached. */
    fullAccessId: string;
}
const SCP: Kind = { type: "SERVICE_CONTROL_POLICY", label: "SCP", fullAccessId: "p-FullAWSAccess" };
const RCP: Kind = { type: "RESOURCE_CONTROL_POLICY", label: "RCP", fullAccessId: "p-RCPFullAWSAccess" };

function kindOf(policy: PolicyResource | { props: Record<string, unknown> }): string {
    return String(policy.props.type ?? "SERVICE_CONTROL_POLICY");
}

/** The target an attachment points at: the resource it came from, else the id it names. */
function targetKey(attachment: PolicyResource, targets: PolicyResource[]): string {
    const target = referencedBy(attachment, "targetId", targets)[0];
    return target ? target.name : String(attachment.props.targetId);
}

function attachmentLimit(kind: Kind): (ctx: StackContext<object>) => void {
    return (ctx) => {
        const policies = ofTypes(ctx.resources, [ORG_POLICY]);
        const targets = ofTypes(ctx.resources, TARGETS);
        const perTarget = new Map<string, { count: number; fullAccess: boolean; first: PolicyResource }>();
        ctx.each(ofTypes(ctx.resources, [ATTACHMENT]), (attachment) => {
            const fullAccess = attachment.props.policyId === kind.fullAccessId;
            const policy = referencedBy(attachment, "policyId", policies)[0];
            if (!fullAccess && (policy === undefined || kindOf(policy) !== kind.type)) {
                return;
            }
            const key = targetKey(attachment, targets);
            const entry = perTarget.get(key) ?? { count: 0, fullAccess: false, first: attachment };
            entry.count += 1;
            entry.fullAccess ||= fullAccess;
            perTarget.set(key, entry);
        });
        for (const [target, entry] of perTarget) {
            const total = entry.count + (entry.fullAccess ? 0 : 1);
            if (total > ORG_POLICY_MAX_ATTACHED) {
                ctx.report(
                    `${target} would have ${total} ${kind.label}s attached (including ${kind.fullAccessId.slice(2)}); AWS allows ${ORG_POLICY_MAX_ATTACHED}.`,
                    entry.first.urn,
                );
            }
        }
    };
}

export const ORGANIZATIONS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "org-policy-size",
        domain: "organizations",
        description: `SCP and RCP documents are at most ${ORG_POLICY_MAX_CHARS} characters minified.`,
        prevents: "An organization policy that AWS rejects at apply time, half-way through a guardrail rollout.",
        severity: "high",
        remediation:
            "Merge statements, use wildcards in action names or NotAction, or split into another policy (mind the attachment limit).",
        level: "mandatory",
        types: [ORG_POLICY],
        reads: { "aws:organizations/policy:Policy": ["content", "type"] },
        check: (policy, ctx) => {
            if (kindOf(policy) !== SCP.type && kindOf(policy) !== RCP.type) {
                return;
            }
            const length = minifiedLength(policy.props.content, `${policy.name}'s content`);
            if (length > ORG_POLICY_MAX_CHARS) {
                ctx.report(`${policy.name} is ${length} characters minified; the limit is ${ORG_POLICY_MAX_CHARS}.`);
            }
        },
    }),
    stackPolicy({
        name: "org-scp-attachment-limit",
        domain: "organizations",
        description: `At most ${ORG_POLICY_MAX_ATTACHED} SCPs are attached directly to any root, OU or account, counting FullAWSAccess.`,
        prevents: "An SCP attachment that fails at apply time with ConstraintViolationException.",
        severity: "high",
        remediation: "Merge SCPs attached to the same target, or attach some to a parent OU.",
        level: "mandatory",
        reads: {
            "aws:organizations/policyAttachment:PolicyAttachment": ["policyId", "targetId"],
            "aws:organizations/policy:Policy": ["type"],
        },
        check: attachmentLimit(SCP),
    }),
    stackPolicy({
        name: "org-rcp-attachment-limit",
        domain: "organizations",
        description: `At most ${ORG_POLICY_MAX_ATTACHED} RCPs are attached directly to any root, OU or account, counting RCPFullAWSAccess.`,
        prevents: "An RCP attachment that fails at apply time with ConstraintViolationException.",
        severity: "high",
        remediation: "Merge RCPs attached to the same target, or attach some to a parent OU.",
        level: "mandatory",
        reads: {
            "aws:organizations/policyAttachment:PolicyAttachment": ["policyId", "targetId"],
            "aws:organizations/policy:Policy": ["type"],
        },
        check: attachmentLimit(RCP),
    }),
];

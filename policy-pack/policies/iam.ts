import { PolicyDefinition, Subject, resourcePolicy } from "../lib/definition";
import { jsonDocument, list, statements } from "../lib/values";

const ROLE = "aws:iam/role:Role";
/** Resource type -> the input holding its permission policy document. */
const POLICY_DOCUMENTS: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    // Administrator access for people comes from the AWS managed policy, never an inline copy of it.
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "inlinePolicy",
};

/** The permission documents of a resource: its policy input, or a role's inline policies. */
function permissionDocuments(r: Subject): { label: string; document: unknown }[] {
    if (r.type === ROLE) {
        return list(r.props.inlinePolicies).map((p) => ({ label: `inline policy ${p.name ?? ""}`.trim(), document: p.policy }));
    }
    return [{ label: "policy", document: r.props[POLICY_DOCUMENTS[r.type]] }];
}

function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    if (typeof principal === "object" && principal !== null) {
        return Object.values(principal as Record<string, unknown>).some((v) => list(v).includes("*"));
    }
    return false;
}

const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
/** AWS managed policies that amount to administrator rights. */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
/** Identity policy documents whose statements iam-no-service-wildcard reads. */
const IDENTITY_DOCUMENTS: Record<string, string> = { "aws:iam/policy:Policy": "policy", "aws:iam/rolePolicy:RolePolicy": "policy" };

export const IAM_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "iam-no-admin-wildcard",
        domain: "iam",
        description: 'No IAM policy allows Action "*" on Resource "*".',
        prevents: "Full administrator rights handed out through a custom policy instead of a reviewed role.",
        severity: "critical",
        remediation:
            "List the actions and resource ARNs the principal needs; administrator access comes only from Identity Center permission sets.",
        level: "mandatory",
        checkov: "CKV_AWS_62",
        securityHub: ["IAM.1"],
        pci: ["7.2.1"],
        types: [ROLE, ...Object.keys(POLICY_DOCUMENTS)],
        reads: {
            [ROLE]: ["inlinePolicies"],
            ...Object.fromEntries(Object.entries(POLICY_DOCUMENTS).map(([type, input]) => [type, [input]])),
        },
        check: (r, ctx) => {
            for (const { label, document } of permissionDocuments(r)) {
                const admin = statements(jsonDocument(document, `${r.name}'s ${label}`)).some(
                    (s) => s.effect === "Allow" && s.actions.some((a) => a === "*" || a === "*:*") && s.resources.includes("*"),
                );
                if (admin) {
                    ctx.report(`${r.name}'s ${label} allows "*" on "*".`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "iam-trust-no-wildcard-principal",
        domain: "iam",
        description: 'No IAM role trust policy allows a wildcard principal ("*") without conditions.',
        prevents: "Any AWS account in the world being able to assume the role.",
        severity: "critical",
        remediation:
            "Name the trusted account, role or service; for federation, condition on aud/sub (e.g. token.actions.githubusercontent.com:sub).",
        level: "mandatory",
        checkov: "CKV_AWS_60",
        types: [ROLE],
        reads: { "aws:iam/role:Role": ["assumeRolePolicy"] },
        check: (role, ctx) => {
            for (const s of statements(jsonDocument(role.props.assumeRolePolicy, `${role.name}'s trust policy`))) {
                const conditioned = typeof s.condition === "object" && s.condition !== null && Object.keys(s.condition).length > 0;
                if (s.effect === "Allow" && isWildcardPrincipal(s.principal) && !conditioned) {
                    ctx.report(`Role ${role.name} can be assumed by any principal (Principal "*" without a Condition).`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "iam-no-users",
        domain: "iam",
        description: "No IAM users, login profiles or access keys: people use Identity Center, machines use roles.",
        prevents: "Long-lived credentials that leak and are never rotated (the foundation SCP denies them too).",
        severity: "high",
        remediation:
            "Use an Identity Center permission set for people and an IAM role (OIDC, Pod Identity, instance profile) for workloads.",
        level: "mandatory",
        checkov: "CKV_AWS_273",
        types: ["aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userLoginProfile:UserLoginProfile"],
        reads: {},
        check: (r, ctx) => {
            ctx.report(`${r.type} ${r.name} creates IAM user credentials.`);
        },
    }),
    resourcePolicy<{ adminRoles: string[] }>({
        name: "iam-no-managed-admin",
        domain: "iam",
        description:
            "No role gets an AWS managed administrator policy (AdministratorAccess, PowerUserAccess, IAMFullAccess) except the deployment and break-glass roles, which the SCPs and their trust conditions guard.",
        prevents: "A workload or CI role that can do everything because a managed admin policy was the quick fix.",
        severity: "critical",
        remediation:
            "Attach a customer policy listing the actions and resource ARNs the role needs; only roles named in the policy's adminRoles config may hold administrator rights.",
        level: "mandatory",
        checkov: "CKV_AWS_274",
        securityHub: ["IAM.1"],
        pci: ["7.2.1", "7.2.2"],
        types: [ATTACHMENT, ROLE],
        reads: { [ATTACHMENT]: ["role", "policyArn"], [ROLE]: ["name", "managedPolicyArns"] },
        schema: { adminRoles: { type: "array", items: { type: "string" } } },
        defaults: () => ({ adminRoles: ["payments-deployment", "payments-break-glass"] }),
        check: (r, ctx) => {
            const roleName = String(r.type === ROLE ? r.props.name : r.props.role);
            const arns = r.type === ROLE ? list<string>(r.props.managedPolicyArns) : [r.props.policyArn];
            const admin = arns.map(String).filter((arn) => ADMIN_MANAGED_POLICIES.some((p) => arn.endsWith(`:policy/${p}`)));
            if (admin.length > 0 && !ctx.config.adminRoles.includes(roleName)) {
                ctx.report(`${r.name} gives role ${roleName} the AWS managed ${admin.join(", ")}.`);
            }
        },
    }),
    resourcePolicy({
        name: "iam-no-service-wildcard",
        domain: "iam",
        description: 'No IAM policy allows every action of a service ("<service>:*") on Resource "*".',
        prevents: "A role that can, e.g., delete every table or read every secret of the account because one action was needed.",
        severity: "high",
        remediation: "List the actions the principal needs and scope Resource to the ARNs it touches.",
        level: "mandatory",
        securityHub: ["IAM.21"],
        pci: ["7.2.1", "7.2.2"],
        types: [ROLE, ...Object.keys(IDENTITY_DOCUMENTS)],
        reads: { [ROLE]: ["inlinePolicies"], ...Object.fromEntries(Object.entries(IDENTITY_DOCUMENTS).map(([t, k]) => [t, [k]])) },
        check: (r, ctx) => {
            const documents = r.type === ROLE ? list(r.props.inlinePolicies).map((p) => p.policy) : [r.props[IDENTITY_DOCUMENTS[r.type]]];
            for (const document of documents) {
                for (const s of statements(jsonDocument(document, `${r.name}'s policy`))) {
                    const wild = s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
                    if (s.effect === "Allow" && wild.length > 0 && s.resources.includes("*")) {
                        ctx.report(`${r.name} allows ${wild.join(", ")} on "*".`);
                    }
                }
            }
        },
    }),
];

import { accountFromArn } from "../../../lib/arn";
import { Estate, EstateResource, parsed } from "../estate";
import { Decision } from "../flow";
import { evaluatePolicy, PolicyAnswer, PolicyDocument, PolicyRequest, RequestPrincipal } from "./policy";

/**
 * AWS managed policies whose text the checks need, copied from the AWS Managed Policy Reference
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/). Any other managed policy
 * attached to a principal makes an otherwise-denied answer `unknown`.
 */
const MANAGED_POLICIES: Record<string, PolicyDocument> = {
    "arn:aws:iam::aws:policy/AdministratorAccess": { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

export interface IamPrincipal {
    /** How flows name it: a role name with its account, a service, an outside account. */
    label: string;
    request: RequestPrincipal;
    /** Service principals and service-linked roles are outside SCPs; outside accounts' own policies are not in the plan. */
    kind: "role" | "service-linked-role" | "service" | "outside-account";
    /** undefined: not in the plan (e.g. a role another stack creates): identity policies are then unknown. */
    role?: EstateResource;
    /** Context keys the principal brings (tags, OIDC claims, source account of a service). */
    context?: PolicyRequest["context"];
}

interface Named {
    name: string;
    document: PolicyDocument;
}

function roleName(role: EstateResource): string {
    return String(role.inputs.name ?? role.id ?? role.name);
}

/** Inline and attached policies of a role, and the managed ones the model does not know. */
function identityPolicies(estate: Estate, role: EstateResource): { policies: Named[]; unknown: string[] } {
    return estate.memo(`identity:${role.urn}`, () => {
        const name = roleName(role);
        const policies: Named[] = [];
        const unknown: string[] = [];
        const inRole = (r: EstateResource) => r.account === role.account && (r.inputs.role === name || r.inputs.role === role.id);
        for (const inline of estate.ofType("aws:iam/rolePolicy:RolePolicy").filter(inRole)) {
            policies.push({ name: `inline policy ${inline.name}`, document: parsed(inline.inputs.policy) });
        }
        for (const inline of (role.inputs.inlinePolicies as { name?: string; policy?: string }[] | undefined) ?? []) {
            if (inline.policy) {
                policies.push({ name: `inline policy ${inline.name ?? "?"}`, document: parsed(inline.policy) });
            }
        }
        const attached = [
            ...estate
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter(inRole)
                .map((a) => String(a.inputs.policyArn)),
            ...((role.inputs.managedPolicyArns as string[] | undefined) ?? []),
        ];
        for (const arn of attached) {
            const customer = estate.ofType("aws:iam/policy:Policy").find((p) => p.arn === arn);
            const document = customer ? parsed<PolicyDocument>(customer.inputs.policy) : MANAGED_POLICIES[arn];
            if (document) {
                policies.push({ name: `managed policy ${arn.split("/").pop()}`, document });
            } else {
                unknown.push(arn);
            }
        }
        return { policies, unknown };
    });
}

/** A role of the plan as a principal, by ARN. */
export function rolePrincipal(estate: Estate, arn: string, context: PolicyRequest["context"] = {}): IamPrincipal {
    const role = estate.ofType("aws:iam/role:Role").find((r) => r.arn === arn);
    const serviceLinked = /:role\/aws-service-role\//.test(arn) || /AWSServiceRoleFor/.test(arn);
    return {
        label: arn.replace(/^arn:[^:]+:iam::/, ""),
        request: { arn, account: accountFromArn(arn) },
        kind: serviceLinked ? "service-linked-role" : "role",
        role,
        context,
    };
}

export function servicePrincipal(service: string, context: PolicyRequest["context"] = {}): IamPrincipal {
    return {
        label: service,
        request: { service },
        kind: "service",
        context: { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": service, ...context },
    };
}

export function outsideAccountPrincipal(account: string, label: string): IamPrincipal {
    return { label, request: { arn: `arn:aws:iam::${account}:root`, account }, kind: "outside-account" };
}

interface OrganizationPolicies {
    /** Policy documents by account id, root to account, with their names. */
    scps: (account: string) => Named[];
    rcps: (account: string) => Named[];
    managementAccount: string | undefined;
    members: Set<string>;
}

function organization(estate: Estate): OrganizationPolicies {
    return estate.memo("organization", () => {
        const parents = new Map<string, string>();
        for (const r of [
            ...estate.ofType("aws:organizations/account:Account"),
            ...estate.ofType("aws:organizations/organizationalUnit:OrganizationalUnit"),
        ]) {
            if (r.id !== undefined && typeof r.inputs.parentId === "string") {
                parents.set(r.id, r.inputs.parentId);
            }
        }
        const policies = new Map(estate.ofType("aws:organizations/policy:Policy").map((p) => [p.id, p]));
        const attached = new Map<string, EstateResource[]>();
        for (const a of estate.ofType("aws:organizations/policyAttachment:PolicyAttachment")) {
            const policy = policies.get(String(a.inputs.policyId));
            if (policy) {
                attached.set(String(a.inputs.targetId), [...(attached.get(String(a.inputs.targetId)) ?? []), policy]);
            }
        }
        const chain = (account: string) => {
            const targets = [account];
            for (let at = parents.get(account); at !== undefined; at = parents.get(at)) {
                targets.push(at);
            }
            return targets;
        };
        const ofType = (type: string) => (account: string) =>
            chain(account).flatMap((target) =>
                (attached.get(target) ?? [])
                    .filter((p) => p.inputs.type === type)
                    .map((p) => ({ name: p.name, document: parsed<PolicyDocument>(p.inputs.content) })),
            );
        return {
            scps: ofType("SERVICE_CONTROL_POLICY"),
            rcps: ofType("RESOURCE_CONTROL_POLICY"),
            managementAccount: estate.accountIds.management,
            members: new Set(Object.values(estate.accountIds)),
        };
    });
}

/** The tags AWS would see on a resource of the plan, as `aws:ResourceTag/<key>`. */
function resourceTagContext(estate: Estate, resource: EstateResource | undefined): PolicyRequest["context"] {
    return resource
        ? Object.fromEntries(Object.entries(estate.tagsOf(resource)).map(([key, value]) => [`aws:ResourceTag/${key}`, value]))
        : {};
}

/** The resource-based policy that governs `resource`, and the account that owns it. */
function resourcePolicy(
    estate: Estate,
    action: string,
    resource: string,
): { policy?: Named; account?: string; known: boolean; tags?: PolicyRequest["context"] } {
    const service = action.split(":")[0].toLowerCase();
    if (service === "sts") {
        const role = estate.ofType("aws:iam/role:Role").find((r) => r.arn === resource);
        return role
            ? {
                  policy: { name: `trust policy of ${roleName(role)}`, document: parsed(role.inputs.assumeRolePolicy) },
                  account: role.account,
                  known: true,
              }
            : { account: accountFromArn(resource), known: false };
    }
    if (service === "s3") {
        const bucket = resource.replace(/^arn:[^:]+:s3:::/, "").split("/")[0];
        const owner =
            estate.ofType("aws:s3/bucket:Bucket").find((b) => b.id === bucket) ??
            estate.ofType("aws:s3/bucketV2:BucketV2").find((b) => b.id === bucket);
        const policy = estate.ofType("aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === bucket);
        return {
            policy: policy && { name: `bucket policy of ${bucket}`, document: parsed(policy.inputs.policy) },
            account: owner?.account,
            known: owner !== undefined,
        };
    }
    if (service === "sqs") {
        const name = resource.split(":").pop();
        const policy = estate.ofType("aws:sqs/queuePolicy:QueuePolicy").find((p) => String(p.inputs.queueUrl).endsWith(`/${name}`));
        return {
            policy: policy && { name: `queue policy of ${name}`, document: parsed(policy.inputs.policy) },
            account: accountFromArn(resource),
            known: true,
        };
    }
    if (service === "kms") {
        const key = estate.byArn(resource);
        const document = key?.inputs.policy ? parsed<PolicyDocument>(key.inputs.policy) : undefined;
        // No policy: the default key policy, which delegates to the account's IAM policies.
        const fallback: PolicyDocument = {
            Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${key?.account}:root` }, Action: "kms:*", Resource: "*" }],
        };
        return {
            policy: key && { name: `key policy of ${key.name}`, document: document ?? fallback },
            account: accountFromArn(resource),
            known: key !== undefined,
            tags: resourceTagContext(estate, key),
        };
    }
    if (service === "sns") {
        const topic = estate.ofType("aws:sns/topic:Topic").find((t) => t.arn === resource || t.id === resource);
        const policy = estate.ofType("aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === resource);
        // No topic policy: SNS's default policy admits the owning account only (modelled as no statement).
        return {
            policy: policy && { name: `topic policy of ${resource.split(":").pop()}`, document: parsed(policy.inputs.policy) },
            account: accountFromArn(resource),
            known: topic !== undefined,
        };
    }
    if (service === "es") {
        const domain = /:domain\/([^/]+)/.exec(resource)?.[1];
        const policy = estate.ofType("aws:opensearch/domainPolicy:DomainPolicy").find((p) => p.inputs.domainName === domain);
        return {
            policy: policy && { name: `domain policy of ${domain}`, document: parsed(policy.inputs.accessPolicies) },
            account: accountFromArn(resource),
            known: true,
        };
    }
    return { account: accountFromArn(resource), known: true };
}

function firstDeny(policies: Named[], request: PolicyRequest, withPrincipal: boolean): string | undefined {
    for (const policy of policies) {
        const answer = evaluatePolicy(policy.document, request, withPrincipal);
        if (answer.effect === "deny") {
            return `${policy.name} (${answer.statement})`;
        }
    }
    return undefined;
}

function firstAllow(policies: Named[], request: PolicyRequest): string | undefined {
    for (const policy of policies) {
        const answer = evaluatePolicy(policy.document, request, false);
        if (answer.effect === "allow") {
            return `${policy.name} (${answer.statement})`;
        }
    }
    return undefined;
}

/**
 * AWS's policy evaluation for one request: SCPs of the principal's account, RCPs of the
 * resource's account, the resource policy, the principal's identity policies (and boundary);
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html.
 * SCPs and RCPs are deny lists over the default FullAWSAccess policies AWS attaches everywhere.
 */
export function authorize(
    estate: Estate,
    principal: IamPrincipal,
    action: string,
    resource: string,
    extraContext: PolicyRequest["context"] = {},
): Decision {
    const key = `authz:${principal.label}|${action}|${resource}|${JSON.stringify(extraContext)}|${JSON.stringify(principal.context ?? {})}`;
    return estate.memo(key, () => decide(estate, principal, action, resource, extraContext));
}

function decide(
    estate: Estate,
    principal: IamPrincipal,
    action: string,
    resource: string,
    extraContext: PolicyRequest["context"],
): Decision {
    const org = organization(estate);
    const target = resourcePolicy(estate, action, resource);
    const principalAccount = principal.request.account;
    const inOrg = principalAccount !== undefined && org.members.has(principalAccount);
    const context: PolicyRequest["context"] = {
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": resource.split(":")[3] || "us-east-1",
        ...(principal.request.arn && principal.kind !== "service" ? { "aws:PrincipalArn": principal.request.arn } : {}),
        ...(principalAccount ? { "aws:PrincipalAccount": principalAccount } : {}),
        ...(inOrg && estate.organizationId ? { "aws:PrincipalOrgID": estate.organizationId } : {}),
        ...(principal.kind !== "service" ? { "aws:PrincipalIsAWSService": "false" } : {}),
        ...target.tags,
        ...principal.context,
        ...extraContext,
    };
    const request: PolicyRequest = { action, resource, principal: principal.request, context };

    if (principal.kind === "role" && principalAccount !== org.managementAccount && inOrg) {
        const denied = firstDeny(org.scps(principalAccount), request, false);
        if (denied) {
            return { allowed: false, because: `denied by SCP ${denied}` };
        }
    }
    if (
        target.account !== undefined &&
        target.account !== org.managementAccount &&
        org.members.has(target.account) &&
        principal.kind !== "service-linked-role"
    ) {
        const denied = firstDeny(org.rcps(target.account), request, true);
        if (denied) {
            return { allowed: false, because: `denied by RCP ${denied}` };
        }
    }
    const resourceAnswer: PolicyAnswer = target.policy ? evaluatePolicy(target.policy.document, request, true) : { effect: "none" };
    if (resourceAnswer.effect === "deny") {
        return { allowed: false, because: `denied by ${target.policy!.name} (${resourceAnswer.statement})` };
    }
    const resourceAllows = resourceAnswer.effect === "allow" ? `${target.policy!.name} (${resourceAnswer.statement})` : undefined;
    const sameAccount = target.account !== undefined && target.account === principalAccount;

    if (principal.kind === "service" || principal.kind === "outside-account") {
        // Their identity side is AWS's or another company's: only the resource side is ours to prove.
        if (resourceAllows) {
            return { allowed: true, because: `allowed by ${resourceAllows}` };
        }
        return {
            allowed: false,
            because: target.policy
                ? `no statement of ${target.policy.name} allows it`
                : "the resource has no policy that admits this principal",
        };
    }
    if (!principal.role) {
        if (resourceAnswer.effect === "allow" && !resourceAnswer.accountWide && sameAccount) {
            return { allowed: true, because: `allowed by ${resourceAllows}` };
        }
        if (!sameAccount && target.known && !resourceAllows) {
            return {
                allowed: false,
                because: target.policy
                    ? `no statement of ${target.policy.name} admits ${principal.label}`
                    : "the resource has no policy admitting other accounts",
            };
        }
        return {
            allowed: undefined,
            because: `${principal.label} is not created by any stack of this plan, so its identity policies are unknown`,
        };
    }
    const identity = identityPolicies(estate, principal.role);
    const identityDenied = firstDeny(identity.policies, request, false);
    if (identityDenied) {
        return { allowed: false, because: `denied by ${identityDenied}` };
    }
    const boundaryArn = principal.role.inputs.permissionsBoundary as string | undefined;
    if (boundaryArn) {
        const boundary = estate.ofType("aws:iam/policy:Policy").find((p) => p.arn === boundaryArn);
        const document = boundary ? parsed<PolicyDocument>(boundary.inputs.policy) : MANAGED_POLICIES[boundaryArn];
        if (!document) {
            return { allowed: undefined, because: `permissions boundary ${boundaryArn} is not in the plan` };
        }
        if (evaluatePolicy(document, request, false).effect !== "allow") {
            return { allowed: false, because: `outside the permissions boundary ${boundaryArn}` };
        }
    }
    const identityAllows = firstAllow(identity.policies, request);
    // A role's trust policy must admit every caller, in its own account too (IAM: "Roles terms and concepts").
    const trustRequired = action.toLowerCase().startsWith("sts:") && target.policy !== undefined && !resourceAllows;
    const allowedSameAccount = sameAccount && !trustRequired && (identityAllows || (resourceAllows && !resourceAnswer.accountWide));
    const allowedCrossAccount = !sameAccount && identityAllows && resourceAllows;
    if (allowedSameAccount || allowedCrossAccount) {
        return { allowed: true, because: `allowed by ${[identityAllows, resourceAllows].filter(Boolean).join(" and ")}` };
    }
    if (!identityAllows && identity.unknown.length > 0) {
        return { allowed: undefined, because: `no known policy allows it; managed policies not modelled: ${identity.unknown.join(", ")}` };
    }
    if (!target.known && !sameAccount) {
        return { allowed: undefined, because: `${resource} is not in this plan, so its resource policy is unknown` };
    }
    if (!identityAllows) {
        return {
            allowed: false,
            because: `no identity policy of ${principal.label} allows it${resourceAllows ? ` (only ${resourceAllows})` : ""}`,
        };
    }
    return {
        allowed: false,
        because: `${sameAccount ? "" : "cross-account: "}${identityAllows} allows it but ${target.policy ? `${target.policy.name} does not` : "the resource has no policy admitting it"}`,
    };
}

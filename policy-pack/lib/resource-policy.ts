import { CannotVerifyError, toPlain } from "./unknowns";
import { list, readable } from "./values";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped engine JSON */

/**
 * One reading of "who does this resource policy let in", shared by every policy-bearing type
 * (bucket, queue, topic, key, repository, domain, secret, role trust, Lambda permission, snapshot
 * sharing), so the pack judges a grant the same way wherever it appears.
 */

/** What a grant reaches. `public` and `external` let in principals outside the estate. */
export type GrantKind =
    /** anyone ("*" or NotPrincipal) with no condition that really restricts who */
    | "public"
    /** an account that is not one of the estate's (and no aws:PrincipalOrgID limit) */
    | "external"
    /** another account of the estate */
    | "cross-account"
    /** a whole account (its root or id) trusted by a role, with nothing narrowing which of its principals */
    | "whole-account"
    /** an AWS service acting on behalf of any account (no aws:SourceArn/SourceAccount/SourceOrgID): the confused deputy */
    | "unscoped-service";

export interface Grant {
    kind: GrantKind;
    /** `Sid` or `statement #<n>` (1-based), for the message. */
    statement: string;
    principal: string;
    detail: string;
}

export interface Analysis {
    grants: Grant[];
    /** Whether a Deny for everyone on aws:SecureTransport=false is present. */
    deniesInsecureTransport: boolean;
}

export interface Perspective {
    /** The account that owns the resource (from its provider), when known. */
    ownAccount?: string;
    /** Accounts of the estate (organization members). */
    estateAccounts: readonly string[];
    /** Accounts AWS services deliver from, trusted by design (e.g. the ELB log-delivery account). */
    serviceAccounts?: readonly string[];
    /** A role's trust policy: service principals are how services assume roles, not a deputy risk. */
    trust?: boolean;
}

/** The placeholder an unknown value becomes when a document is copied. */
const UNKNOWN = "\u0000unknown";

/**
 * A policy document input as a plain object. Strings are parsed; objects are copied with values
 * unknown until apply (e.g. an ARN from another resource) kept as a marker, so what is known can
 * still be judged. A document unknown as a whole cannot be verified.
 */
export function documentOf(value: unknown, what: string): any {
    readable(value, what);
    const plain = toPlain(value, UNKNOWN);
    if (plain === UNKNOWN) {
        throw new CannotVerifyError(`${what} is not known until apply`);
    }
    if (typeof plain === "string") {
        try {
            return JSON.parse(plain);
        } catch {
            throw new CannotVerifyError(`${what} is not valid JSON`);
        }
    }
    return plain ?? undefined;
}

interface Condition {
    operator: string;
    key: string;
    values: string[];
}

function conditionsOf(statement: any): Condition[] {
    const block = statement?.Condition;
    if (!block || typeof block !== "object") {
        return [];
    }
    return Object.entries(block as Record<string, Record<string, unknown>>).flatMap(([operator, entries]) =>
        Object.entries(entries ?? {}).map(([key, values]) => ({ operator, key: key.toLowerCase(), values: list(values).map(String) })),
    );
}

/**
 * A condition that narrows who gets in: a positive match (not `...IfExists`, which lets requests
 * without the key through, and not a negated operator) on a key the caller cannot choose.
 */
function restricting(conditions: Condition[], keys: readonly string[]): Condition[] {
    return conditions.filter(
        (c) =>
            keys.includes(c.key) &&
            /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnEquals|ArnLike|StringEqualsIgnoreCase)$/.test(c.operator),
    );
}

const ORG_KEYS = ["aws:principalorgid", "aws:principalorgpaths", "aws:sourceorgid", "aws:sourceorgpaths"];
const ACCOUNT_KEYS = ["aws:principalaccount", "aws:sourceaccount", "aws:sourceowner"];
// kms:EncryptionContext:aws:logs:arn is how CloudWatch Logs is limited to an account's log groups in a key policy (AWS docs).
const ARN_KEYS = ["aws:sourcearn", "aws:principalarn", "kms:encryptioncontext:aws:logs:arn"];
const NETWORK_KEYS = ["aws:sourcevpc", "aws:sourcevpce"];
/** Keys that pick principals inside an account (for whole-account trust). */
const PRINCIPAL_KEYS = ["aws:principalarn", "aws:userid", "aws:principaltag/", "aws:principalisawsservice"];

function accountOf(value: string): string | undefined {
    if (/^\d{12}$/.test(value)) {
        return value;
    }
    return /^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/.exec(value)?.[1];
}

function isWholeAccount(value: string): boolean {
    return /^\d{12}$/.test(value) || /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(value);
}

/** The accounts a set of conditions limits requests to (undefined: not limited by account). */
function limitedAccounts(conditions: Condition[]): string[] | undefined {
    const byAccount = restricting(conditions, ACCOUNT_KEYS).flatMap((c) => c.values);
    const byArn = restricting(conditions, ARN_KEYS).flatMap((c) => c.values.map((v) => accountOf(v) ?? v));
    const all = [...byAccount, ...byArn];
    return all.length > 0 ? all : undefined;
}

function statementName(statement: any, index: number): string {
    return typeof statement?.Sid === "string" && statement.Sid !== "" ? `statement "${statement.Sid}"` : `statement #${index + 1}`;
}

function principalsOf(statement: any): { kind: string; value: string }[] {
    const principal = statement?.Principal;
    if (principal === "*") {
        return [{ kind: "AWS", value: "*" }];
    }
    if (principal && typeof principal === "object") {
        return Object.entries(principal as Record<string, unknown>).flatMap(([kind, values]) =>
            list(values).map((value) => ({ kind, value: String(value) })),
        );
    }
    return [];
}

function insecureTransportDeny(statement: any): boolean {
    const everyone = principalsOf(statement).some((p) => p.value === "*");
    return (
        statement?.Effect === "Deny" &&
        everyone &&
        conditionsOf(statement).some(
            (c) => /^Bool(IfExists)?$/.test(c.operator) && c.key === "aws:securetransport" && c.values.includes("false"),
        )
    );
}

/** Judges one Allow statement's principals; unknown principals make the verdict impossible. */
function judge(statement: any, index: number, perspective: Perspective, unknowns: string[]): Grant[] {
    const name = statementName(statement, index);
    const conditions = conditionsOf(statement);
    const orgLimited = restricting(conditions, ORG_KEYS).length > 0;
    const networkLimited = restricting(conditions, NETWORK_KEYS).length > 0;
    const accounts = limitedAccounts(conditions);
    const estate = new Set([...perspective.estateAccounts, ...(perspective.ownAccount ? [perspective.ownAccount] : [])]);
    const trusted = (account: string) => estate.has(account) || (perspective.serviceAccounts ?? []).includes(account);
    const accountsOutside = (accounts ?? []).filter((a) => a !== UNKNOWN && /^\d{12}$/.test(a) && !trusted(a));
    const grants: Grant[] = [];
    const grant = (kind: GrantKind, principal: string, detail: string) => grants.push({ kind, statement: name, principal, detail });

    if (statement?.NotPrincipal !== undefined) {
        grant("public", "NotPrincipal", "allows everyone except the principals it names");
        return grants;
    }
    for (const { kind, value } of principalsOf(statement)) {
        if (value === UNKNOWN) {
            unknowns.push(`${name}'s ${kind} principal`);
            continue;
        }
        if (kind === "Service") {
            const scoped = orgLimited || accounts !== undefined;
            if (!perspective.trust && !scoped) {
                grant("unscoped-service", value, "names a service principal without aws:SourceArn, aws:SourceAccount or aws:SourceOrgID");
            } else if (accountsOutside.length > 0) {
                grant("external", value, `lets ${value} act for account ${accountsOutside.join(", ")}, outside the estate`);
            }
            continue;
        }
        if (kind === "Federated") {
            const audience = conditions.some(
                (c) => /:(sub|aud|amr)$/.test(c.key) && !/IfExists$/.test(c.operator) && !/Not/.test(c.operator),
            );
            if (!audience) {
                grant("public", value, "trusts every identity of the identity provider (no sub/aud condition)");
            }
            continue;
        }
        if (value === "*") {
            if (orgLimited || networkLimited) {
                continue;
            }
            if (accounts !== undefined) {
                if (accountsOutside.length > 0) {
                    grant("external", value, `allows any principal of account ${accountsOutside.join(", ")}, outside the estate`);
                }
                continue;
            }
            const gatedOnlyBy = conditions.map((c) => c.key);
            grant(
                "public",
                value,
                gatedOnlyBy.length > 0
                    ? `allows any principal; its only conditions (${[...new Set(gatedOnlyBy)].join(", ")}) do not limit who`
                    : "allows any principal",
            );
            continue;
        }
        const account = accountOf(value);
        if (account === undefined) {
            continue; // a canonical user id or similar: judged by the type-specific policies
        }
        if (!trusted(account) && !orgLimited) {
            grant("external", value, `grants account ${account}, which is not one of the estate's accounts`);
            continue;
        }
        if (perspective.ownAccount !== undefined && account !== perspective.ownAccount && estate.has(account)) {
            grant("cross-account", value, `grants account ${account}`);
        }
        if (
            perspective.trust &&
            isWholeAccount(value) &&
            !conditions.some((c) => PRINCIPAL_KEYS.some((k) => c.key.startsWith(k)) && !/IfExists$/.test(c.operator))
        ) {
            grant("whole-account", value, `trusts every principal of account ${account} (no aws:PrincipalArn or principal-tag condition)`);
        }
    }
    return grants;
}

/** Who a policy document lets in. Throws CannotVerifyError when a principal that matters is unknown until apply. */
export function analyze(document: any, what: string, perspective: Perspective): Analysis {
    const statements = list(document?.Statement);
    const unknowns: string[] = [];
    const grants = statements.flatMap((s: any, i: number) => (s?.Effect === "Allow" ? judge(s, i, perspective, unknowns) : []));
    if (unknowns.length > 0 && !grants.some((g) => g.kind === "public" || g.kind === "external")) {
        throw new CannotVerifyError(`${what}: ${unknowns.join(", ")} not known until apply`);
    }
    return { grants, deniesInsecureTransport: statements.some(insecureTransportDeny) };
}

/** `statement "Sid": <principal> <detail>` for a violation message. */
export function describeGrant(grant: Grant): string {
    return `${grant.statement} (${grant.principal}) ${grant.detail}`;
}

/** The account a provider deploys into: its allowedAccountIds, else the account of the role it assumes. */
export function providerAccount(provider: { props: Record<string, any> } | undefined): string | undefined {
    if (!provider) {
        return undefined;
    }
    const parse = (v: unknown): unknown => (typeof v === "string" && v.startsWith("[") ? JSON.parse(v) : v);
    const allowed = list<string>(parse(provider.props.allowedAccountIds));
    if (allowed.length === 1) {
        return String(allowed[0]);
    }
    const role = list<any>(parse(provider.props.assumeRoles))[0]?.roleArn ?? (parse(provider.props.assumeRole) as any)?.roleArn;
    return typeof role === "string" ? accountOf(role) : undefined;
}

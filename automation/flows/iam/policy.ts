import PBAC from "pbac";

/**
 * One IAM policy document's answer to one request, on AWS's rules. Statement matching (Action,
 * NotAction, Resource, NotResource, policy variables, Allow/Deny precedence) is pbac's (MIT); its
 * condition and principal handling differ from AWS (one key per operator, negated operators over
 * several values, missing keys), so those two are replaced here with AWS's documented semantics:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
    Version?: string;
    Statement: PolicyStatement | PolicyStatement[];
}

/** Who is asking, as resource and trust policies match it. */
export interface RequestPrincipal {
    /** Role ARN, or `arn:aws:iam::<account>:root` for an account acting as itself (e.g. ELB log delivery). */
    arn?: string;
    account?: string;
    /** Service principal, e.g. `delivery.logs.amazonaws.com`. */
    service?: string;
    /** OIDC provider ARN, for sts:AssumeRoleWithWebIdentity. */
    federated?: string;
}

export interface PolicyRequest {
    action: string;
    resource: string;
    principal: RequestPrincipal;
    /** Condition keys (case-insensitive names) to values. */
    context: Record<string, string | string[] | boolean | number | undefined>;
}

export type Effect = "allow" | "deny" | "none";

export interface PolicyAnswer {
    effect: Effect;
    /** The deciding statement (Sid, or its index). */
    statement?: string;
    /** A resource or trust policy that allowed the principal's whole account, not the principal itself. */
    accountWide?: boolean;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function glob(pattern: string, ignoreCase: boolean): RegExp {
    const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
}

const globCache = new Map<string, RegExp>();
function like(value: string, pattern: string, ignoreCase = false): boolean {
    const key = `${ignoreCase ? "i" : "s"}:${pattern}`;
    let re = globCache.get(key);
    if (!re) {
        re = glob(pattern, ignoreCase);
        globCache.set(key, re);
    }
    return re.test(value);
}

function ipv4(value: string): number {
    return value.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
    const [base, bits = "32"] = cidr.split("/");
    const [addr, addrBits = "32"] = ip.split("/");
    const size = 2 ** (32 - Number(bits));
    const start = Math.floor(ipv4(base) / size) * size;
    const first = ipv4(addr);
    const last = first + 2 ** (32 - Number(addrBits)) - 1;
    return first >= start && last < start + size;
}

type Comparator = (actual: string, expected: string) => boolean;

const COMPARATORS: Record<string, Comparator> = {
    StringEquals: (a, e) => a === e,
    StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
    StringLike: (a, e) => like(a, e),
    ArnEquals: (a, e) => like(a, e),
    ArnLike: (a, e) => like(a, e),
    NumericEquals: (a, e) => Number(a) === Number(e),
    NumericLessThan: (a, e) => Number(a) < Number(e),
    NumericLessThanEquals: (a, e) => Number(a) <= Number(e),
    NumericGreaterThan: (a, e) => Number(a) > Number(e),
    NumericGreaterThanEquals: (a, e) => Number(a) >= Number(e),
    DateEquals: (a, e) => Date.parse(a) === Date.parse(e),
    DateLessThan: (a, e) => Date.parse(a) < Date.parse(e),
    DateLessThanEquals: (a, e) => Date.parse(a) <= Date.parse(e),
    DateGreaterThan: (a, e) => Date.parse(a) > Date.parse(e),
    DateGreaterThanEquals: (a, e) => Date.parse(a) >= Date.parse(e),
    Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
    BinaryEquals: (a, e) => a === e,
    IpAddress: (a, e) => cidrContains(e, a),
};
const NEGATED: Record<string, string> = {
    StringNotEquals: "StringEquals",
    StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
    StringNotLike: "StringLike",
    ArnNotEquals: "ArnEquals",
    ArnNotLike: "ArnLike",
    NumericNotEquals: "NumericEquals",
    DateNotEquals: "DateEquals",
    NotIpAddress: "IpAddress",
};

function contextValue(context: PolicyRequest["context"], key: string): string[] | undefined {
    const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
    const value = found === undefined ? undefined : context[found];
    return value === undefined ? undefined : list(value).map(String);
}

/** One operator block (`"StringLike": { key: values, ... }`): every key must hold. */
function operatorHolds(operator: string, block: Record<string, unknown>, context: PolicyRequest["context"]): boolean {
    let name = operator;
    let set: "any" | "all" | undefined;
    if (name.startsWith("ForAnyValue:")) {
        set = "any";
        name = name.slice("ForAnyValue:".length);
    } else if (name.startsWith("ForAllValues:")) {
        set = "all";
        name = name.slice("ForAllValues:".length);
    }
    const ifExists = name.endsWith("IfExists");
    if (ifExists) {
        name = name.slice(0, -"IfExists".length);
    }
    return Object.entries(block).every(([key, raw]) => {
        const expected = list(raw).map(String);
        const actual = contextValue(context, key);
        if (name === "Null") {
            return expected.some((e) => (e === "true") === (actual === undefined));
        }
        const negatedBase = NEGATED[name];
        if (actual === undefined) {
            // AWS: a missing key fails a condition, except a negated one, IfExists, or ForAllValues (vacuously true).
            return ifExists || negatedBase !== undefined || set === "all";
        }
        const compare = COMPARATORS[negatedBase ?? name];
        if (!compare) {
            throw new Error(`IAM condition operator ${operator} is not modelled (automation/flows/iam/policy.ts)`);
        }
        const matches = (value: string) => expected.some((e) => compare(value, e));
        const holds = (value: string) => (negatedBase ? !matches(value) : matches(value));
        return set === "all" ? actual.every(holds) : actual.some(holds);
    });
}

function conditionHolds(condition: PolicyStatement["Condition"], context: PolicyRequest["context"]): boolean {
    return condition === undefined || Object.entries(condition).every(([op, block]) => operatorHolds(op, block, context));
}

/** Whether a Principal element names the requester; `accountWide` when it names the requester's account only. */
export function principalMatches(element: unknown, principal: RequestPrincipal): { matches: boolean; accountWide: boolean } {
    if (element === "*") {
        return { matches: true, accountWide: false };
    }
    const record = (element ?? {}) as Record<string, unknown>;
    for (const value of list(record.AWS).map(String)) {
        if (value === "*") {
            return { matches: true, accountWide: false };
        }
        if (principal.arn !== undefined && value === principal.arn) {
            return { matches: true, accountWide: principal.arn.endsWith(":root") };
        }
        const account = /^\d{12}$/.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)?.[1];
        if (account !== undefined && account === principal.account) {
            return { matches: true, accountWide: true };
        }
    }
    if (principal.service !== undefined && list(record.Service).map(String).includes(principal.service)) {
        return { matches: true, accountWide: false };
    }
    if (principal.federated !== undefined && list(record.Federated).map(String).includes(principal.federated)) {
        return { matches: true, accountWide: false };
    }
    return { matches: false, accountWide: false };
}

interface Prepared {
    statements: PolicyStatement[];
    normalised: (PolicyStatement & { Sid: string })[];
}

const prepared = new Map<string, Prepared>();
// pbac's element matchers, used statement by statement (its `evaluate` rebuilds lodash pipelines on every call).
const matcher = new PBAC([], { validateSchema: false, validatePolicies: false });

/** pbac matches actions case-sensitively; IAM does not, so actions are lower-cased on both sides. */
function normalise(statement: PolicyStatement, index: number): PolicyStatement & { Sid: string } {
    const lower = (v: string | string[] | undefined) => (v === undefined ? undefined : list(v).map((a) => String(a).toLowerCase()));
    return {
        ...statement,
        Sid: statement.Sid ?? `#${index}`,
        Action: lower(statement.Action),
        NotAction: lower(statement.NotAction),
        Resource: statement.Resource === undefined ? undefined : list(statement.Resource).map(String),
        NotResource: statement.NotResource === undefined ? undefined : list(statement.NotResource).map(String),
    } as PolicyStatement & { Sid: string };
}

function prepare(document: PolicyDocument): Prepared {
    const key = JSON.stringify(document);
    let entry = prepared.get(key);
    if (!entry) {
        const statements = list(document.Statement) as PolicyStatement[];
        entry = { statements, normalised: statements.map(normalise) };
        prepared.set(key, entry);
    }
    return entry;
}

/** Action/NotAction and Resource/NotResource (with policy variables), by pbac's matchers. */
function statementMatches(statement: PolicyStatement, request: PolicyRequest, variables: Record<string, Record<string, string>>): boolean {
    const action = request.action.toLowerCase();
    const actions = statement.Action as string[] | undefined;
    const notActions = statement.NotAction as string[] | undefined;
    const resources = statement.Resource as string[] | undefined;
    const notResources = statement.NotResource as string[] | undefined;
    if ((actions && !matcher.evaluateAction(actions, action)) || (notActions && matcher.evaluateAction(notActions, action))) {
        return false;
    }
    return !(
        (resources && !matcher.evaluateResource(resources, request.resource, variables)) ||
        (notResources && matcher.evaluateResource(notResources, request.resource, variables))
    );
}

/** Policy variables (`${aws:username}`) as pbac interpolates them: nested by prefix. */
function variablesOf(context: PolicyRequest["context"]): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [key, value] of Object.entries(context)) {
        const at = key.indexOf(":");
        if (at > 0 && value !== undefined && !Array.isArray(value)) {
            (out[key.slice(0, at)] ??= {})[key.slice(at + 1)] = String(value);
        }
    }
    return out;
}

/**
 * Evaluates one policy document. `withPrincipal`: a resource or trust policy, whose statements
 * apply only when their Principal names the requester.
 */
export function evaluatePolicy(document: PolicyDocument, request: PolicyRequest, withPrincipal: boolean): PolicyAnswer {
    const { statements, normalised } = prepare(document);
    const variables = variablesOf(request.context);
    let allow: PolicyAnswer | undefined;
    for (const [index, statement] of statements.entries()) {
        let accountWide = false;
        if (withPrincipal || statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
            if (statement.Principal !== undefined) {
                const match = principalMatches(statement.Principal, request.principal);
                if (!match.matches) {
                    continue;
                }
                accountWide = match.accountWide;
            } else if (statement.NotPrincipal !== undefined) {
                if (principalMatches(statement.NotPrincipal, request.principal).matches) {
                    continue;
                }
            } else if (withPrincipal) {
                continue;
            }
        }
        if (!statementMatches(normalised[index], request, variables) || !conditionHolds(statement.Condition, request.context)) {
            continue;
        }
        const name = statement.Sid ?? `statement ${index}`;
        if (statement.Effect === "Deny") {
            return { effect: "deny", statement: name };
        }
        if (!allow || (allow.accountWide && !accountWide)) {
            allow = { effect: "allow", statement: name, accountWide };
        }
    }
    return allow ?? { effect: "none" };
}

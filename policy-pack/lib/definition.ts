import type {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { EXEMPTIONS } from "../exemptions";
import {
    CommonPolicyConfig,
    Exemption,
    ExemptionStatus,
    Level,
    commonSchema,
    exemptionFor,
    isProd,
    isPullRequest,
    isoDate,
    stackOfUrn,
} from "./settings";
import { CannotVerifyError, cannotVerify, isUnknownValueError, unknownPath } from "./unknowns";

export type Domain =
    | "s3"
    | "kms"
    | "dynamodb"
    | "sqs"
    | "lambda"
    | "rds"
    | "opensearch"
    | "eks"
    | "network"
    | "elb"
    | "cloudfront-waf"
    | "iam"
    | "resource-access"
    | "logging"
    | "audit"
    | "ecr"
    | "secrets"
    | "versions"
    | "organizations"
    | "tagging"
    | "environment";

/** What the generated docs/policy-pack.md table and config are built from. */
export interface PolicyMeta {
    /** The policy id, unique in the pack. */
    name: string;
    domain: Domain;
    /** What the policy requires (shown by Pulumi with every violation). */
    description: string;
    /** What goes wrong without it, for docs/policy-pack.md. */
    prevents: string;
    severity: Severity;
    /** What to change to comply. */
    remediation: string;
    /** Level outside prod (and in prod unless `prodLevel` is set). */
    level: Level;
    /** Stricter level for the environments held to prod levels (prod, mgmt, org: lib/settings.ts). */
    prodLevel?: Level;
    /** Why the level differs between those environments and the others (required with prodLevel). */
    levelReason?: string;
    checkov?: string;
    trivy?: string;
    /** Security Hub controls (FSBP and PCI DSS standards) this policy evidences, e.g. `S3.5`. */
    securityHub?: readonly string[];
    /** PCI DSS v4.0.1 requirements this policy evidences, e.g. `10.5.1`. */
    pci?: readonly string[];
    /**
     * The input paths the policy reads, by resource type token (`a.b` descends into a nested
     * block or list element; `*` as the type: every type the policy looks at). A test checks each
     * against the provider's Args typings and that the policy reads nothing else.
     */
    reads: Reads;
}

export type Reads = Readonly<Record<string, readonly string[]>>;

/**
 * For a policy that hands whole resources to another module (the PR budget gives them to the
 * estimator, whose reads are its own): every input of every type.
 */
export const ALL_INPUTS: Reads = { "*": ["*"] };

/** The same input paths on each of several types (e.g. the aws and alb aliases of a load balancer). */
export function sameReads(types: readonly string[], paths: readonly string[]): Reads {
    return Object.fromEntries(types.map((type) => [type, paths]));
}

export interface PolicyDefinition {
    meta: PolicyMeta;
    kind: "resource" | "stack";
    /** The resource types a resource policy looks at; undefined means every type. */
    types?: readonly string[];
    configSchema: PolicyConfigSchema;
    policy: ResourceValidationPolicy | StackValidationPolicy;
}

/** The environment facts and settings a check sees. */
export interface CheckContext<C> {
    env: string;
    prod: boolean;
    pr: boolean;
    config: C & CommonPolicyConfig;
    /** The date exemptions are judged against (`YYYY-MM-DD`). */
    asOf: string;
    report(message: string, urn?: string): void;
}

/** A resource as a resource check sees it (the fields of ResourceValidationArgs it needs). */
export interface Subject {
    type: string;
    urn: string;
    name: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped engine JSON
    props: Record<string, any>;
    protect: boolean;
    parent?: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped engine JSON
    provider?: { type: string; urn: string; name: string; props: Record<string, any> };
}

export interface StackContext<C> extends CheckContext<C> {
    resources: PolicyResource[];
    /**
     * Runs `check` for each resource, so a value unknown during preview on one resource does not
     * stop the others from being checked; the unknowns are reported together at the end.
     */
    each(resources: readonly PolicyResource[], check: (resource: PolicyResource) => void): void;
}

interface ConfigOptions<C> {
    /** Policy-specific configSchema properties (the common ones are added). */
    schema?: PolicyConfigSchema["properties"];
    /** Defaults by environment, e.g. stricter in prod; explicit config wins. */
    defaults?: (env: string) => C;
}

type Spec<C> = PolicyMeta & ConfigOptions<C>;

export interface ResourceSpec<C> extends Spec<C> {
    types?: readonly string[];
    check: (resource: Subject, ctx: CheckContext<C>) => void;
}

export interface StackSpec<C> extends Spec<C> {
    check: (ctx: StackContext<C>) => void;
}

interface Resolved<C> {
    ctx: Omit<CheckContext<C>, "report">;
    exemptions: Exemption[];
    asOf: string;
}

function resolve<C>(policyName: string, spec: ConfigOptions<C>, raw: CommonPolicyConfig & Partial<C>, anyUrn: string): Resolved<C> {
    const env = raw.environment ?? stackOfUrn(anyUrn) ?? "unknown";
    const defaults = spec.defaults ? spec.defaults(env) : ({} as C);
    const config = { ...defaults, ...raw } as C & CommonPolicyConfig;
    const exemptions = [...EXEMPTIONS.filter((e) => e.policy === policyName), ...(raw.exemptions ?? [])];
    const asOf = raw.asOf ?? isoDate(new Date());
    return { ctx: { env, prod: isProd(env), pr: isPullRequest(env), config, asOf }, exemptions, asOf };
}

function expiredNote(status: ExemptionStatus): string {
    return status.state === "expired"
        ? ` [the exemption for this resource expired on ${status.exemption.expires} and no longer applies (reason given: ${status.exemption.reason})]`
        : "";
}

/** Runs a check, turning an unreadable value into the advisory "cannot verify until apply". */
function guarded(run: () => void): string | undefined {
    try {
        run();
        return undefined;
    } catch (error) {
        if (isUnknownValueError(error)) {
            return `.${unknownPath(error)} is not known until apply`;
        }
        if (error instanceof CannotVerifyError) {
            return error.what;
        }
        throw error;
    }
}

function metaOf<C>(spec: Spec<C>): PolicyMeta {
    const {
        name,
        domain,
        description,
        prevents,
        severity,
        remediation,
        level,
        prodLevel,
        levelReason,
        checkov,
        trivy,
        securityHub,
        pci,
        reads,
    } = spec;
    return {
        name,
        domain,
        description,
        prevents,
        severity,
        remediation,
        level,
        prodLevel,
        levelReason,
        checkov,
        trivy,
        securityHub,
        pci,
        reads,
    };
}

/** The policy object Pulumi's analyzer runs, with the metadata kept beside it. */
function define<C>(
    spec: Spec<C>,
    kind: PolicyDefinition["kind"],
    validation: Pick<ResourceValidationPolicy, "validateResource"> | Pick<StackValidationPolicy, "validateStack">,
    types?: readonly string[],
): PolicyDefinition {
    const configSchema = commonSchema(spec.schema);
    const policy = {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.level,
        severity: spec.severity,
        remediationSteps: spec.remediation,
        configSchema,
        ...validation,
    } as ResourceValidationPolicy | StackValidationPolicy;
    return { meta: metaOf(spec), kind, types, configSchema, policy };
}

export function resourcePolicy<C extends object = object>(spec: ResourceSpec<C>): PolicyDefinition {
    const types = spec.types;
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
        if (types && !types.includes(args.type)) {
            args.notApplicable(`applies to ${types.join(", ")}`);
        }
        const { ctx, exemptions, asOf } = resolve<C>(spec.name, spec, args.getConfig<CommonPolicyConfig & Partial<C>>(), args.urn);
        const status = exemptionFor(args.urn, exemptions, asOf);
        if (status.state === "active") {
            args.notApplicable(`exempt until ${status.exemption.expires}: ${status.exemption.reason}`);
        }
        const note = expiredNote(status);
        const subject: Subject = {
            type: args.type,
            urn: args.urn,
            name: args.name,
            props: args.props,
            protect: args.opts.protect,
            parent: args.opts.parent,
            provider: args.provider,
        };
        const unknown = guarded(() => spec.check(subject, { ...ctx, report: (message) => reportViolation(message + note) }));
        if (unknown !== undefined) {
            throw cannotVerify(unknown);
        }
    };
    return define(spec, "resource", { validateResource }, types);
}

export function stackPolicy<C extends object = object>(spec: StackSpec<C>): PolicyDefinition {
    const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation): void => {
        if (args.resources.length === 0) {
            args.notApplicable("the stack has no resources");
        }
        const { ctx, exemptions, asOf } = resolve<C>(
            spec.name,
            spec,
            args.getConfig<CommonPolicyConfig & Partial<C>>(),
            args.resources[0].urn,
        );
        const unknowns: string[] = [];
        const report = (message: string, urn?: string): void => {
            if (urn === undefined) {
                reportViolation(message);
                return;
            }
            const status = exemptionFor(urn, exemptions, asOf);
            if (status.state !== "active") {
                reportViolation(message + expiredNote(status), urn);
            }
        };
        const each = (resources: readonly PolicyResource[], check: (resource: PolicyResource) => void): void => {
            for (const resource of resources) {
                const unknown = guarded(() => check(resource));
                if (unknown !== undefined) {
                    unknowns.push(`${resource.urn}: ${unknown}`);
                }
            }
        };
        const unknown = guarded(() => spec.check({ ...ctx, resources: args.resources, report, each }));
        if (unknown !== undefined) {
            unknowns.push(unknown);
        }
        if (unknowns.length > 0) {
            throw cannotVerify(unknowns.join("; "));
        }
    };
    return define(spec, "stack", { validateStack });
}

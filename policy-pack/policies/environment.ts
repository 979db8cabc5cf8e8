import type { PolicyResource } from "@pulumi/policy";
import { PlannedStack, UNKNOWN_PLACEHOLDER } from "../../plan-model/types";
import { estimateStack } from "../../plan-model/estimates";
import { EXEMPTIONS } from "../exemptions";
import { ALL_INPUTS, PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { PackExemption, isoDate, stackOfUrn } from "../lib/settings";
import { toPlain } from "../lib/unknowns";
import { has } from "../lib/values";
import { BUCKET_TYPES } from "./s3";
import { TABLE } from "./dynamodb";
import { DATABASES } from "./rds";
import { DOMAIN } from "./opensearch";
import { CLUSTERS } from "./eks";
import { AWSX_VPC } from "./network";

const AWS_PROVIDER = "pulumi:providers:aws";
export const DEFAULT_ALLOWED_REGIONS = ["us-east-1"];

/** What holds data that cannot be recreated: tables, buckets, databases, search domains, keys. */
export const STATEFUL_TYPES = [
    ...TABLE,
    ...BUCKET_TYPES,
    ...DATABASES,
    ...DOMAIN,
    "aws:kms/key:Key",
    "aws:efs/fileSystem:FileSystem",
    "aws:elasticache/replicationGroup:ReplicationGroup",
];

/** Slow or always-billed resources a PR environment must borrow from `test` instead of creating. */
export const PR_FORBIDDEN_TYPES = [
    ...CLUSTERS,
    "aws:ec2/natGateway:NatGateway",
    ...DATABASES,
    ...DOMAIN,
    "aws:cloudfront/distribution:Distribution",
];

/** Custom resources have a module in their type token (`aws:s3/bucket:Bucket`); components do not. */
function isCustomType(type: string): boolean {
    return /^[^:]+:[^:]*\/[^:]*:[^:]+$/.test(type) || type.startsWith("pulumi:providers:");
}

/** The stack as the plan JSON shows it, for helpers written against that contract. */
function asPlannedStack(resources: PolicyResource[], env: string): PlannedStack {
    const project = resources[0]?.urn.split("::")[1] ?? "unknown";
    return {
        project,
        stack: env,
        outputs: {},
        violations: [],
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: isCustomType(r.type),
            parent: r.parent?.urn ?? null,
            provider: r.provider?.urn ?? null,
            inputs: toPlain(r.props, UNKNOWN_PLACEHOLDER) as Record<string, unknown>,
            protect: r.opts.protect,
            retainOnDelete: false,
            dependencies: r.dependencies.map((d) => d.urn),
        })),
    };
}

const PACK_EXEMPTION_SCHEMA = {
    type: "array" as const,
    items: {
        type: "object" as const,
        required: ["policy", "urn", "reason", "expires", "owner"],
        properties: {
            policy: { type: "string" as const },
            urn: { type: "string" as const },
            reason: { type: "string" as const },
            expires: { type: "string" as const },
            owner: { type: "string" as const, minLength: 1 },
        },
    },
};

/** Global services: their resources have no per-resource `region` input (the provider's region only signs the call). */
const GLOBAL_MODULES = new Set(["iam", "organizations", "budgets", "route53", "cloudfront"]);
const NO_REGION_TYPES = new Set(["aws:ram/sharingWithOrganization:SharingWithOrganization"]);

function hasRegionInput(type: string): boolean {
    return !GLOBAL_MODULES.has(type.split(":")[1]?.split("/")[0] ?? "") && !NO_REGION_TYPES.has(type);
}

export const ENVIRONMENT_POLICIES: PolicyDefinition[] = [
    resourcePolicy<{ allowedRegions: string[] }>({
        name: "region-allow-list",
        domain: "environment",
        description: "AWS providers and per-resource region overrides use only allowed regions.",
        prevents: "Resources in regions the organization does not monitor (and the region-deny SCP would block at apply time).",
        severity: "high",
        remediation:
            "Set the provider's region (and any resource `region`) to an allowed region, or add the region to the allow-list in foundation config and this pack's allowedRegions.",
        level: "mandatory",
        schema: { allowedRegions: { type: "array", items: { type: "string" }, minItems: 1 } },
        defaults: () => ({ allowedRegions: DEFAULT_ALLOWED_REGIONS }),
        reads: { "*": ["region"] },
        check: (r, ctx) => {
            const allowed = ctx.config.allowedRegions;
            if (r.type === AWS_PROVIDER) {
                if (typeof r.props.region !== "string" || r.props.region === "") {
                    ctx.report(`AWS provider ${r.name} does not set a region (it would use the caller's environment).`);
                } else if (!allowed.includes(r.props.region)) {
                    ctx.report(`AWS provider ${r.name} deploys to ${r.props.region}; allowed: ${allowed.join(", ")}.`);
                }
            } else if (r.type.startsWith("aws:") && isCustomType(r.type) && hasRegionInput(r.type)) {
                // Judged per resource too, where the region it lands in is known, in case the engine does not analyze providers.
                const region = has(r.props, "region") ? r.props.region : r.provider?.props.region;
                if (typeof region === "string" && region !== "" && !allowed.includes(region)) {
                    ctx.report(`${r.name} would be created in ${region}; allowed: ${allowed.join(", ")}.`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "explicit-provider",
        domain: "environment",
        description: "Every AWS resource uses an explicit provider (the account provider), never the default provider.",
        prevents: "Resources created in whatever account and region the caller's ambient credentials point at.",
        severity: "high",
        remediation: "Pass { provider } (or a parent whose provider flows down) built with lib/provider.ts accountProvider.",
        level: "mandatory",
        reads: {},
        check: (r, ctx) => {
            if (!r.type.startsWith("aws:") || !isCustomType(r.type)) {
                return;
            }
            if (r.provider === undefined || /^default(_|$)/.test(r.provider.name)) {
                ctx.report(`${r.type} ${r.name} uses the default AWS provider.`);
            }
        },
    }),
    resourcePolicy({
        name: "prod-stateful-protected",
        domain: "environment",
        description: "In prod, every stateful resource (tables, buckets, databases, search domains, KMS keys, file systems) is protected.",
        prevents: "Prod data destroyed by a `pulumi destroy`, a replace or a removed line of code.",
        severity: "critical",
        remediation: "Create the resource with { protect: true } (and retainOnDelete: true) in prod.",
        level: "mandatory",
        types: STATEFUL_TYPES,
        reads: {},
        check: (r, ctx) => {
            if (ctx.prod && !r.protect) {
                ctx.report(`Prod ${r.type} ${r.name} is not protected.`);
            }
        },
    }),
    resourcePolicy({
        name: "pr-forbidden-resources",
        domain: "environment",
        description:
            "A pr-* stack creates no EKS cluster, NAT gateway, RDS instance or cluster, OpenSearch domain, CloudFront distribution or provisioned-capacity table.",
        prevents: "PR environments that take half an hour to come up and bill by the hour, instead of borrowing the test environment's.",
        severity: "high",
        remediation:
            "Use the test platform's cluster, network, database and search domain (per-PR database name and index prefix) and an on-demand (PAY_PER_REQUEST) table.",
        level: "mandatory",
        reads: { "aws:dynamodb/table:Table": ["billingMode"] },
        check: (r, ctx) => {
            if (!ctx.pr) {
                return;
            }
            if (PR_FORBIDDEN_TYPES.includes(r.type)) {
                ctx.report(`${r.type} ${r.name} is not allowed in a PR environment.`);
            } else if (r.type === AWSX_VPC && r.props.natGateways?.strategy !== "None") {
                ctx.report(
                    `VPC ${r.name} creates NAT gateways (natGateways.strategy defaults to OnePerAz), which a PR environment must not.`,
                );
            } else if (TABLE.includes(r.type) && r.props.billingMode !== "PAY_PER_REQUEST") {
                ctx.report(
                    `Table ${r.name} uses provisioned capacity (billingMode ${r.props.billingMode ?? "PROVISIONED by default"}); PR tables are PAY_PER_REQUEST.`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "pr-nothing-protected",
        domain: "environment",
        description: "Nothing in a pr-* stack is protected, so the PR environment can always be destroyed.",
        prevents: "PR environments that fail to tear down and keep costing money after the PR closes.",
        severity: "medium",
        remediation: "Drop protect from PR resources (make protection depend on the environment being prod).",
        level: "mandatory",
        reads: {},
        check: (r, ctx) => {
            if (ctx.pr && r.protect) {
                ctx.report(`${r.name} is protected in a PR environment.`);
            }
        },
    }),
    stackPolicy<{ packExemptions: PackExemption[]; maxExemptionDays: number }>({
        name: "policy-exemptions-valid",
        domain: "environment",
        description: "Policy exemptions for this stack are current: not expired, and not granted for longer than the maximum period.",
        prevents: "Temporary exceptions silently becoming permanent.",
        severity: "low",
        remediation: "Fix the resource and delete the exemption, or renew it with a new reason and expiry date after review.",
        level: "advisory",
        schema: { packExemptions: PACK_EXEMPTION_SCHEMA, maxExemptionDays: { type: "integer", minimum: 1 } },
        defaults: () => ({ packExemptions: [], maxExemptionDays: 180 }),
        reads: {},
        check: (ctx) => {
            const latest = new Date(`${ctx.asOf}T00:00:00Z`);
            latest.setUTCDate(latest.getUTCDate() + ctx.config.maxExemptionDays);
            const stack = stackOfUrn(ctx.resources[0].urn);
            const inStack = (e: PackExemption) =>
                stackOfUrn(e.urn) === stack && e.urn.split("::")[1] === ctx.resources[0].urn.split("::")[1];
            for (const e of [...EXEMPTIONS, ...ctx.config.packExemptions].filter(inStack)) {
                const where = ctx.resources.some((r) => r.urn === e.urn) ? e.urn : undefined;
                if (!e.owner || e.owner.trim() === "") {
                    ctx.report(`The exemption from ${e.policy} for ${e.urn} names no owner.`, where);
                }
                if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(e.expires) || e.expires < ctx.asOf) {
                    ctx.report(
                        `The exemption from ${e.policy} for ${e.urn} expired on ${e.expires} and no longer applies (reason was: ${e.reason}).`,
                        where,
                    );
                } else if (e.expires > isoDate(latest)) {
                    ctx.report(
                        `The exemption from ${e.policy} for ${e.urn} runs until ${e.expires}, more than ${ctx.config.maxExemptionDays} days ahead.`,
                        where,
                    );
                }
            }
        },
    }),
    stackPolicy<{ maxSpinUpMinutes: number; maxDailyUsd: number }>({
        name: "pr-environment-budget",
        domain: "environment",
        description: "A pr-* stack's estimated spin-up time and daily fixed cost stay under the configured thresholds (issue 8 estimates).",
        prevents: "PR environments that are slow to review against and quietly expensive.",
        severity: "low",
        remediation:
            "Borrow the slow or hourly-billed resource from the test environment, or raise the threshold in the pack config with a reason.",
        level: "advisory",
        schema: { maxSpinUpMinutes: { type: "number", minimum: 0 }, maxDailyUsd: { type: "number", minimum: 0 } },
        defaults: () => ({ maxSpinUpMinutes: 10, maxDailyUsd: 1 }),
        reads: ALL_INPUTS,
        check: (ctx) => {
            if (!ctx.pr) {
                return;
            }
            const estimate = estimateStack(asPlannedStack(ctx.resources, ctx.env));
            if (estimate.spinUpMinutes > ctx.config.maxSpinUpMinutes) {
                ctx.report(
                    `Estimated spin-up is ${estimate.spinUpMinutes} min (critical path: ${estimate.criticalPath.join(" -> ")}); the PR budget is ${ctx.config.maxSpinUpMinutes} min.`,
                );
            }
            if (estimate.dailyUsd > ctx.config.maxDailyUsd) {
                ctx.report(
                    `Estimated fixed cost is $${estimate.dailyUsd.toFixed(2)}/day (largest: ${estimate.topCosts.map((c) => c.item).join(", ")}); the PR budget is $${ctx.config.maxDailyUsd}/day.`,
                );
            }
        },
    }),
];

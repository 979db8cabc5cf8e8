import type { TrustLevel } from "../lib/ci-trust";
import { RunnersConfig, TRUST_LEVELS } from "./cluster/ci-runners";
import * as pulumi from "@pulumi/pulumi";
import { ROLE_ARN_PATTERN, accountFromArn } from "../lib/arn";
import { COMMON_CONFIG_KEYS, ConfigReader, DOMAIN_PATTERN, InvalidConfigError, LOG_RETENTION_DAYS, currentStackLabel } from "../lib/config";
import { ACCOUNT_OF_ENVIRONMENT, AccountName, FULL_ENVIRONMENTS, FullEnvironment, VPC_CIDRS, isFullEnvironment } from "../lib/environments";
import { standardTags } from "../lib/tags";
import { cidrsOverlap, parseCidr } from "./cidr";
import type { DnsSettings } from "./edge/dns";
import type { EdgeSettings } from "./edge/edge";
import { CLOUDFRONT_PRICE_CLASSES, type CloudFrontPriceClass } from "./edge/cdn";
import type { SharedDataSizing } from "./shared-data";

/** Every VPC spans three AZs (shared/CONVENTIONS.md). */
export const AVAILABILITY_ZONE_COUNT = 3;

/** `onePerAz` keeps each AZ's egress independent; `single` is a cost saving allowed only in test. */
export const NAT_GATEWAY_STRATEGIES = ["onePerAz", "single"] as const;
export type NatGatewayStrategy = (typeof NAT_GATEWAY_STRATEGIES)[number];

/** The Tailscale subnet router: mgmt only, the one way staff enter the network. */
export interface VpnRouterConfig {
    instanceType: string;
    authKey: pulumi.Output<string>;
}

/** What every platform stack reads, hub or env. */
interface PlatformConfigBase {
    env: FullEnvironment;
    /** The account the stack deploys into (shared/CONVENTIONS.md, "Accounts and environments"). */
    account: AccountName;
    stackOrg: string;
    region: string;
    owner: string;
    costCenter: string;
    tags: Record<string, string>;
    vpcCidr: string;
    natGateways: NatGatewayStrategy;
    flowLogRetentionDays: number;
    dns: DnsSettings;
}

/** platform/mgmt: the hub (Transit Gateway, VPN entry, Argo CD, CI runners), no public edge. */
export interface HubConfig extends PlatformConfigBase {
    role: "hub";
    vpnRouter: VpnRouterConfig;
    /** The CI runner scale sets. */
    runners: RunnersConfig;
}

/** platform/<test|preprod|prod>: a spoke of the hub with its public ingress edge. */
export interface SpokeConfig extends PlatformConfigBase {
    role: "spoke";
    edge: EdgeSettings;
    /** Set in test only. */
    sharedData?: SharedDataSizing;
}

export type PlatformConfig = HubConfig | SpokeConfig;

/** Keys every platform stack file holds, and the extra keys by the role the stack plays. */
export const PLATFORM_CONFIG_KEYS = ["stackOrg", ...COMMON_CONFIG_KEYS, "vpcCidr", "natGateways", "flowLogRetentionDays", "dns"] as const;
export const HUB_CONFIG_KEYS = ["vpnRouter", "tailscaleAuthKey", "runners"] as const;
export const EDGE_CONFIG_KEYS = ["edge", "originVerifySecret", "allowedVpnCidrs"] as const;
export const SHARED_DATA_CONFIG_KEYS = ["sharedData"] as const;

/** The platform config keys the stack for `env` reads (cluster keys come from platform/cluster/config.ts). */
export function platformConfigKeys(env: FullEnvironment): string[] {
    return [
        ...PLATFORM_CONFIG_KEYS,
        ...(env === "mgmt" ? HUB_CONFIG_KEYS : EDGE_CONFIG_KEYS),
        ...(env === "test" ? SHARED_DATA_CONFIG_KEYS : []),
    ];
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

function readVpcCidr(reader: ConfigReader, env: FullEnvironment): string {
    const vpcCidr = reader.string("vpcCidr", { hint: VPC_CIDRS[env] });
    if (vpcCidr === "") {
        return vpcCidr;
    }
    const range = parseCidr(vpcCidr);
    if (!range) {
        reader.problem(
            "vpcCidr",
            `"${vpcCidr}" is not a canonical IPv4 CIDR`,
            `set platform:vpcCidr to ${VPC_CIDRS[env]} (shared/CONVENTIONS.md)`,
        );
        return vpcCidr;
    }
    const clashes = FULL_ENVIRONMENTS.filter((other) => other !== env && cidrsOverlap(range, parseCidr(VPC_CIDRS[other])!));
    if (clashes.length > 0) {
        reader.problem(
            "vpcCidr",
            `${vpcCidr} overlaps the VPC CIDR of ${clashes.map((other) => `${other} (${VPC_CIDRS[other]})`).join(", ")}; ` +
                `the VPCs meet at the Transit Gateway, so their ranges must be disjoint`,
            `set platform:vpcCidr to ${VPC_CIDRS[env]}, the ${env} range fixed in shared/CONVENTIONS.md`,
        );
    } else if (vpcCidr !== VPC_CIDRS[env]) {
        reader.problem(
            "vpcCidr",
            `${vpcCidr} is not the ${env} range ${VPC_CIDRS[env]} that every other stack routes to`,
            `set platform:vpcCidr to ${VPC_CIDRS[env]}, or change the range through an issue that updates shared/CONVENTIONS.md`,
        );
    }
    return vpcCidr;
}

function readNatGateways(reader: ConfigReader, env: FullEnvironment): NatGatewayStrategy {
    const strategy = reader.string("natGateways", { oneOf: NAT_GATEWAY_STRATEGIES }) as NatGatewayStrategy;
    if (strategy === "single" && env !== "test") {
        reader.problem(
            "natGateways",
            `"single" is allowed only in test: ${env} must keep one NAT gateway per AZ so an AZ outage does not cut the others' egress`,
            "set platform:natGateways to onePerAz",
        );
    }
    return strategy;
}

function readRetention(reader: ConfigReader, key: string): number {
    const days = reader.number(key, { integer: true });
    if (days !== 0 && !(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
        reader.problem(
            key,
            `${days} is not a retention CloudWatch Logs accepts`,
            `set platform:${key} to one of ${LOG_RETENTION_DAYS.join(", ")}`,
        );
    }
    return days;
}

function readDns(reader: ConfigReader): DnsSettings {
    const dns = reader.object<Partial<DnsSettings>>("dns") ?? {};
    const domainName = String(dns.domainName ?? "");
    const privateZoneName = String(dns.privateZoneName ?? "");
    if (!DOMAIN_PATTERN.test(domainName)) {
        reader.problem(
            "dns",
            `domainName "${domainName}" is not a lower-case DNS name`,
            "set platform:dns.domainName to the env's public domain, e.g. test.payments.example.com",
        );
    }
    if (!DOMAIN_PATTERN.test(privateZoneName) || !privateZoneName.endsWith(`.${domainName}`)) {
        reader.problem(
            "dns",
            `privateZoneName "${privateZoneName}" must be a subdomain of domainName "${domainName}" (its certificate is validated in the public zone)`,
            `set platform:dns.privateZoneName to e.g. internal.${domainName || "<domainName>"}`,
        );
    }
    if ("parentZoneId" in dns) {
        reader.problem(
            "dns",
            "parentZoneId is no longer read: the parent zone's id comes from foundation/org's parentZoneId output",
            "remove platform:dns.parentZoneId (docs/dns-delegation.md)",
        );
    }
    return { domainName, privateZoneName };
}

function readCidrList(reader: ConfigReader, key: string): string[] {
    const cidrs = reader.object<unknown>(key);
    if (!Array.isArray(cidrs)) {
        if (cidrs !== undefined) {
            reader.problem(key, "is not a list", `set platform:${key} to a YAML list of CIDRs (may be empty)`);
        }
        return [];
    }
    for (const cidr of cidrs) {
        const range = typeof cidr === "string" ? parseCidr(cidr) : undefined;
        if (!range) {
            reader.problem(
                key,
                `${JSON.stringify(cidr)} is not a canonical IPv4 CIDR`,
                `fix the entry in platform:${key}, e.g. 100.64.0.0/10`,
            );
        } else if (Number(cidr.split("/")[1]) < 8) {
            reader.problem(
                key,
                `${cidr} is wider than a /8 and would open internal endpoints to most of the internet`,
                `narrow the entry in platform:${key}`,
            );
        }
    }
    return cidrs as string[];
}

function readRunners(reader: ConfigReader): RunnersConfig {
    const raw = reader.object<{ githubConfigUrl?: unknown; maxRunners?: Record<string, unknown> }>("runners") ?? {};
    const githubConfigUrl = String(raw.githubConfigUrl ?? "");
    if (!/^https:\/\/github\.com\/[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(githubConfigUrl)) {
        reader.problem(
            "runners",
            `githubConfigUrl "${githubConfigUrl}" is not a GitHub repository URL`,
            "set platform:runners.githubConfigUrl, e.g. https://github.com/acme-payments/estate",
        );
    }
    const maxRunners = {} as Record<TrustLevel, number>;
    for (const level of TRUST_LEVELS) {
        const value = Number(raw.maxRunners?.[level]);
        if (!Number.isInteger(value) || value < 1 || value > 100) {
            reader.problem(
                "runners",
                `maxRunners.${level} "${String(raw.maxRunners?.[level])}" is not a whole number from 1 to 100`,
                `set platform:runners.maxRunners.${level}`,
            );
        }
        maxRunners[level] = value;
    }
    return { githubConfigUrl, maxRunners };
}

function readVpnRouter(reader: ConfigReader): VpnRouterConfig {
    const router = reader.object<{ instanceType?: string }>("vpnRouter") ?? {};
    const instanceType = String(router.instanceType ?? "");
    if (!INSTANCE_TYPE.test(instanceType)) {
        reader.problem(
            "vpnRouter",
            `instanceType "${instanceType}" is not an EC2 instance type`,
            "set platform:vpnRouter.instanceType, e.g. t4g.small",
        );
    }
    return { instanceType, authKey: reader.secret("tailscaleAuthKey") };
}

function readEdge(reader: ConfigReader, env: FullEnvironment): EdgeSettings {
    const edge = reader.object<Partial<Record<keyof EdgeSettings, unknown>>>("edge") ?? {};
    const wafRateLimit = Number(edge.wafRateLimit);
    if (!Number.isInteger(wafRateLimit) || wafRateLimit < 10 || wafRateLimit > 2_000_000_000) {
        reader.problem(
            "edge",
            `wafRateLimit ${JSON.stringify(edge.wafRateLimit)} is not an integer in 10..2000000000`,
            "set platform:edge.wafRateLimit (requests per IP per 5 minutes)",
        );
    }
    const albDeletionProtection = edge.albDeletionProtection === true;
    if (typeof edge.albDeletionProtection !== "boolean") {
        reader.problem("edge", "albDeletionProtection is not a boolean", "set platform:edge.albDeletionProtection to true or false");
    } else if (env === "prod" && !albDeletionProtection) {
        reader.problem(
            "edge",
            "albDeletionProtection is false in prod",
            "set platform:edge.albDeletionProtection to true: the prod ALBs must survive a stray destroy",
        );
    }
    const accessLogRetentionDays = Number(edge.accessLogRetentionDays);
    if (!Number.isInteger(accessLogRetentionDays) || accessLogRetentionDays < 1) {
        reader.problem(
            "edge",
            `accessLogRetentionDays ${JSON.stringify(edge.accessLogRetentionDays)} is not a positive integer`,
            "set platform:edge.accessLogRetentionDays, e.g. 90",
        );
    }
    const cloudfrontPriceClass = String(edge.cloudfrontPriceClass) as CloudFrontPriceClass;
    if (!CLOUDFRONT_PRICE_CLASSES.includes(cloudfrontPriceClass)) {
        reader.problem(
            "edge",
            `cloudfrontPriceClass "${cloudfrontPriceClass}" is unknown`,
            `set platform:edge.cloudfrontPriceClass to one of ${CLOUDFRONT_PRICE_CLASSES.join(", ")}`,
        );
    }
    return {
        wafRateLimit,
        albDeletionProtection,
        accessLogRetentionDays,
        cloudfrontPriceClass,
        originVerifySecret: reader.secret("originVerifySecret"),
        allowedVpnCidrs: readCidrList(reader, "allowedVpnCidrs"),
    };
}

function readSharedData(reader: ConfigReader): SharedDataSizing {
    const data = reader.object<Partial<Record<keyof SharedDataSizing, unknown>>>("sharedData") ?? {};
    const text = (field: "postgresInstanceClass" | "searchInstanceType", pattern: RegExp, example: string): string => {
        const value = String(data[field] ?? "");
        if (!pattern.test(value)) {
            reader.problem("sharedData", `${field} "${value}" is not valid`, `set platform:sharedData.${field}, e.g. ${example}`);
        }
        return value;
    };
    const count = (
        field: "postgresAllocatedStorageGb" | "postgresMaxAllocatedStorageGb" | "searchInstanceCount" | "searchVolumeSizeGb",
        min: number,
    ): number => {
        const value = Number(data[field]);
        if (!Number.isInteger(value) || value < min) {
            reader.problem(
                "sharedData",
                `${field} ${JSON.stringify(data[field])} is not an integer >= ${min}`,
                `set platform:sharedData.${field}`,
            );
        }
        return value;
    };
    const shared: SharedDataSizing = {
        postgresInstanceClass: text("postgresInstanceClass", /^db\.[a-z0-9]+\.[a-z0-9]+$/, "db.t4g.medium"),
        postgresAllocatedStorageGb: count("postgresAllocatedStorageGb", 20),
        postgresMaxAllocatedStorageGb: count("postgresMaxAllocatedStorageGb", 20),
        searchInstanceType: text("searchInstanceType", /^[a-z0-9]+\.[a-z0-9]+\.search$/, "t3.medium.search"),
        searchInstanceCount: count("searchInstanceCount", 1),
        searchVolumeSizeGb: count("searchVolumeSizeGb", 10),
    };
    if (shared.postgresMaxAllocatedStorageGb < shared.postgresAllocatedStorageGb) {
        reader.problem(
            "sharedData",
            "postgresMaxAllocatedStorageGb is below postgresAllocatedStorageGb",
            "raise platform:sharedData.postgresMaxAllocatedStorageGb",
        );
    }
    return shared;
}

/**
 * Reads and validates the platform keys of the current stack. Problems are recorded on `reader`;
 * the caller reads any further keys (the cluster's) with the same reader and then calls `done()`.
 */
export function parsePlatformConfig(reader: ConfigReader): PlatformConfig {
    const stack = pulumi.getStack();
    const env: FullEnvironment = isFullEnvironment(stack) ? stack : "test";
    if (!isFullEnvironment(stack)) {
        reader.problem("stack", `"${stack}" is not a platform stack`, `select one of ${FULL_ENVIRONMENTS.join(", ")}`);
    }
    const owner = reader.string("owner");
    const costCenter = reader.string("costCenter");
    const base: PlatformConfigBase = {
        env,
        account: ACCOUNT_OF_ENVIRONMENT[env],
        stackOrg: reader.stackOrg(),
        region: reader.region(),
        owner,
        costCenter,
        tags: standardTags({ environment: env, layer: "platform", owner, costCenter }),
        vpcCidr: readVpcCidr(reader, env),
        natGateways: readNatGateways(reader, env),
        flowLogRetentionDays: readRetention(reader, "flowLogRetentionDays"),
        dns: readDns(reader),
    };
    if (env === "mgmt") {
        return { ...base, role: "hub", vpnRouter: readVpnRouter(reader), runners: readRunners(reader) };
    }
    return { ...base, role: "spoke", edge: readEdge(reader, env), ...(env === "test" ? { sharedData: readSharedData(reader) } : {}) };
}

/** Where a stack deploys: the account's id and the role that deploys into it. */
export interface AccountTarget {
    accountId: string;
    roleArn: string;
}

/**
 * The role the stack assumes in `account`, from foundation/org's `deploymentRoleArns`, checked
 * against the account id the foundation records. A stack must never fall back to ambient
 * credentials, so a missing or mismatched role stops the program with a config error naming the
 * account and the fix.
 */
export function accountTargetFor(
    account: AccountName,
    foundation: pulumi.Output<{
        deploymentRoleArns: Partial<Record<AccountName, string>>;
        accountIds: Partial<Record<AccountName, string>>;
    }>,
    foundationStack: string,
): pulumi.Output<AccountTarget> {
    return foundation.apply(({ deploymentRoleArns, accountIds }) => {
        const roleArn = deploymentRoleArns?.[account];
        const accountId = accountIds?.[account];
        const fix = `add the "${account}" account's deployment role and id to the foundation (deploymentRoleArns.${account}, accountIds.${account}) and run \`pulumi up -s org\` in foundation/, then re-run this stack`;
        const fail = (problem: string): never => {
            throw new InvalidConfigError(currentStackLabel(), [{ key: `${foundationStack} deploymentRoleArns.${account}`, problem, fix }]);
        };
        if (roleArn === undefined || roleArn === null || roleArn === "") {
            return fail(`${foundationStack} exports no deployment role for the "${account}" account, so this stack cannot deploy into it`);
        }
        const roleAccount = ROLE_ARN_PATTERN.test(String(roleArn)) ? accountFromArn(String(roleArn)) : undefined;
        if (roleAccount === undefined) {
            return fail(`the deployment role for the "${account}" account is not an IAM role ARN: ${JSON.stringify(roleArn)}`);
        }
        if (accountId !== undefined && accountId !== roleAccount) {
            return fail(`the deployment role for the "${account}" account (${roleArn}) is in account ${roleAccount}, not ${accountId}`);
        }
        return { accountId: roleAccount, roleArn: String(roleArn) };
    });
}

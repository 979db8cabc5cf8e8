/**
 * The shipped price table: on-demand list prices for us-east-1 (Linux, shared tenancy, no free
 * tier, no Savings Plans or Reserved Instances), and one pricing rule per resource type that says
 * how a resource's inputs turn into a fixed monthly cost, or why it has none ("free") or only a
 * usage-based one ("usage": requests, GB, LCUs... which an idle environment barely incurs and this
 * model leaves out). A type with no rule is reported as unknown and fails the coverage test.
 *
 * Refresh: the figures come from the AWS pricing pages named per table below, equivalently from
 * the AWS Price List API (`aws pricing get-products --region us-east-1 --service-code AmazonEC2 ...`).
 */
import { PlannedResource } from "../types";
import {
    arrayAt,
    booleanAt,
    each,
    isReplica,
    numberAt,
    S3_BUCKET_SETTING_TYPES,
    SES_TYPES,
    VPC_BUILDING_BLOCK_TYPES,
    stringAt,
    IAM_TYPES,
    IDENTITY_CENTER_TYPES,
    LOAD_BALANCER_PART_TYPES,
    RAM_SHARING_TYPES,
    valueAt,
} from "./inputs";

export const PRICES_AS_OF = "2025-06-01";
export const PRICE_REGION = "us-east-1";
export const HOURS_PER_MONTH = 730;

/** A unit price with the page it is published on. */
export interface UnitPrice {
    usd: number;
    per: string;
    source: string;
}

const PAGE = {
    eks: "https://aws.amazon.com/eks/pricing/",
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
    ebs: "https://aws.amazon.com/ebs/pricing/",
    vpc: "https://aws.amazon.com/vpc/pricing/",
    privatelink: "https://aws.amazon.com/privatelink/pricing/",
    tgw: "https://aws.amazon.com/transit-gateway/pricing/",
    elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    rds: "https://aws.amazon.com/rds/postgresql/pricing/",
    opensearch: "https://aws.amazon.com/opensearch-service/pricing/",
    kms: "https://aws.amazon.com/kms/pricing/",
    secrets: "https://aws.amazon.com/secrets-manager/pricing/",
    waf: "https://aws.amazon.com/waf/pricing/",
    route53: "https://aws.amazon.com/route53/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
    ssm: "https://aws.amazon.com/systems-manager/pricing/",
    dynamodb: "https://aws.amazon.com/dynamodb/pricing/provisioned/",
    vpn: "https://aws.amazon.com/vpn/pricing/",
};

export const UNIT_PRICES = {
    eksClusterHour: { usd: 0.1, per: "cluster-hour (standard support)", source: PAGE.eks },
    natGatewayHour: { usd: 0.045, per: "NAT gateway-hour", source: PAGE.vpc },
    publicIpv4Hour: { usd: 0.005, per: "public IPv4 address-hour (in use or idle, since 2024-02)", source: PAGE.vpc },
    interfaceEndpointAzHour: { usd: 0.01, per: "interface endpoint ENI (per AZ)-hour", source: PAGE.privatelink },
    tgwAttachmentHour: { usd: 0.05, per: "Transit Gateway attachment-hour", source: PAGE.tgw },
    vpnConnectionHour: { usd: 0.05, per: "Site-to-Site VPN connection-hour", source: PAGE.vpn },
    albHour: { usd: 0.0225, per: "Application Load Balancer-hour (LCUs extra, usage-based)", source: PAGE.elb },
    nlbHour: { usd: 0.0225, per: "Network Load Balancer-hour (NLCUs extra, usage-based)", source: PAGE.elb },
    ebsGp3GbMonth: { usd: 0.08, per: "EBS gp3 GB-month", source: PAGE.ebs },
    ebsGp2GbMonth: { usd: 0.1, per: "EBS gp2 GB-month", source: PAGE.ebs },
    rdsGp3GbMonth: { usd: 0.115, per: "RDS gp3 GB-month (Single-AZ; x2 Multi-AZ)", source: PAGE.rds },
    rdsGp2GbMonth: { usd: 0.115, per: "RDS gp2 GB-month (Single-AZ; x2 Multi-AZ)", source: PAGE.rds },
    rdsIo1GbMonth: { usd: 0.125, per: "RDS io1/io2 GB-month (Single-AZ)", source: PAGE.rds },
    rdsIo1IopsMonth: { usd: 0.1, per: "RDS io1/io2 provisioned IOPS-month (Single-AZ)", source: PAGE.rds },
    rdsGp3ExtraIopsMonth: { usd: 0.02, per: "RDS gp3 IOPS-month above the 3,000 baseline", source: PAGE.rds },
    opensearchGp3GbMonth: { usd: 0.122, per: "OpenSearch gp3 GB-month", source: PAGE.opensearch },
    opensearchGp2GbMonth: { usd: 0.135, per: "OpenSearch gp2 GB-month", source: PAGE.opensearch },
    kmsKeyMonth: { usd: 1.0, per: "customer managed KMS key-month (prorated hourly)", source: PAGE.kms },
    secretMonth: { usd: 0.4, per: "Secrets Manager secret-month (each replica too)", source: PAGE.secrets },
    wafWebAclMonth: { usd: 5.0, per: "WAF web ACL-month", source: PAGE.waf },
    wafRuleMonth: { usd: 1.0, per: "WAF rule (or rule group) in a web ACL-month", source: PAGE.waf },
    wafPaidManagedGroupMonth: { usd: 10.0, per: "subscription to Bot Control / ATP / ACFP managed rule group-month", source: PAGE.waf },
    route53ZoneMonth: { usd: 0.5, per: "hosted zone-month (first 25)", source: PAGE.route53 },
    alarmMetricMonth: { usd: 0.1, per: "standard-resolution alarm metric-month", source: PAGE.cloudwatch },
    alarmHighResMetricMonth: { usd: 0.3, per: "high-resolution alarm metric-month", source: PAGE.cloudwatch },
    compositeAlarmMonth: { usd: 0.5, per: "composite alarm-month", source: PAGE.cloudwatch },
    dashboardMonth: { usd: 3.0, per: "dashboard-month (beyond the 3 free)", source: PAGE.cloudwatch },
    ssmAdvancedParameterMonth: { usd: 0.05, per: "advanced parameter-month", source: PAGE.ssm },
    dynamoWcuHour: { usd: 0.00065, per: "provisioned WCU-hour", source: PAGE.dynamodb },
    dynamoRcuHour: { usd: 0.00013, per: "provisioned RCU-hour", source: PAGE.dynamodb },
} satisfies Record<string, UnitPrice>;

/** EC2 Linux on-demand $/hour, us-east-1: https://aws.amazon.com/ec2/pricing/on-demand/ */
export const EC2_HOURLY: Record<string, number> = {
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "t3.large": 0.0832,
    "t3.xlarge": 0.1664,
    "t3.2xlarge": 0.3328,
    "t3a.small": 0.0188,
    "t3a.medium": 0.0376,
    "t3a.large": 0.0752,
    "t3a.xlarge": 0.1504,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "t4g.xlarge": 0.1344,
    "m5.large": 0.096,
    "m5.xlarge": 0.192,
    "m5.2xlarge": 0.384,
    "m5.4xlarge": 0.768,
    "m6i.large": 0.096,
    "m6i.xlarge": 0.192,
    "m6i.2xlarge": 0.384,
    "m6i.4xlarge": 0.768,
    "m6a.large": 0.0864,
    "m6a.xlarge": 0.1728,
    "m6a.2xlarge": 0.3456,
    "m6g.large": 0.077,
    "m6g.xlarge": 0.154,
    "m6g.2xlarge": 0.308,
    "m7i.large": 0.1008,
    "m7i.xlarge": 0.2016,
    "m7i.2xlarge": 0.4032,
    "m7i.4xlarge": 0.8064,
    "m7a.large": 0.11592,
    "m7a.xlarge": 0.23184,
    "m7a.2xlarge": 0.46368,
    "m7g.medium": 0.0408,
    "m7g.large": 0.0816,
    "m7g.xlarge": 0.1632,
    "m7g.2xlarge": 0.3264,
    "m7g.4xlarge": 0.6528,
    "c5.large": 0.085,
    "c5.xlarge": 0.17,
    "c5.2xlarge": 0.34,
    "c6i.large": 0.085,
    "c6i.xlarge": 0.17,
    "c6i.2xlarge": 0.34,
    "c6a.large": 0.0765,
    "c6a.xlarge": 0.153,
    "c6g.large": 0.068,
    "c6g.xlarge": 0.136,
    "c7i.large": 0.08925,
    "c7i.xlarge": 0.1785,
    "c7i.2xlarge": 0.357,
    "c7g.medium": 0.0363,
    "c7g.large": 0.0725,
    "c7g.xlarge": 0.145,
    "c7g.2xlarge": 0.29,
    "r6i.large": 0.126,
    "r6i.xlarge": 0.252,
    "r6i.2xlarge": 0.504,
    "r6g.large": 0.1008,
    "r6g.xlarge": 0.2016,
    "r7i.large": 0.1323,
    "r7i.xlarge": 0.2646,
    "r7i.2xlarge": 0.5292,
    "r7g.large": 0.1071,
    "r7g.xlarge": 0.2142,
    "r7g.2xlarge": 0.4284,
};

/** RDS for PostgreSQL Single-AZ on-demand $/hour, us-east-1 (Multi-AZ = x2): https://aws.amazon.com/rds/postgresql/pricing/ */
export const RDS_POSTGRES_HOURLY: Record<string, number> = {
    "db.t3.micro": 0.018,
    "db.t3.small": 0.036,
    "db.t3.medium": 0.072,
    "db.t3.large": 0.145,
    "db.t3.xlarge": 0.29,
    "db.t4g.micro": 0.016,
    "db.t4g.small": 0.032,
    "db.t4g.medium": 0.065,
    "db.t4g.large": 0.129,
    "db.t4g.xlarge": 0.258,
    "db.m5.large": 0.178,
    "db.m5.xlarge": 0.356,
    "db.m5.2xlarge": 0.712,
    "db.m6i.large": 0.178,
    "db.m6i.xlarge": 0.356,
    "db.m6i.2xlarge": 0.712,
    "db.m6g.large": 0.159,
    "db.m6g.xlarge": 0.318,
    "db.m6g.2xlarge": 0.636,
    "db.m7g.large": 0.168,
    "db.m7g.xlarge": 0.337,
    "db.m7g.2xlarge": 0.674,
    "db.r5.large": 0.25,
    "db.r5.xlarge": 0.5,
    "db.r6i.large": 0.25,
    "db.r6i.xlarge": 0.5,
    "db.r6i.2xlarge": 1.0,
    "db.r6g.large": 0.225,
    "db.r6g.xlarge": 0.45,
    "db.r6g.2xlarge": 0.899,
    "db.r7g.large": 0.239,
    "db.r7g.xlarge": 0.478,
    "db.r7g.2xlarge": 0.956,
};

/** OpenSearch Service on-demand $/hour, us-east-1: https://aws.amazon.com/opensearch-service/pricing/ */
export const OPENSEARCH_HOURLY: Record<string, number> = {
    "t3.small.search": 0.036,
    "t3.medium.search": 0.073,
    "m5.large.search": 0.142,
    "m5.xlarge.search": 0.283,
    "m6g.large.search": 0.128,
    "m6g.xlarge.search": 0.256,
    "m6g.2xlarge.search": 0.511,
    "m7g.large.search": 0.136,
    "m7g.xlarge.search": 0.272,
    "c5.large.search": 0.125,
    "c6g.large.search": 0.113,
    "c6g.xlarge.search": 0.226,
    "c7g.large.search": 0.12,
    "r5.large.search": 0.186,
    "r6g.large.search": 0.167,
    "r6g.xlarge.search": 0.335,
    "r6g.2xlarge.search": 0.669,
    "r7g.large.search": 0.178,
    "r7g.xlarge.search": 0.356,
};

export interface CostLine {
    item: string;
    monthlyUsd: number;
}

export interface PricingContext {
    /** The resources this one depends on (launch templates of node groups, the source of a replica...). */
    dependenciesOf(r: PlannedResource): PlannedResource[];
    /** Records an input value the tables have no price for, e.g. an instance type. */
    unknownPrice(what: string): void;
}

export type PriceRule =
    | { kind: "free"; why: string }
    | { kind: "usage"; what: string }
    | { kind: "fixed"; lines: (r: PlannedResource, ctx: PricingContext) => CostLine[]; usage?: UsageNote };

/** What usage-based cost a priced resource also has, if any (may depend on its inputs). */
export type UsageNote = string | ((r: PlannedResource) => string | undefined);

const hourly = (usdPerHour: number) => usdPerHour * HOURS_PER_MONTH;

function free(why: string): PriceRule {
    return { kind: "free", why };
}
function usage(what: string): PriceRule {
    return { kind: "usage", what };
}
function fixed(lines: (r: PlannedResource, ctx: PricingContext) => CostLine[], usageLeftOut?: UsageNote): PriceRule {
    return { kind: "fixed", lines, usage: usageLeftOut };
}

/** Availability zones in every VPC of the estate (CONVENTIONS.md), used when subnets are only known after apply. */
const DEFAULT_AZS = 3;

function lookup(table: Record<string, number>, key: string | undefined, what: string, ctx: PricingContext): number | undefined {
    if (key === undefined) return undefined;
    const price = table[key];
    if (price === undefined) ctx.unknownPrice(`${what} ${key}`);
    return price;
}

function ebsGbMonth(volumeType: string | undefined): number {
    return volumeType === "gp2" ? UNIT_PRICES.ebsGp2GbMonth.usd : UNIT_PRICES.ebsGp3GbMonth.usd;
}

function launchTemplateOf(r: PlannedResource, ctx: PricingContext): PlannedResource | undefined {
    return ctx.dependenciesOf(r).find((d) => d.type === "aws:ec2/launchTemplate:LaunchTemplate");
}

/** Desired-size nodes of one instance type plus their root volumes. Spot capacity is priced at the on-demand ceiling. */
function nodeLines(
    r: PlannedResource,
    ctx: PricingContext,
    nodes: number,
    instanceType: string | undefined,
    diskGb: number,
    volumeType: string | undefined,
    spot: boolean,
): CostLine[] {
    const perHour = lookup(EC2_HOURLY, instanceType, "EC2 instance type", ctx);
    const lines: CostLine[] = [];
    if (perHour !== undefined && nodes > 0) {
        lines.push({
            item: `${nodes} x ${instanceType}${spot ? " spot (on-demand ceiling)" : ""} nodes (${r.name})`,
            monthlyUsd: nodes * hourly(perHour),
        });
    }
    if (nodes > 0 && diskGb > 0) {
        lines.push({ item: `${nodes} x ${diskGb} GB node volumes (${r.name})`, monthlyUsd: nodes * diskGb * ebsGbMonth(volumeType) });
    }
    return lines;
}

/** EKS managed node groups (aws.eks.NodeGroup and eks.ManagedNodeGroup share these inputs). */
function managedNodeGroupLines(r: PlannedResource, ctx: PricingContext): CostLine[] {
    const template = launchTemplateOf(r, ctx);
    const instanceType =
        (arrayAt(r, "instanceTypes")?.[0] as string | undefined) ?? (template && stringAt(template, "instanceType")) ?? "t3.medium"; // EKS API default
    const diskGb = numberAt(r, "diskSize") ?? (template && numberAt(template, "blockDeviceMappings[0].ebs.volumeSize")) ?? 20;
    const volumeType = template && stringAt(template, "blockDeviceMappings[0].ebs.volumeType");
    const nodes = numberAt(r, "scalingConfig.desiredSize") ?? numberAt(r, "scalingConfig.minSize") ?? 2;
    return nodeLines(r, ctx, nodes, instanceType, diskGb, volumeType, stringAt(r, "capacityType") === "SPOT");
}

function eksControlPlane(r: PlannedResource): CostLine {
    return { item: `EKS control plane (${r.name})`, monthlyUsd: hourly(UNIT_PRICES.eksClusterHour.usd) };
}

/** awsx Vpc: NAT gateways by strategy (each with its public IPv4) and the interface endpoints it creates. */
function awsxVpcLines(r: PlannedResource): CostLine[] {
    const azs = arrayAt(r, "availabilityZoneNames")?.length ?? numberAt(r, "numberOfAvailabilityZones") ?? DEFAULT_AZS;
    const strategy = stringAt(r, "natGateways.strategy") ?? "OnePerAz"; // awsx default
    const nats = strategy === "None" ? 0 : strategy === "Single" ? 1 : azs;
    const lines: CostLine[] = [];
    if (nats > 0) {
        lines.push({
            item: `${nats} NAT gateway${nats > 1 ? "s" : ""} (${strategy}) + public IPv4 (${r.name})`,
            monthlyUsd: nats * hourly(UNIT_PRICES.natGatewayHour.usd + UNIT_PRICES.publicIpv4Hour.usd),
        });
    }
    const interfaceSpecs = (arrayAt(r, "vpcEndpointSpecs") ?? []).filter(
        (s) => String((s as Record<string, unknown>)?.vpcEndpointType ?? "").toLowerCase() === "interface",
    );
    const enis = interfaceSpecs.reduce<number>((sum, s) => {
        const subnets = valueAt(s as Record<string, unknown>, "subnetIds");
        return sum + (Array.isArray(subnets) ? subnets.length : azs);
    }, 0);
    if (enis > 0) {
        lines.push({
            item: `${interfaceSpecs.length} interface endpoints x AZs (${r.name})`,
            monthlyUsd: enis * hourly(UNIT_PRICES.interfaceEndpointAzHour.usd),
        });
    }
    return lines;
}

function subnetCount(r: PlannedResource): number {
    return arrayAt(r, "subnetIds")?.length ?? arrayAt(r, "subnets")?.length ?? arrayAt(r, "subnetMappings")?.length ?? DEFAULT_AZS;
}

function loadBalancerLines(r: PlannedResource): CostLine[] {
    const type = stringAt(r, "loadBalancerType") ?? "application";
    const perHour = type === "network" ? UNIT_PRICES.nlbHour.usd : UNIT_PRICES.albHour.usd;
    const lines: CostLine[] = [{ item: `${type === "network" ? "NLB" : "ALB"} (${r.name})`, monthlyUsd: hourly(perHour) }];
    if (booleanAt(r, "internal") !== true) {
        const ips = subnetCount(r);
        lines.push({
            item: `${ips} public IPv4 of internet-facing LB (${r.name})`,
            monthlyUsd: ips * hourly(UNIT_PRICES.publicIpv4Hour.usd),
        });
    }
    return lines;
}

function rdsStorageMonthly(r: PlannedResource, storageGb: number, copies: number): number {
    const type = stringAt(r, "storageType") ?? "gp2";
    if (type === "io1" || type === "io2") {
        const iops = numberAt(r, "iops") ?? 0;
        return copies * (storageGb * UNIT_PRICES.rdsIo1GbMonth.usd + iops * UNIT_PRICES.rdsIo1IopsMonth.usd);
    }
    const extraIops = type === "gp3" ? Math.max(0, (numberAt(r, "iops") ?? 0) - 3000) : 0;
    return copies * (storageGb * UNIT_PRICES.rdsGp3GbMonth.usd + extraIops * UNIT_PRICES.rdsGp3ExtraIopsMonth.usd);
}

/** RDS instance: class x2 when Multi-AZ (the standby is billed), storage x2 likewise; replicas are instances of their own. */
function rdsLines(r: PlannedResource, ctx: PricingContext): CostLine[] {
    const multiAz = booleanAt(r, "multiAz") === true;
    const copies = multiAz ? 2 : 1;
    const cls = stringAt(r, "instanceClass");
    const role = isReplica(r) ? "read replica" : multiAz ? "Multi-AZ" : "Single-AZ";
    const lines: CostLine[] = [];
    const perHour = lookup(RDS_POSTGRES_HOURLY, cls, "RDS instance class", ctx);
    if (perHour !== undefined) {
        lines.push({
            item: `RDS ${cls} ${role}${multiAz && isReplica(r) ? " Multi-AZ" : ""} (${r.name})`,
            monthlyUsd: copies * hourly(perHour),
        });
    }
    // A replica's storage follows its source unless set explicitly.
    const source = isReplica(r) ? ctx.dependenciesOf(r).find((d) => d.type === r.type) : undefined;
    const storageGb = numberAt(r, "allocatedStorage") ?? (source && numberAt(source, "allocatedStorage")) ?? 0;
    if (storageGb > 0) {
        lines.push({
            item: `RDS ${storageGb} GB storage${copies > 1 ? " x2" : ""} (${r.name})`,
            monthlyUsd: rdsStorageMonthly(r, storageGb, copies),
        });
    }
    if (booleanAt(r, "manageMasterUserPassword") === true) {
        lines.push({ item: `RDS-managed master secret (${r.name})`, monthlyUsd: UNIT_PRICES.secretMonth.usd });
    }
    return lines;
}

function opensearchLines(r: PlannedResource, ctx: PricingContext): CostLine[] {
    const lines: CostLine[] = [];
    const dataNodes = numberAt(r, "clusterConfig.instanceCount") ?? 1;
    const dataType = stringAt(r, "clusterConfig.instanceType") ?? "m5.large.search"; // service default
    const dataHourly = lookup(OPENSEARCH_HOURLY, dataType, "OpenSearch instance type", ctx);
    if (dataHourly !== undefined) {
        lines.push({ item: `OpenSearch ${dataNodes} x ${dataType} data nodes (${r.name})`, monthlyUsd: dataNodes * hourly(dataHourly) });
    }
    if (booleanAt(r, "clusterConfig.dedicatedMasterEnabled") === true) {
        const masters = numberAt(r, "clusterConfig.dedicatedMasterCount") ?? 3;
        const masterType = stringAt(r, "clusterConfig.dedicatedMasterType") ?? dataType;
        const masterHourly = lookup(OPENSEARCH_HOURLY, masterType, "OpenSearch instance type", ctx);
        if (masterHourly !== undefined) {
            lines.push({
                item: `OpenSearch ${masters} x ${masterType} dedicated masters (${r.name})`,
                monthlyUsd: masters * hourly(masterHourly),
            });
        }
    }
    if (booleanAt(r, "clusterConfig.warmEnabled") === true) {
        const warm = numberAt(r, "clusterConfig.warmCount") ?? 0;
        const warmType = stringAt(r, "clusterConfig.warmType");
        const warmHourly = lookup(OPENSEARCH_HOURLY, warmType, "OpenSearch instance type", ctx);
        if (warmHourly !== undefined && warm > 0) {
            lines.push({ item: `OpenSearch ${warm} x ${warmType} warm nodes (${r.name})`, monthlyUsd: warm * hourly(warmHourly) });
        }
    }
    const volumeGb = booleanAt(r, "ebsOptions.ebsEnabled") === false ? 0 : (numberAt(r, "ebsOptions.volumeSize") ?? 10);
    if (volumeGb > 0) {
        const perGb =
            stringAt(r, "ebsOptions.volumeType") === "gp2" ? UNIT_PRICES.opensearchGp2GbMonth.usd : UNIT_PRICES.opensearchGp3GbMonth.usd;
        lines.push({ item: `OpenSearch ${dataNodes} x ${volumeGb} GB EBS (${r.name})`, monthlyUsd: dataNodes * volumeGb * perGb });
    }
    return lines;
}

const PAID_WAF_GROUPS = ["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet"];

function webAclLines(r: PlannedResource): CostLine[] {
    const rules = arrayAt(r, "rules") ?? [];
    const paid = rules.filter((rule) =>
        PAID_WAF_GROUPS.includes(String(valueAt(rule as Record<string, unknown>, "statement.managedRuleGroupStatement.name"))),
    );
    const lines: CostLine[] = [
        {
            item: `WAF web ACL + ${rules.length} rules (${r.name})`,
            monthlyUsd: UNIT_PRICES.wafWebAclMonth.usd + rules.length * UNIT_PRICES.wafRuleMonth.usd,
        },
    ];
    if (paid.length > 0) {
        lines.push({
            item: `WAF paid managed rule groups x${paid.length} (${r.name})`,
            monthlyUsd: paid.length * UNIT_PRICES.wafPaidManagedGroupMonth.usd,
        });
    }
    return lines;
}

function alarmLines(r: PlannedResource): CostLine[] {
    const queries = arrayAt(r, "metricQueries")?.filter((q) => valueAt(q as Record<string, unknown>, "metric") !== undefined).length ?? 0;
    const metrics = Math.max(1, queries);
    const highRes = (numberAt(r, "period") ?? 60) < 60;
    const per = highRes ? UNIT_PRICES.alarmHighResMetricMonth.usd : UNIT_PRICES.alarmMetricMonth.usd;
    return [{ item: `CloudWatch alarm (${r.name})`, monthlyUsd: metrics * per }];
}

function ec2InstanceLines(r: PlannedResource, ctx: PricingContext): CostLine[] {
    const template = launchTemplateOf(r, ctx);
    const instanceType = stringAt(r, "instanceType") ?? (template && stringAt(template, "instanceType"));
    const diskGb = numberAt(r, "rootBlockDevice.volumeSize") ?? 8;
    const lines = nodeLines(r, ctx, 1, instanceType, diskGb, stringAt(r, "rootBlockDevice.volumeType"), false);
    if (booleanAt(r, "associatePublicIpAddress") === true) {
        lines.push({ item: `public IPv4 (${r.name})`, monthlyUsd: hourly(UNIT_PRICES.publicIpv4Hour.usd) });
    }
    return lines;
}

function autoScalingLines(r: PlannedResource, ctx: PricingContext): CostLine[] {
    const template = launchTemplateOf(r, ctx);
    const nodes = numberAt(r, "desiredCapacity") ?? numberAt(r, "minSize") ?? 0;
    const diskGb = (template && numberAt(template, "blockDeviceMappings[0].ebs.volumeSize")) ?? 8;
    const volumeType = template && stringAt(template, "blockDeviceMappings[0].ebs.volumeType");
    return nodeLines(r, ctx, nodes, template && stringAt(template, "instanceType"), diskGb, volumeType, false);
}

/** Short names of the usage-based charges left out (docs/estimates.md, "Cost model", has the unit prices). */
const USAGE = {
    s3: "S3 storage/requests",
    sqs: "SQS requests",
    sns: "SNS messages",
    lambda: "Lambda requests/GB-s",
    dynamodb: "DynamoDB on-demand requests/storage/PITR",
    cloudfront: "CloudFront requests/data out",
    logs: "CloudWatch Logs ingestion/storage",
    ecr: "ECR storage",
    ses: "SES messages",
    trail: "CloudTrail data events",
    guardduty: "GuardDuty analysed events",
    securityhub: "Security Hub checks",
    inspector: "Inspector instances/images/functions scanned",
    config: "AWS Config items/evaluations",
    amp: "AMP samples ingested/stored/queried",
    ampCollector: "AMP collector-hours/samples (unpriced)",
    analyzerUnused: "Access Analyzer unused-access roles",
    kmsRequests: "KMS requests",
    secretsRequests: "Secrets Manager API calls",
    nat: "NAT data processing",
    endpoint: "endpoint data processing",
    tgw: "TGW data processing",
    vpc: "NAT/endpoint data processing",
    lb: "load balancer LCUs",
    waf: "WAF requests",
    route53: "Route 53 queries",
    rds: "RDS backups beyond DB size/PI beyond 7 days",
    opensearch: "OpenSearch data transfer",
    budgetAction: "Budgets actions beyond 2 free",
};

export const PRICING: Record<string, PriceRule> = {
    // --- compute and clusters
    "eks:index:Cluster": fixed((r, ctx) => {
        const lines = [eksControlPlane(r)];
        const defaultNodes =
            booleanAt(r, "skipDefaultNodeGroup") !== true && r.inputs.fargate === undefined && r.inputs.autoMode === undefined;
        if (defaultNodes) {
            lines.push(
                ...nodeLines(
                    r,
                    ctx,
                    numberAt(r, "desiredCapacity") ?? 2,
                    stringAt(r, "instanceType") ?? "t3.medium",
                    numberAt(r, "nodeRootVolumeSize") ?? 20,
                    "gp3",
                    false,
                ),
            );
        }
        return lines;
    }, USAGE.logs),
    "aws:eks/cluster:Cluster": fixed((r) => [eksControlPlane(r)], USAGE.logs),
    "eks:index:ManagedNodeGroup": fixed(managedNodeGroupLines),
    "aws:eks/nodeGroup:NodeGroup": fixed(managedNodeGroupLines),
    ...each(
        ["eks:index:NodeGroup", "eks:index:NodeGroupV2"],
        fixed((r, ctx) =>
            nodeLines(
                r,
                ctx,
                numberAt(r, "desiredCapacity") ?? 2,
                stringAt(r, "instanceType") ?? "t3.medium",
                numberAt(r, "nodeRootVolumeSize") ?? 20,
                "gp3",
                r.inputs.spotPrice !== undefined,
            ),
        ),
    ),
    "aws:eks/fargateProfile:FargateProfile": usage("Fargate vCPU/GB-hours"),
    ...each(
        [
            "eks:index:Addon",
            "eks:index:VpcCniAddon",
            "aws:eks/addon:Addon",
            "aws:eks/accessEntry:AccessEntry",
            "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        ],
        free("EKS add-ons, access entries and Pod Identity have no charge; their pods run on priced nodes"),
    ),
    "aws:ec2/instance:Instance": fixed(ec2InstanceLines),
    "aws:autoscaling/group:Group": fixed(autoScalingLines),
    "aws:ec2/launchTemplate:LaunchTemplate": free("launch templates have no charge; instances launched from them are priced"),

    // --- network
    "awsx:ec2:Vpc": fixed((r) => awsxVpcLines(r), USAGE.vpc),
    "aws:ec2/natGateway:NatGateway": fixed(
        (r) => [{ item: `NAT gateway (${r.name})`, monthlyUsd: hourly(UNIT_PRICES.natGatewayHour.usd) }],
        USAGE.nat,
    ),
    "aws:ec2/eip:Eip": fixed((r) => [{ item: `public IPv4 (${r.name})`, monthlyUsd: hourly(UNIT_PRICES.publicIpv4Hour.usd) }]),
    "aws:ec2/vpcEndpoint:VpcEndpoint": fixed((r) => {
        if (stringAt(r, "vpcEndpointType") !== "Interface") return [];
        const azs = subnetCount(r);
        return [
            {
                item: `interface endpoint ${stringAt(r, "serviceName") ?? r.name} x ${azs} AZs`,
                monthlyUsd: azs * hourly(UNIT_PRICES.interfaceEndpointAzHour.usd),
            },
        ];
    }, USAGE.endpoint),
    ...each(VPC_BUILDING_BLOCK_TYPES, free("VPC building blocks, security groups and account settings have no charge")),
    "aws:ec2/flowLog:FlowLog": usage(USAGE.logs),
    "aws:ec2transitgateway/transitGateway:TransitGateway": free("a Transit Gateway is billed per attachment and per GB, not per gateway"),
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": fixed(
        (r) => [{ item: `TGW attachment (${r.name})`, monthlyUsd: hourly(UNIT_PRICES.tgwAttachmentHour.usd) }],
        USAGE.tgw,
    ),
    ...each(
        [
            "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
            "aws:ec2transitgateway/routeTable:RouteTable",
            "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
            "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
            "aws:ec2transitgateway/route:Route",
        ],
        free("accepting an attachment and routing have no charge (the attachment itself is priced once, where it is created)"),
    ),
    ...each(RAM_SHARING_TYPES, free("AWS RAM has no charge")),

    // --- edge
    ...each(["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"], fixed(loadBalancerLines, USAGE.lb)),
    ...each(LOAD_BALANCER_PART_TYPES, free("listeners, rules and target groups are included in the load balancer hour")),
    "aws:wafv2/webAcl:WebAcl": fixed(webAclLines, USAGE.waf),
    ...each(
        [
            "aws:wafv2/ruleGroup:RuleGroup",
            "aws:wafv2/ipSet:IpSet",
            "aws:wafv2/regexPatternSet:RegexPatternSet",
            "aws:wafv2/webAclAssociation:WebAclAssociation",
        ],
        free("billed as a rule of the web ACL that uses it, or no charge"),
    ),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": usage(USAGE.logs),
    "aws:cloudfront/distribution:Distribution": usage(USAGE.cloudfront),
    "aws:cloudfront/function:Function": usage("CloudFront Functions invocations"),
    "aws:cloudfront/keyValueStore:KeyValueStore": usage("CloudFront KeyValueStore reads"),
    ...each(
        [
            "aws:cloudfront/originAccessControl:OriginAccessControl",
            "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
            "aws:cloudfront/cachePolicy:CachePolicy",
            "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
        ],
        free("CloudFront policies and origin access control have no charge"),
    ),
    ...each(
        ["aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"],
        free("public ACM certificates have no charge"),
    ),
    "aws:route53/zone:Zone": fixed(
        (r) => [{ item: `Route 53 hosted zone (${r.name})`, monthlyUsd: UNIT_PRICES.route53ZoneMonth.usd }],
        USAGE.route53,
    ),
    ...each(
        [
            "aws:route53/record:Record",
            "aws:route53/zoneAssociation:ZoneAssociation",
            "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization",
        ],
        free("records and zone associations are included in the zone"),
    ),
    "aws:route53/queryLog:QueryLog": usage(USAGE.logs),

    // --- data services
    "aws:rds/instance:Instance": fixed(rdsLines, USAGE.rds),
    ...each(
        ["aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/optionGroup:OptionGroup"],
        free("RDS subnet, parameter and option groups have no charge"),
    ),
    "aws:opensearch/domain:Domain": fixed(opensearchLines, USAGE.opensearch),
    ...each(["aws:opensearch/domainPolicy:DomainPolicy", "aws:opensearch/domainSamlOptions:DomainSamlOptions"], free("domain settings")),
    "aws:dynamodb/table:Table": fixed((r) => {
        if (stringAt(r, "billingMode") !== "PROVISIONED") return [];
        const gsis = arrayAt(r, "globalSecondaryIndexes") ?? [];
        const rcu =
            (numberAt(r, "readCapacity") ?? 0) +
            gsis.reduce<number>((s, g) => s + Number(valueAt(g as Record<string, unknown>, "readCapacity") ?? 0), 0);
        const wcu =
            (numberAt(r, "writeCapacity") ?? 0) +
            gsis.reduce<number>((s, g) => s + Number(valueAt(g as Record<string, unknown>, "writeCapacity") ?? 0), 0);
        return [
            {
                item: `DynamoDB provisioned ${rcu} RCU / ${wcu} WCU (${r.name})`,
                monthlyUsd: hourly(rcu * UNIT_PRICES.dynamoRcuHour.usd + wcu * UNIT_PRICES.dynamoWcuHour.usd),
            },
        ];
    }, USAGE.dynamodb),
    ...each(
        [
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "aws:dynamodb/contributorInsights:ContributorInsights",
            "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
        ],
        usage(USAGE.dynamodb),
    ),
    "aws:sqs/queue:Queue": usage(USAGE.sqs),
    ...each(
        ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/redrivePolicy:RedrivePolicy", "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"],
        free("queue settings"),
    ),
    "aws:lambda/function:Function": usage(USAGE.lambda),
    "aws:lambda/invocation:Invocation": usage(USAGE.lambda),
    ...each(
        [
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "aws:lambda/permission:Permission",
            "aws:lambda/alias:Alias",
            "aws:lambda/layerVersion:LayerVersion",
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        ],
        free("no charge of their own (SQS polling by an event source mapping is free; invocations are priced as Lambda usage)"),
    ),
    ...each(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"], usage(USAGE.s3)),
    ...each(S3_BUCKET_SETTING_TYPES, free("bucket settings")),
    ...each(["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"], usage(USAGE.s3)),
    ...each([...SES_TYPES, "aws:ses/domainIdentityVerification:DomainIdentityVerification"], usage(USAGE.ses)),

    // --- keys, secrets, observability
    ...each(
        ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"],
        fixed((r) => [{ item: `KMS key (${r.name})`, monthlyUsd: UNIT_PRICES.kmsKeyMonth.usd }], USAGE.kmsRequests),
    ),
    ...each(["aws:kms/alias:Alias", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/grant:Grant"], free("key settings")),
    "aws:secretsmanager/secret:Secret": fixed((r) => {
        const copies = 1 + (arrayAt(r, "replicas")?.length ?? 0);
        return [
            {
                item: `secret${copies > 1 ? ` + ${copies - 1} replicas` : ""} (${r.name})`,
                monthlyUsd: copies * UNIT_PRICES.secretMonth.usd,
            },
        ];
    }, USAGE.secretsRequests),
    ...each(
        [
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:secretsmanager/secretPolicy:SecretPolicy",
            "aws:secretsmanager/secretRotation:SecretRotation",
        ],
        free("included in the secret"),
    ),
    "aws:ssm/parameter:Parameter": fixed((r) =>
        stringAt(r, "tier") === "Advanced"
            ? [{ item: `advanced SSM parameter (${r.name})`, monthlyUsd: UNIT_PRICES.ssmAdvancedParameterMonth.usd }]
            : [],
    ),
    ...each(
        ["aws:ssm/document:Document", "aws:ssm/association:Association"],
        free("Systems Manager documents and State Manager have no charge"),
    ),
    "aws:cloudwatch/logGroup:LogGroup": usage(USAGE.logs),
    // Vended logs are billed per GB delivered (CloudWatch Logs pricing, "Vended logs"): usage only.
    "aws:cloudwatch/logDelivery:LogDelivery": usage(USAGE.logs),
    ...each(
        ["aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"],
        free("log delivery settings"),
    ),
    ...each(
        [
            "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
            "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
            "aws:cloudwatch/logMetricFilter:LogMetricFilter",
        ],
        free("log settings"),
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": fixed(alarmLines),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": fixed((r) => [
        { item: `composite alarm (${r.name})`, monthlyUsd: UNIT_PRICES.compositeAlarmMonth.usd },
    ]),
    "aws:cloudwatch/dashboard:Dashboard": fixed((r) => [{ item: `dashboard (${r.name})`, monthlyUsd: UNIT_PRICES.dashboardMonth.usd }]),
    ...each(["aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget"], usage("EventBridge events")),
    ...each(["aws:sns/topic:Topic", "aws:sns/topicSubscription:TopicSubscription"], usage(USAGE.sns)),
    "aws:sns/topicPolicy:TopicPolicy": free("topic settings"),
    ...each(
        [
            "aws:amp/workspace:Workspace",
            "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
            "aws:amp/alertManagerDefinition:AlertManagerDefinition",
            "aws:amp/workspaceConfiguration:WorkspaceConfiguration",
        ],
        usage(USAGE.amp),
    ),
    "aws:amp/scraper:Scraper": usage(USAGE.ampCollector),
    ...each(IAM_TYPES, free("IAM has no charge")),

    // A request, approved (or not) by AWS later: no charge.
    "aws:servicequotas/serviceQuota:ServiceQuota": free("Service Quotas requests have no charge"),

    // --- organization, identity, audit
    ...each(
        [
            "aws:organizations/account:Account",
            "aws:organizations/organization:Organization",
            "aws:organizations/organizationalUnit:OrganizationalUnit",
            "aws:organizations/policy:Policy",
            "aws:organizations/policyAttachment:PolicyAttachment",
            "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
            "aws:organizations/resourcePolicy:ResourcePolicy",
        ],
        free("AWS Organizations has no charge"),
    ),
    ...each(IDENTITY_CENTER_TYPES, free("IAM Identity Center has no charge")),
    "aws:cloudtrail/trail:Trail": usage(USAGE.trail),
    ...each(
        [
            "aws:guardduty/detector:Detector",
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
            "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
            "aws:guardduty/detectorFeature:DetectorFeature",
        ],
        usage(USAGE.guardduty),
    ),
    ...each(
        [
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
            "aws:inspector2/enabler:Enabler",
            "aws:inspector2/memberAssociation:MemberAssociation",
            "aws:inspector2/organizationConfiguration:OrganizationConfiguration",
        ],
        usage(USAGE.inspector),
    ),
    ...each(
        [
            "aws:securityhub/account:Account",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
            "aws:securityhub/standardsSubscription:StandardsSubscription",
            "aws:securityhub/findingAggregator:FindingAggregator",
            "aws:securityhub/configurationPolicy:ConfigurationPolicy",
            "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation",
        ],
        usage(USAGE.securityhub),
    ),
    ...each(
        [
            "aws:cfg/recorder:Recorder",
            "aws:cfg/recorderStatus:RecorderStatus",
            "aws:cfg/deliveryChannel:DeliveryChannel",
            "aws:cfg/organizationManagedRule:OrganizationManagedRule",
            "aws:cfg/rule:Rule",
        ],
        usage(USAGE.config),
    ),
    ...each(
        ["aws:cfg/configurationAggregator:ConfigurationAggregator", "aws:cfg/aggregateAuthorization:AggregateAuthorization"],
        free("Config aggregation has no charge"),
    ),
    // External-access analyzers are free; unused-access analyzers bill per role/user analysed.
    "aws:accessanalyzer/analyzer:Analyzer": fixed(
        () => [],
        (r) => ((stringAt(r, "type") ?? "").includes("UNUSED") ? USAGE.analyzerUnused : undefined),
    ),
    "aws:budgets/budget:Budget": free("budgets without actions have no charge"),
    "aws:budgets/budgetAction:BudgetAction": usage(USAGE.budgetAction),
    "aws:ecr/repository:Repository": usage(USAGE.ecr),
    ...each(
        [
            "aws:ecr/repositoryPolicy:RepositoryPolicy",
            "aws:ecr/lifecyclePolicy:LifecyclePolicy",
            "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
            "aws:ecr/registryPolicy:RegistryPolicy",
            "aws:ecr/replicationConfiguration:ReplicationConfiguration",
            "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
        ],
        free("registry settings (basic scanning is free)"),
    ),
};

/**
 * Whole packages with no charge of their own: Kubernetes objects run on the priced nodes, `pulumi:`
 * providers/stack references and our `payments:` components only group or configure priced resources.
 */
export const FREE_PACKAGES: Record<string, string> = {
    kubernetes: "Kubernetes objects run on the cluster's nodes, which are priced with the node groups",
    pulumi: "providers, stack references and the stack are engine-level, no cloud resource",
    payments: "our components group resources; their children are priced",
};

/** The rule for a type: its own entry, else its package's, else undefined (unknown). */
export function priceRuleOf(type: string): PriceRule | undefined {
    const own = PRICING[type];
    if (own) return own;
    const why = FREE_PACKAGES[type.split(":")[0]];
    return why === undefined ? undefined : free(why);
}

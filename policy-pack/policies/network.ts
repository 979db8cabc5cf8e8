import type { PolicyResource } from "@pulumi/policy";
import { PolicyDefinition, StackContext, resourcePolicy, sameReads, stackPolicy } from "../lib/definition";
import { lineage, referencedBy, referrersOf } from "../lib/links";
import { OPEN_CIDRS, coversPort, list, ofTypes } from "../lib/values";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const AWSX_VPC = "awsx:ec2:Vpc";
const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

const ADMIN_PORTS = [22, 3389];
const PUBLIC_WEB_PORTS = [80, 443];

export interface IngressRule {
    /** The resource that declares the rule (a security group or a rule resource). */
    declaredBy: PolicyResource;
    /** The security group the rule belongs to, when it can be told. */
    group?: PolicyResource;
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrs: string[];
}

const INLINE_RULE_READS = ["ingress.cidrBlocks", "ingress.fromPort", "ingress.ipv6CidrBlocks", "ingress.protocol", "ingress.toPort"];
/** What ingressRules reads. */
const INGRESS_READS = {
    ...sameReads([SECURITY_GROUP, DEFAULT_SECURITY_GROUP], INLINE_RULE_READS),
    [INGRESS_RULE]: ["cidrIpv4", "cidrIpv6", "fromPort", "ipProtocol", "securityGroupId", "toPort"],
    [LEGACY_RULE]: ["type", "protocol", "fromPort", "toPort", "cidrBlocks", "ipv6CidrBlocks", "securityGroupId"],
};

/** Every CIDR-sourced ingress rule in the stack, from inline blocks and from rule resources. */
function ingressRules(ctx: StackContext<object>): IngressRule[] {
    const groups = ofTypes(ctx.resources, [SECURITY_GROUP, DEFAULT_SECURITY_GROUP]);
    const rules: IngressRule[] = [];
    ctx.each(groups, (group) => {
        for (const rule of list(group.props.ingress)) {
            rules.push({
                declaredBy: group,
                group,
                protocol: String(rule.protocol),
                fromPort: Number(rule.fromPort),
                toPort: Number(rule.toPort),
                cidrs: [...list<string>(rule.cidrBlocks), ...list<string>(rule.ipv6CidrBlocks)],
            });
        }
    });
    ctx.each(ofTypes(ctx.resources, [INGRESS_RULE]), (r) => {
        rules.push({
            declaredBy: r,
            group: referencedBy(r, "securityGroupId", groups)[0],
            protocol: String(r.props.ipProtocol),
            fromPort: Number(r.props.fromPort ?? 0),
            toPort: Number(r.props.toPort ?? 65535),
            cidrs: [r.props.cidrIpv4, r.props.cidrIpv6].filter((c): c is string => typeof c === "string"),
        });
    });
    ctx.each(
        ofTypes(ctx.resources, [LEGACY_RULE]).filter((r) => r.props.type === "ingress"),
        (r) => {
            rules.push({
                declaredBy: r,
                group: referencedBy(r, "securityGroupId", groups)[0],
                protocol: String(r.props.protocol),
                fromPort: Number(r.props.fromPort),
                toPort: Number(r.props.toPort),
                cidrs: [...list<string>(r.props.cidrBlocks), ...list<string>(r.props.ipv6CidrBlocks)],
            });
        },
    );
    return rules.filter((r) => r.cidrs.length > 0);
}

/** Security groups of internet-facing application load balancers. */
function publicAlbGroups(ctx: StackContext<object>): Set<PolicyResource> {
    const groups = ofTypes(ctx.resources, [SECURITY_GROUP]);
    const result = new Set<PolicyResource>();
    ctx.each(ofTypes(ctx.resources, LOAD_BALANCERS), (lb) => {
        if (lb.props.internal !== true && (lb.props.loadBalancerType ?? "application") === "application") {
            referencedBy(lb, "securityGroups", groups, { many: true }).forEach((g) => result.add(g));
        }
    });
    return result;
}

function describe(rule: IngressRule): string {
    const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
    return `${rule.protocol === "-1" ? "all traffic" : `${rule.protocol} ${ports}`} from ${rule.cidrs.join(", ")}`;
}

/** The VPC a flow log or default security group belongs to counts for its awsx component too. */
function vpcRoot(vpc: PolicyResource): PolicyResource {
    return lineage(vpc).find((r) => r.type === AWSX_VPC) ?? vpc;
}

function coveredVpcs(ctx: StackContext<object>, type: string, accept: (r: PolicyResource) => boolean): Set<PolicyResource> {
    const vpcs = ofTypes(ctx.resources, [VPC, AWSX_VPC]);
    const covered = new Set<PolicyResource>();
    ctx.each(ofTypes(ctx.resources, [type]), (r) => {
        if (accept(r)) {
            referencedBy(r, "vpcId", vpcs).forEach((v) => covered.add(vpcRoot(v)));
        }
    });
    return covered;
}

function rootVpcs(ctx: StackContext<object>): PolicyResource[] {
    return ofTypes(ctx.resources, [VPC, AWSX_VPC]).filter((v) => vpcRoot(v) === v);
}

const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const FUNCTION = "aws:lambda/function:Function";
const RECORD = "aws:route53/record:Record";
const ZONE = "aws:route53/zone:Zone";
const QUERY_LOG = "aws:route53/queryLog:QueryLog";

export const NETWORK_POLICIES: PolicyDefinition[] = [
    stackPolicy({
        name: "sg-no-public-ingress",
        domain: "network",
        description:
            "No security group allows ingress from 0.0.0.0/0 or ::/0, except TCP 80/443 on an internet-facing ALB's security group.",
        prevents: "Instances, endpoints and data stores reachable from the whole internet.",
        severity: "critical",
        remediation:
            "Restrict the source to the VPC, VPN or Transit Gateway CIDRs or to a security group; only the public ALB takes 80/443 from anywhere.",
        level: "mandatory",
        checkov: "CKV_AWS_260",
        trivy: "AVD-AWS-0107",
        reads: { ...INGRESS_READS, ...sameReads(LOAD_BALANCERS, ["internal", "loadBalancerType", "securityGroups"]) },
        check: (ctx) => {
            const albGroups = publicAlbGroups(ctx);
            for (const rule of ingressRules(ctx)) {
                if (!rule.cidrs.some((c) => OPEN_CIDRS.includes(c))) {
                    continue;
                }
                const webOnAlb =
                    rule.group !== undefined &&
                    albGroups.has(rule.group) &&
                    rule.protocol === "tcp" &&
                    rule.fromPort === rule.toPort &&
                    PUBLIC_WEB_PORTS.includes(rule.fromPort);
                if (!webOnAlb) {
                    ctx.report(`${rule.declaredBy.name} allows ${describe(rule)}.`, rule.declaredBy.urn);
                }
            }
        },
    }),
    stackPolicy({
        name: "sg-no-admin-ports",
        domain: "network",
        description: "No security group opens SSH (22) or RDP (3389) to any CIDR; hosts are reached through SSM.",
        prevents: "Remote shells exposed to networks, bypassing SSM Session Manager's logging and IAM.",
        severity: "critical",
        remediation: "Remove the rule and use SSM Session Manager (the instance role needs AmazonSSMManagedInstanceCore).",
        level: "mandatory",
        checkov: "CKV_AWS_24",
        reads: INGRESS_READS,
        check: (ctx) => {
            for (const rule of ingressRules(ctx)) {
                const ports = ADMIN_PORTS.filter((p) => coversPort(rule.protocol, rule.fromPort, rule.toPort, p));
                if (ports.length > 0) {
                    ctx.report(
                        `${rule.declaredBy.name} allows ${describe(rule)}, which opens ${ports.join(" and ")}.`,
                        rule.declaredBy.urn,
                    );
                }
            }
        },
    }),
    resourcePolicy<{ maxHopLimit: number }>({
        name: "ec2-imdsv2",
        domain: "network",
        description: "EC2 instances and launch templates require IMDSv2 (httpTokens = required).",
        prevents: "Credential theft through SSRF against the instance metadata service (IMDSv1).",
        severity: "high",
        remediation: 'Set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 } (2 only where containers need IMDS).',
        level: "mandatory",
        checkov: "CKV_AWS_79",
        trivy: "AVD-AWS-0028",
        types: [INSTANCE, LAUNCH_TEMPLATE],
        reads: sameReads([LAUNCH_TEMPLATE, INSTANCE], ["metadataOptions.httpTokens", "metadataOptions.httpPutResponseHopLimit"]),
        schema: { maxHopLimit: { type: "integer", minimum: 1, maximum: 64 } },
        defaults: () => ({ maxHopLimit: 1 }),
        check: (r, ctx) => {
            if (r.props.metadataOptions?.httpTokens !== "required") {
                ctx.report(
                    `${r.name} does not require IMDSv2 (metadataOptions.httpTokens is ${r.props.metadataOptions?.httpTokens ?? "unset"}).`,
                );
            }
            // Above 1 the token reaches containers on the host; pods get credentials from Pod Identity instead.
            const hops = Number(r.props.metadataOptions?.httpPutResponseHopLimit ?? 1);
            if (hops > ctx.config.maxHopLimit) {
                ctx.report(
                    `${r.name} lets the metadata token travel ${hops} hops (at most ${ctx.config.maxHopLimit}: containers on the host could use the node's role).`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "ec2-no-public-ip",
        domain: "network",
        description: "EC2 instances and launch templates do not assign public IP addresses.",
        prevents: "Hosts directly addressable from the internet instead of behind the ALB or VPN.",
        severity: "high",
        remediation: "Set associatePublicIpAddress: false and launch into private subnets.",
        level: "mandatory",
        checkov: "CKV_AWS_88",
        types: [INSTANCE, LAUNCH_TEMPLATE],
        reads: { [LAUNCH_TEMPLATE]: ["networkInterfaces.associatePublicIpAddress"], [INSTANCE]: ["associatePublicIpAddress"] },
        check: (r, ctx) => {
            const interfaces = list(r.props.networkInterfaces);
            const publicIp =
                (r.type === INSTANCE && r.props.associatePublicIpAddress === true) ||
                interfaces.some((i) => String(i.associatePublicIpAddress) === "true");
            if (publicIp) {
                ctx.report(`${r.name} assigns a public IP address.`);
            }
        },
    }),
    stackPolicy({
        name: "vpc-flow-logs",
        domain: "network",
        description: "Every VPC (aws:ec2/vpc:Vpc or awsx:ec2:Vpc) has a VPC flow log.",
        prevents: "No record of network traffic for incident response.",
        severity: "medium",
        remediation: 'Add aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs" } for the VPC.',
        level: "mandatory",
        checkov: "CKV2_AWS_11",
        trivy: "AVD-AWS-0178",
        reads: { "aws:ec2/flowLog:FlowLog": ["vpcId"] },
        check: (ctx) => {
            const covered = coveredVpcs(ctx, FLOW_LOG, () => true);
            for (const vpc of rootVpcs(ctx)) {
                if (!covered.has(vpc)) {
                    ctx.report(`VPC ${vpc.name} has no flow log.`, vpc.urn);
                }
            }
        },
    }),
    stackPolicy({
        name: "vpc-default-sg-closed",
        domain: "network",
        description: "Every VPC's default security group is managed and has no rules.",
        prevents: "Resources launched without a security group silently getting the default group's access.",
        severity: "medium",
        remediation: "Add aws.ec2.DefaultSecurityGroup { vpcId } with no ingress and no egress.",
        level: "mandatory",
        checkov: "CKV2_AWS_12",
        reads: { "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["egress", "ingress", "vpcId"] },
        check: (ctx) => {
            const closed = coveredVpcs(
                ctx,
                DEFAULT_SECURITY_GROUP,
                (g) => list(g.props.ingress).length === 0 && list(g.props.egress).length === 0,
            );
            const managed = coveredVpcs(ctx, DEFAULT_SECURITY_GROUP, () => true);
            for (const vpc of rootVpcs(ctx)) {
                if (!managed.has(vpc)) {
                    ctx.report(
                        `VPC ${vpc.name}'s default security group is not managed (it keeps AWS's allow-all-within-group rules).`,
                        vpc.urn,
                    );
                } else if (!closed.has(vpc)) {
                    ctx.report(`VPC ${vpc.name}'s default security group has rules.`, vpc.urn);
                }
            }
        },
    }),
    resourcePolicy({
        name: "sg-no-unrestricted-egress",
        domain: "network",
        description: "No security group allows all protocols and ports out to 0.0.0.0/0 or ::/0; egress to the internet names its ports.",
        prevents: "A compromised workload exfiltrating data on any port, unseen by the rules a reviewer reads.",
        severity: "medium",
        remediation: "Replace the all-traffic egress rule with rules for the ports needed (e.g. 443) or for the VPC CIDR.",
        level: "mandatory",
        trivy: "AVD-AWS-0104",
        pci: ["1.3.2", "1.4.2"],
        types: [SECURITY_GROUP, EGRESS_RULE],
        reads: {
            [SECURITY_GROUP]: ["egress.protocol", "egress.cidrBlocks", "egress.ipv6CidrBlocks"],
            [EGRESS_RULE]: ["ipProtocol", "cidrIpv4", "cidrIpv6"],
        },
        check: (r, ctx) => {
            const rules =
                r.type === EGRESS_RULE
                    ? [{ protocol: r.props.ipProtocol, cidrs: [r.props.cidrIpv4, r.props.cidrIpv6] }]
                    : list(r.props.egress).map((e) => ({
                          protocol: e.protocol,
                          cidrs: [...list(e.cidrBlocks), ...list(e.ipv6CidrBlocks)],
                      }));
            if (
                rules.some(
                    (rule) => ["-1", "all"].includes(String(rule.protocol)) && rule.cidrs.some((c) => OPEN_CIDRS.includes(String(c))),
                )
            ) {
                ctx.report(`${r.name} allows all traffic out to the internet.`);
            }
        },
    }),
    resourcePolicy({
        name: "sg-descriptions",
        domain: "network",
        description: "Security groups and each of their rules (inline or rule resources) carry a description of what they allow and why.",
        prevents:
            "Open ports nobody can justify in a firewall review (PCI DSS 1.2.5 asks for the business need of every allowed service, protocol and port).",
        severity: "low",
        remediation:
            'Set description on the aws.ec2.SecurityGroup (not the provider default "Managed by Pulumi") and on every ingress/egress block or aws.vpc.SecurityGroupIngressRule/EgressRule.',
        level: "mandatory",
        checkov: "CKV_AWS_23",
        trivy: "AVD-AWS-0124",
        pci: ["1.2.5"],
        types: [SECURITY_GROUP, INGRESS_RULE, EGRESS_RULE],
        reads: {
            [SECURITY_GROUP]: ["description", "ingress.description", "egress.description"],
            [INGRESS_RULE]: ["description"],
            [EGRESS_RULE]: ["description"],
        },
        check: (r, ctx) => {
            const described = (value: unknown) => typeof value === "string" && value.trim() !== "" && value !== "Managed by Pulumi";
            if (r.type !== SECURITY_GROUP) {
                if (!described(r.props.description)) {
                    ctx.report(`Security group rule ${r.name} has no description.`);
                }
                return;
            }
            const undescribed = [
                described(r.props.description) ? undefined : "the group",
                ...list(r.props.ingress).map((rule, i) => (described(rule.description) ? undefined : `ingress #${i + 1}`)),
                ...list(r.props.egress).map((rule, i) => (described(rule.description) ? undefined : `egress #${i + 1}`)),
            ].filter((m): m is string => m !== undefined);
            if (undescribed.length > 0) {
                ctx.report(`Security group ${r.name} has no description for ${undescribed.join(", ")}.`);
            }
        },
    }),
    resourcePolicy({
        name: "ec2-detailed-monitoring",
        domain: "network",
        description: "EC2 instances and launch templates enable detailed (1-minute) monitoring.",
        prevents: "Five-minute metrics that hide the spike an alarm or the autoscaler should have acted on.",
        severity: "low",
        remediation: "Set monitoring: { enabled: true } on the launch template (monitoring: true on an aws.ec2.Instance).",
        level: "mandatory",
        checkov: "CKV_AWS_126",
        types: [INSTANCE, LAUNCH_TEMPLATE],
        reads: { [LAUNCH_TEMPLATE]: ["monitoring.enabled"], [INSTANCE]: ["monitoring"] },
        check: (r, ctx) => {
            const enabled = r.type === INSTANCE ? r.props.monitoring === true : r.props.monitoring?.enabled === true;
            if (!enabled) {
                ctx.report(`${r.name} does not enable detailed monitoring.`);
            }
        },
    }),
    resourcePolicy({
        name: "multi-az-placement",
        domain: "network",
        description:
            "Load balancers and VPC-attached Lambda functions are placed in at least two subnets (the estate's subnets are one per Availability Zone).",
        prevents: "A load balancer or function that goes down with one Availability Zone.",
        severity: "medium",
        remediation:
            "Give the load balancer (subnets or subnetMappings) and the function (vpcConfig.subnetIds) the subnets of every AZ of its tier.",
        level: "mandatory",
        securityHub: ["ELB.13", "Lambda.5"],
        types: [...LOAD_BALANCERS, FUNCTION],
        reads: { ...sameReads(LOAD_BALANCERS, ["subnets", "subnetMappings"]), [FUNCTION]: ["vpcConfig.subnetIds"] },
        check: (r, ctx) => {
            if (r.type === FUNCTION) {
                const subnets = list(r.props.vpcConfig?.subnetIds);
                if (r.props.vpcConfig !== undefined && subnets.length < 2) {
                    ctx.report(`Function ${r.name} runs in ${subnets.length} subnet(s); use one per Availability Zone.`);
                }
                return;
            }
            const subnets = list(r.props.subnets).length + list(r.props.subnetMappings).length;
            if (subnets < 2) {
                ctx.report(`Load balancer ${r.name} spans ${subnets} subnet(s); use one per Availability Zone.`);
            }
        },
    }),
    resourcePolicy({
        name: "route53-alias-records",
        domain: "network",
        description: "Route 53 A and AAAA records are aliases to AWS resources (load balancers, CloudFront), never literal IP addresses.",
        prevents:
            "Dangling DNS: an address released by a deleted instance or load balancer still named by the record, serving whoever gets it next (subdomain takeover).",
        severity: "medium",
        remediation:
            "Replace records: [ip] with aliases: [{ name: <target DNS name>, zoneId: <target hosted zone>, evaluateTargetHealth }] pointing at the resource this stack creates.",
        level: "mandatory",
        checkov: "CKV2_AWS_23",
        types: [RECORD],
        reads: { [RECORD]: ["type", "aliases", "records"] },
        check: (record, ctx) => {
            if (
                ["A", "AAAA"].includes(String(record.props.type)) &&
                list(record.props.aliases).length === 0 &&
                list(record.props.records).length > 0
            ) {
                ctx.report(`DNS record ${record.name} (${record.props.type}) names literal addresses instead of an alias to a resource.`);
            }
        },
    }),
    stackPolicy({
        name: "route53-query-logging",
        domain: "network",
        description: "Every public Route 53 hosted zone has query logging (aws.route53.QueryLog to a CloudWatch log group in us-east-1).",
        prevents: "No record of which names were resolved from where: DNS reconnaissance and exfiltration through lookups go unseen.",
        severity: "low",
        remediation:
            "Add a log group /aws/route53/<zone> in us-east-1, an aws.cloudwatch.LogResourcePolicy letting route53.amazonaws.com write to it (aws:SourceAccount), and aws.route53.QueryLog { zoneId, cloudwatchLogGroupArn }.",
        level: "mandatory",
        checkov: "CKV2_AWS_39",
        pci: ["10.2.1"],
        reads: { [ZONE]: ["vpcs", "name"], [QUERY_LOG]: ["zoneId"] },
        check: (ctx) => {
            const zones = ofTypes(ctx.resources, [ZONE]);
            const queryLogs = ofTypes(ctx.resources, [QUERY_LOG]);
            ctx.each(zones, (zone) => {
                if (list(zone.props.vpcs).length === 0 && referrersOf(zone, "zoneId", queryLogs, zones).length === 0) {
                    ctx.report(`Public hosted zone ${zone.name} does not log DNS queries.`, zone.urn);
                }
            });
        },
    }),
];

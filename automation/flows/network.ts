import { Estate, EstateResource } from "./estate";
import { cidrContains } from "./iam/policy";
import { Decision } from "./flow";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

/**
 * Packets between two places in the estate: security groups (ingress and egress, group
 * references, CIDRs, prefix lists; stateful), VPC route tables and Transit Gateway route tables.
 */

export interface Endpoint {
    label: string;
    /** The VPC the endpoint sits in; undefined for the internet. */
    vpcId?: string;
    /** Addresses packets come from or go to (the VPC's CIDR, or 0.0.0.0/0 for the internet). */
    cidr: string;
    securityGroups: string[];
}

interface Rule {
    protocol: string;
    from: number;
    to: number;
    cidrs: string[];
    groups: string[];
    prefixLists: string[];
    description: string;
}

interface Group {
    id: string;
    name: string;
    vpcId?: string;
    ingress: Rule[];
    egress: Rule[];
}

const ALL_TRAFFIC: Omit<Rule, "cidrs" | "groups" | "description"> = { protocol: "-1", from: 0, to: 65535, prefixLists: [] };

function inlineRule(raw: any, self: string): Rule {
    return {
        protocol: String(raw.protocol ?? raw.ipProtocol ?? "-1"),
        from: Number(raw.fromPort ?? 0),
        to: Number(raw.toPort ?? 65535),
        cidrs: [...(raw.cidrBlocks ?? [])],
        groups: [...(raw.securityGroups ?? []), ...(raw.self ? [self] : [])],
        prefixLists: [...(raw.prefixListIds ?? [])],
        description: String(raw.description ?? ""),
    };
}

function standaloneRule(raw: any): Rule {
    return {
        protocol: String(raw.ipProtocol ?? "-1"),
        from: Number(raw.fromPort ?? 0),
        to: Number(raw.toPort ?? 65535),
        cidrs: raw.cidrIpv4 ? [raw.cidrIpv4] : [],
        groups: raw.referencedSecurityGroupId ? [raw.referencedSecurityGroupId] : [],
        prefixLists: raw.prefixListId ? [raw.prefixListId] : [],
        description: String(raw.description ?? ""),
    };
}

function securityGroups(estate: Estate): Map<string, Group> {
    return estate.memo("net:groups", () => {
        const groups = new Map<string, Group>();
        for (const sg of estate.ofType("aws:ec2/securityGroup:SecurityGroup")) {
            if (sg.id === undefined) {
                continue;
            }
            const id = sg.id;
            groups.set(id, {
                id,
                name: String(sg.inputs.name ?? sg.name),
                vpcId: sg.inputs.vpcId as string | undefined,
                // Pulumi (like Terraform) removes the default allow-all egress rule: no egress unless declared.
                ingress: ((sg.inputs.ingress as unknown[]) ?? []).map((r) => inlineRule(r, id)),
                egress: ((sg.inputs.egress as unknown[]) ?? []).map((r) => inlineRule(r, id)),
            });
        }
        // EKS creates the cluster security group with all traffic from itself and all traffic out.
        for (const cluster of estate.ofType("eks:index:Cluster")) {
            const id = cluster.outputs?.clusterSecurityGroupId as string | undefined;
            if (id) {
                groups.set(id, {
                    id,
                    name: `${cluster.inputs.name} cluster security group`,
                    vpcId: cluster.inputs.vpcId as string | undefined,
                    ingress: [{ ...ALL_TRAFFIC, cidrs: [], groups: [id], description: "EKS: from the cluster itself" }],
                    egress: [{ ...ALL_TRAFFIC, cidrs: ["0.0.0.0/0"], groups: [], description: "EKS: all outbound" }],
                });
            }
        }
        const add = (type: string, direction: "ingress" | "egress") => {
            for (const rule of estate.ofType(type)) {
                const group = groups.get(String(rule.inputs.securityGroupId));
                group?.[direction].push(standaloneRule(rule.inputs));
            }
        };
        add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ingress");
        add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "egress");
        for (const rule of estate.ofType("aws:ec2/securityGroupRule:SecurityGroupRule")) {
            const group = groups.get(String(rule.inputs.securityGroupId));
            const raw = rule.inputs as any;
            group?.[raw.type === "egress" ? "egress" : "ingress"].push(
                inlineRule({ ...raw, securityGroups: raw.sourceSecurityGroupId ? [raw.sourceSecurityGroupId] : [] }, group.id),
            );
        }
        return groups;
    });
}

function prefixListCidrs(estate: Estate, id: string): string[] | undefined {
    const list = estate.ofType("aws:ec2/managedPrefixList:ManagedPrefixList").find((p) => p.id === id);
    return list ? ((list.inputs.entries as { cidr: string }[] | undefined) ?? []).map((e) => e.cidr) : undefined;
}

function portMatches(rule: Rule, protocol: string, port: number): boolean {
    return (
        (rule.protocol === "-1" || rule.protocol === "all" || rule.protocol === protocol) &&
        (rule.protocol === "-1" || (port >= rule.from && port <= rule.to))
    );
}

/** The first rule of `side` that admits the peer, or why none does. */
function admits(estate: Estate, rules: Rule[], peer: Endpoint, protocol: string, port: number): { rule?: Rule; unknown?: string } {
    let unknown: string | undefined;
    for (const rule of rules.filter((r) => portMatches(r, protocol, port))) {
        if (rule.groups.some((g) => peer.securityGroups.includes(g)) || rule.cidrs.some((c) => cidrContains(c, peer.cidr))) {
            return { rule };
        }
        for (const pl of rule.prefixLists) {
            const cidrs = prefixListCidrs(estate, pl);
            if (cidrs === undefined) {
                unknown = `prefix list ${pl} is AWS-managed or not in the plan`;
            } else if (cidrs.some((c) => cidrContains(c, peer.cidr))) {
                return { rule };
            }
        }
    }
    return { unknown };
}

export function vpcCidr(estate: Estate, vpcId: string | undefined): string | undefined {
    return estate.ofType("awsx:ec2:Vpc").find((v) => v.outputs?.vpcId === vpcId)?.inputs.cidrBlock as string | undefined;
}

function vpcStack(estate: Estate, vpcId: string): string | undefined {
    return estate.ofType("awsx:ec2:Vpc").find((v) => v.outputs?.vpcId === vpcId)?.stack;
}

/** Route from one VPC to another: the source VPC's routes to the TGW, then the TGW route table of its attachment. */
function routes(estate: Estate, fromVpc: string, toCidr: string): { ok: boolean; because: string } {
    const stack = vpcStack(estate, fromVpc);
    const vpcRoutes = estate
        .ofType("aws:ec2/route:Route")
        .filter((r) => r.stack === stack && r.inputs.transitGatewayId && cidrContains(String(r.inputs.destinationCidrBlock), toCidr));
    if (vpcRoutes.length === 0) {
        return { ok: false, because: `no route in ${stack}'s VPC route tables sends ${toCidr} to the Transit Gateway` };
    }
    const attachment = [...estate.ofType("aws:ec2transitgateway/vpcAttachment:VpcAttachment")].find((a) => a.stack === stack);
    const association = estate
        .ofType("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation")
        .find((a) => a.inputs.transitGatewayAttachmentId === attachment?.id);
    if (!association) {
        return { ok: false, because: `${stack}'s Transit Gateway attachment is associated with no route table` };
    }
    const table = String(association.inputs.transitGatewayRouteTableId);
    const tgwRoute = estate
        .ofType("aws:ec2transitgateway/route:Route")
        .find((r) => r.inputs.transitGatewayRouteTableId === table && cidrContains(String(r.inputs.destinationCidrBlock), toCidr));
    if (!tgwRoute || tgwRoute.inputs.blackhole === true) {
        return { ok: false, because: `Transit Gateway route table ${table} (of ${stack}'s attachment) has no route to ${toCidr}` };
    }
    return { ok: true, because: `${vpcRoutes[0].name} and TGW route ${tgwRoute.name}` };
}

/** Whether a TCP/UDP connection from `source` to `target` on `port` is established. */
export function checkNetwork(estate: Estate, source: Endpoint, target: Endpoint, port: number, protocol = "tcp"): Decision {
    if (source.vpcId !== undefined && target.vpcId !== undefined && source.vpcId !== target.vpcId) {
        const there = routes(estate, source.vpcId, target.cidr);
        if (!there.ok) {
            return { allowed: false, because: there.because };
        }
        const back = routes(estate, target.vpcId, source.cidr);
        if (!back.ok) {
            return { allowed: false, because: `no return path: ${back.because}` };
        }
    }
    const groups = securityGroups(estate);
    const reasons: string[] = [];
    let unknown: string | undefined;
    // Egress of the source (an internet source has no security group of ours).
    if (source.securityGroups.length > 0) {
        const out = source.securityGroups.map((g) => ({ g, r: admits(estate, groups.get(g)?.egress ?? [], target, protocol, port) }));
        const hit = out.find((o) => o.r.rule);
        if (!hit) {
            unknown = out.find((o) => o.r.unknown)?.r.unknown;
            if (!unknown) {
                return {
                    allowed: false,
                    because: `no egress rule of ${source.securityGroups.map((g) => groups.get(g)?.name ?? g).join(", ")} admits ${protocol}/${port} to ${target.label}`,
                };
            }
        } else {
            reasons.push(`egress ${groups.get(hit.g)?.name}: ${hit.r.rule!.description || "rule"}`);
        }
    }
    if (target.securityGroups.length === 0) {
        return { allowed: undefined, because: `${target.label} has no security group in the plan` };
    }
    const into = target.securityGroups.map((g) => ({ g, r: admits(estate, groups.get(g)?.ingress ?? [], source, protocol, port) }));
    const hit = into.find((o) => o.r.rule);
    if (!hit) {
        const why = into.find((o) => o.r.unknown)?.r.unknown;
        return why
            ? { allowed: undefined, because: why }
            : {
                  allowed: false,
                  because: `no ingress rule of ${target.securityGroups.map((g) => groups.get(g)?.name ?? g).join(", ")} admits ${protocol}/${port} from ${source.label}`,
              };
    }
    if (unknown) {
        return { allowed: undefined, because: unknown };
    }
    reasons.push(`ingress ${groups.get(hit.g)?.name}: ${hit.r.rule!.description || "rule"}`);
    return { allowed: true, because: reasons.join("; ") };
}

/** The pods of an EKS cluster (VPC CNI without security groups for pods: the nodes' cluster security group). */
export function clusterPods(estate: Estate, cluster: EstateResource): Endpoint {
    const vpcId = cluster.inputs.vpcId as string;
    return {
        label: `pods in ${cluster.inputs.name}`,
        vpcId,
        cidr: vpcCidr(estate, vpcId) ?? "0.0.0.0/32",
        securityGroups: [String(cluster.outputs?.clusterSecurityGroupId)],
    };
}

export const INTERNET: Endpoint = { label: "the internet", cidr: "0.0.0.0/0", securityGroups: [] };

export function groupsEndpoint(estate: Estate, label: string, ids: string[]): Endpoint {
    const vpcId = securityGroups(estate).get(ids[0])?.vpcId;
    return { label, vpcId, cidr: vpcCidr(estate, vpcId) ?? "0.0.0.0/32", securityGroups: ids };
}

import { PlannedResource, PlannedStack, UNKNOWN_PLACEHOLDER } from "../../plan-model/types";
import { parseMaybeJson } from "../../plan-model/json";
import { ResourceChange, StackDiff } from "./diff";

export type DangerKind = "stateful-removed" | "replacement" | "policy-statements" | "network-opened" | "prod-change";

export interface Danger {
    kind: DangerKind;
    /** `<project>/<stack>` */
    stack: string;
    urn?: string;
    headline: string;
    /** Policy statements added and removed (canonical JSON), for `policy-statements`. */
    statements?: { added: unknown[]; removed: unknown[] };
}

/**
 * Resources that hold data or identity that a delete-and-recreate loses (databases, tables,
 * buckets, keys, domains, clusters, log archives, accounts), with the inputs whose change makes
 * the provider replace them (ForceNew in the provider's schema).
 */
export const STATEFUL: Record<string, string[]> = {
    "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
    "aws:rds/instance:Instance": [
        "identifier",
        "engine",
        "username",
        "storageEncrypted",
        "kmsKeyId",
        "availabilityZone",
        "characterSetName",
    ],
    "aws:rds/cluster:Cluster": ["clusterIdentifier", "engine", "masterUsername", "databaseName", "storageEncrypted", "kmsKeyId"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion"],
    "aws:opensearch/domain:Domain": ["domainName"],
    "aws:eks/cluster:Cluster": ["name", "roleArn"],
    "eks:index:Cluster": ["name"],
    "aws:route53/zone:Zone": ["name"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
    "aws:cloudtrail/trail:Trail": ["name"],
    "aws:ecr/repository:Repository": ["name"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:sqs/queue:Queue": ["name", "fifoQueue"],
    "aws:efs/fileSystem:FileSystem": ["encrypted", "kmsKeyId", "performanceMode"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["replicationGroupId", "engine"],
    "aws:organizations/account:Account": ["email", "roleName", "iamUserAccessToBilling"],
    "aws:organizations/organization:Organization": [],
};

/** The statements of every policy document among a resource's inputs (IAM, SCP/RCP, resource policies), by property path. */
export function policyStatements(inputs: Record<string, unknown>): Map<string, string[]> {
    const found = new Map<string, string[]>();
    const walk = (value: unknown, path: string) => {
        const parsed = parseMaybeJson(value);
        if (Array.isArray(parsed)) {
            parsed.forEach((item, i) => walk(item, `${path}[${i}]`));
        } else if (parsed !== null && typeof parsed === "object") {
            const record = parsed as Record<string, unknown>;
            if ("Statement" in record) {
                const statements = ([] as unknown[]).concat(record.Statement ?? []);
                found.set(
                    path,
                    statements.map((s) => canonical(s)),
                );
                return;
            }
            for (const [key, child] of Object.entries(record)) {
                walk(child, path ? `${path}.${key}` : key);
            }
        }
    };
    walk(inputs, "");
    return found;
}

function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

interface IngressRule {
    group: string;
    protocol: string;
    from: number;
    to: number;
    cidr: string;
}

const PUBLIC = new Set(["0.0.0.0/0", "::/0"]);

function ipv4(cidr: string): [number, number] | undefined {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!match) {
        return undefined;
    }
    const address = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
    return [address, Number(match[5])];
}

/** Whether every address of `inner` is in `outer` (IPv6 only when equal or `::/0`). */
function contains(outer: string, inner: string): boolean {
    if (outer === inner || (outer === "0.0.0.0/0" && inner.includes(".")) || (outer === "::/0" && inner.includes(":"))) {
        return true;
    }
    const a = ipv4(outer);
    const b = ipv4(inner);
    if (!a || !b || b[1] < a[1]) {
        return false;
    }
    const block = 2 ** (32 - a[1]);
    return Math.floor(a[0] / block) === Math.floor(b[0] / block);
}

function isPrivate(cidr: string): boolean {
    return (
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].some((range) => contains(range, cidr)) || /^f[cd]/i.test(cidr)
    );
}

function asArray(value: unknown): unknown[] {
    const parsed = parseMaybeJson(value);
    return Array.isArray(parsed) ? parsed : parsed === undefined || parsed === null ? [] : [parsed];
}

function port(value: unknown, fallback: number): number {
    return typeof value === "number" ? value : fallback;
}

/** Ingress CIDR rules of a stack, inline or as their own resources, by security group. */
function ingressRules(resources: PlannedResource[]): IngressRule[] {
    const rules: IngressRule[] = [];
    const add = (group: unknown, rule: Record<string, unknown>, cidrs: unknown[]) => {
        for (const cidr of cidrs) {
            if (typeof cidr === "string" && cidr !== UNKNOWN_PLACEHOLDER) {
                const protocol = String(rule.protocol ?? rule.ipProtocol ?? "-1");
                const all = protocol === "-1" || protocol === "all";
                rules.push({
                    group: String(group),
                    protocol: all ? "all" : protocol,
                    from: all ? 0 : port(rule.fromPort, 0),
                    to: all ? 65535 : port(rule.toPort, 65535),
                    cidr,
                });
            }
        }
    };
    for (const r of resources) {
        const inputs = r.inputs as Record<string, unknown>;
        if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
            for (const rule of asArray(inputs.ingress) as Record<string, unknown>[]) {
                add(r.urn, rule, [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks)]);
            }
        } else if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
            add(
                inputs.securityGroupId,
                inputs,
                [inputs.cidrIpv4, inputs.cidrIpv6].filter((c) => c !== undefined),
            );
        } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && inputs.type === "ingress") {
            add(inputs.securityGroupId, inputs, [...asArray(inputs.cidrBlocks), ...asArray(inputs.ipv6CidrBlocks)]);
        }
    }
    return rules;
}

function describePorts(rule: IngressRule): string {
    if (rule.protocol === "all") {
        return "all traffic";
    }
    return `${rule.protocol} ${rule.from === rule.to ? rule.from : `${rule.from}-${rule.to}`}`;
}

/**
 * Ingress that the head allows and the base did not: a rule whose source is not inside a source
 * the same group already allowed for those ports. New groups count only when they open to a
 * public source (a new service reachable from its VPC is not news; one reachable from anywhere is).
 */
function openedIngress(base: PlannedStack | undefined, head: PlannedStack | undefined): IngressRule[] {
    const before = ingressRules(base?.resources ?? []);
    const groups = new Set(before.map((r) => r.group));
    for (const r of base?.resources ?? []) {
        groups.add(r.urn);
    }
    return ingressRules(head?.resources ?? []).filter((rule) => {
        const covered = before.some(
            (old) =>
                old.group === rule.group &&
                (old.protocol === "all" || old.protocol === rule.protocol) &&
                old.from <= rule.from &&
                old.to >= rule.to &&
                contains(old.cidr, rule.cidr),
        );
        return !covered && (groups.has(rule.group) || !isPrivate(rule.cidr));
    });
}

function label(change: ResourceChange): string {
    return `${change.type.split(":").pop()} ${change.name}`;
}

/** The headlines a reviewer must see first, for one stack's diff. */
export function dangersOf(diff: StackDiff, base: PlannedStack | undefined, head: PlannedStack | undefined): Danger[] {
    const stack = `${diff.project}/${diff.stack}`;
    const dangers: Danger[] = [];
    const baseByUrn = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
    const headByUrn = new Map((head?.resources ?? []).map((r) => [r.urn, r]));
    for (const change of diff.changes) {
        const stateful = change.type in STATEFUL;
        if (change.kind === "remove" && (change.protect || stateful) && !change.rename?.keptByAlias) {
            const why = change.protect ? "protected" : "stateful";
            const hint = change.rename ? ` (looks renamed to ${change.rename.to.split("::").pop()}: add aliases to keep it)` : "";
            dangers.push({
                kind: "stateful-removed",
                stack,
                urn: change.urn,
                headline: `${stack}: deletes ${why} ${label(change)}${hint}`,
            });
        }
        if (change.kind === "change" && stateful) {
            const forcing = change.properties.filter(
                (p) => STATEFUL[change.type].includes(p.path.split(/[.[]/)[0]) && p.before !== undefined,
            );
            if (forcing.length > 0) {
                dangers.push({
                    kind: "replacement",
                    stack,
                    urn: change.urn,
                    headline: `${stack}: replaces ${change.protect ? "protected " : ""}${label(change)} (changes ${forcing.map((p) => p.path).join(", ")})`,
                });
            }
        }
        const oldDocs = policyStatements(baseByUrn.get(change.urn)?.inputs ?? {});
        const newDocs = policyStatements(headByUrn.get(change.urn)?.inputs ?? {});
        const oldStatements = [...oldDocs.values()].flat();
        const newStatements = [...newDocs.values()].flat();
        const added = newStatements.filter((s) => !oldStatements.includes(s));
        const removed = oldStatements.filter((s) => !newStatements.includes(s));
        if (added.length + removed.length > 0) {
            dangers.push({
                kind: "policy-statements",
                stack,
                urn: change.urn,
                headline: `${stack}: ${label(change)} policy: ${added.length} statement(s) added, ${removed.length} removed`,
                statements: { added: added.map((s) => JSON.parse(s)), removed: removed.map((s) => JSON.parse(s)) },
            });
        }
    }
    for (const rule of openedIngress(base, head)) {
        const where = rule.group.startsWith("urn:") ? rule.group.split("::").pop() : rule.group;
        dangers.push({
            kind: "network-opened",
            stack,
            headline: `${stack}: security group ${where} opens ${describePorts(rule)} to ${rule.cidr}${PUBLIC.has(rule.cidr) ? " (anywhere)" : ""}`,
        });
    }
    if (diff.stack === "prod" && diff.changes.length > 0) {
        const count = (kind: ResourceChange["kind"]) => diff.changes.filter((c) => c.kind === kind).length;
        dangers.push({
            kind: "prod-change",
            stack,
            headline: `${stack}: changes prod (${count("add")} to add, ${count("remove")} to remove, ${count("change")} to change)`,
        });
    }
    return dangers;
}

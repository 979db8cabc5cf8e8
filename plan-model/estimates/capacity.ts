/**
 * How many PR environments the shared test platform holds at once: for every quota a `pr-<n>`
 * consumes, the use of one PR (counted from its synthesized stack), the platform's fixed use
 * (counted from `platform/test`, plus `workloads/test` taken as one more PR-sized environment where
 * it shares the quota), the limit (the default from quotas.ts, a Service Quotas request the
 * platform makes, or one derived from the platform's sizing), and how many live PRs fit.
 */
import type { PlannedResource, PlannedStack } from "../types";
import { arrayAt, numberAt, stringAt, valueAt } from "./inputs";
import {
    allocatable,
    DAEMONSET_PODS_PER_NODE,
    LAMBDA_UNRESERVED_MINIMUM,
    NODE_TYPES,
    NodeType,
    OPENSEARCH_SHARDS_PER_DATA_NODE,
    POSTGRES_INSTANCE_MEMORY_GIB,
    POSTGRES_MAX_CONNECTIONS_BY_MEMORY_GIB,
    POSTGRES_RESERVED_CONNECTIONS,
    QUOTAS,
    QUOTAS_AS_OF,
    QuotaId,
    REMOTE_COMPONENT_CHILDREN,
    RUNTIME_USE,
} from "./quotas";
import type { CapacityEstimate, CapacityRow } from "./types";

const PR_STACK = /^pr-\d+$/;
const SERVICE_QUOTA = "aws:servicequotas/serviceQuota:ServiceQuota";

const count = (stack: PlannedStack, type: string) => stack.resources.filter((r) => r.type === type).length;
const ofType = (stack: PlannedStack, type: string) => stack.resources.filter((r) => r.type === type);
const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);

function remoteChildren(stack: PlannedStack, kind: "roles" | "securityGroups"): number {
    return sum(stack.resources.map((r) => REMOTE_COMPONENT_CHILDREN[r.type]?.[kind] ?? 0));
}

/** Kubernetes CPU quantity in cores ("500m", "2"). */
export function cpuCores(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** Kubernetes memory quantity in MiB ("512Mi", "4Gi", "1G"). */
export function memoryMiB(quantity: string): number {
    const match = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
    if (!match) return NaN;
    const factor: Record<string, number> = {
        Ki: 1 / 1024,
        Mi: 1,
        Gi: 1024,
        Ti: 1024 * 1024,
        k: 1000 / 1048576,
        M: 1e6 / 1048576,
        G: 1e9 / 1048576,
        T: 1e12 / 1048576,
    };
    return Number(match[1]) * (match[2] ? factor[match[2]] : 1 / 1048576);
}

interface NamespaceUse {
    pods: number;
    cpu: number;
    memoryMiB: number;
    namespaces: number;
}

/** What a stack's namespaces may claim: their ResourceQuotas' hard pods and requests. */
function namespaceUse(stack: PlannedStack): NamespaceUse {
    const quotas = ofType(stack, "kubernetes:core/v1:ResourceQuota");
    const hard = (r: PlannedResource, key: string) => (valueAt(r.inputs, "spec.hard") as Record<string, string> | undefined)?.[key];
    return {
        pods: sum(quotas.map((q) => Number(hard(q, "pods") ?? 0))),
        cpu: sum(quotas.map((q) => cpuCores(hard(q, "requests.cpu") ?? "0"))),
        memoryMiB: sum(quotas.map((q) => memoryMiB(hard(q, "requests.memory") ?? "0"))),
        namespaces: count(stack, "kubernetes:core/v1:Namespace"),
    };
}

interface LambdaUse {
    /** Hyperplane ENIs: one per subnet for every security-group set not shared with other environments. */
    ownEnis: number;
    /** Subnet x security-group combinations the stack's functions share with every other PR. */
    sharedEnis: number;
    concurrency: number;
}

/** A function's VPC ENIs are per (subnet, security group set); a group created in the stack is this environment's alone. */
function lambdaUse(stack: PlannedStack): LambdaUse {
    const own = new Set(ofType(stack, "aws:ec2/securityGroup:SecurityGroup").map((r) => r.urn));
    let ownEnis = 0;
    let sharedEnis = 0;
    let concurrency = 0;
    for (const fn of ofType(stack, "aws:lambda/function:Function")) {
        concurrency += Math.max(0, numberAt(fn, "reservedConcurrentExecutions") ?? 0);
        const subnets = arrayAt(fn, "vpcConfig.subnetIds")?.length ?? 0;
        if (subnets === 0) continue;
        if (fn.dependencies.some((urn) => own.has(urn))) ownEnis += subnets;
        else sharedEnis += subnets;
    }
    return { ownEnis, sharedEnis, concurrency };
}

/** Node groups pods of workloads can run on: every group not labelled as the system group. */
function workloadNodeGroups(platform: PlannedStack): { maxNodes: number; type: NodeType; instanceType: string }[] {
    return ofType(platform, "aws:eks/nodeGroup:NodeGroup")
        .filter((g) => !Object.values((valueAt(g.inputs, "labels") as Record<string, string>) ?? {}).includes("system"))
        .map((g) => {
            const types = (arrayAt(g, "instanceTypes") as string[] | undefined) ?? [];
            // A group of several types is as small as its smallest.
            const known = types.filter((t) => NODE_TYPES[t] !== undefined).sort((a, b) => NODE_TYPES[a].maxPods - NODE_TYPES[b].maxPods);
            return {
                maxNodes: numberAt(g, "scalingConfig.maxSize") ?? 0,
                instanceType: known[0] ?? types[0] ?? "?",
                type: NODE_TYPES[known[0]],
            };
        });
}

function allNodeGroups(platform: PlannedStack): { maxNodes: number; type?: NodeType }[] {
    return ofType(platform, "aws:eks/nodeGroup:NodeGroup").map((g) => {
        const types = (arrayAt(g, "instanceTypes") as string[] | undefined) ?? [];
        return { maxNodes: numberAt(g, "scalingConfig.maxSize") ?? 0, type: types.map((t) => NODE_TYPES[t]).find((t) => t !== undefined) };
    });
}

function privateSubnetAddresses(platform: PlannedStack): number | undefined {
    const vpc = platform.resources.find((r) => r.type === "awsx:ec2:Vpc");
    if (!vpc) return undefined;
    const specs = (arrayAt(vpc, "subnetSpecs") as { type?: string; cidrMask?: number }[] | undefined) ?? [];
    const mask = specs.find((s) => s.type === "Private")?.cidrMask;
    const azs = numberAt(vpc, "numberOfAvailabilityZones") ?? arrayAt(vpc, "availabilityZoneNames")?.length ?? 3;
    // AWS keeps 5 addresses of every subnet.
    return mask === undefined ? undefined : azs * (2 ** (32 - mask) - 5);
}

function postgresMaxConnections(platform: PlannedStack): { value?: number; basis: string } {
    const explicit = ofType(platform, "aws:rds/parameterGroup:ParameterGroup")
        .flatMap((g) => (arrayAt(g, "parameters") as { name?: string; value?: string }[] | undefined) ?? [])
        .find((p) => p.name === "max_connections");
    if (explicit?.value !== undefined && /^\d+$/.test(explicit.value)) {
        return { value: Number(explicit.value), basis: "max_connections set in the parameter group" };
    }
    const instance = ofType(platform, "aws:rds/instance:Instance").find((r) => r.inputs.replicateSourceDb === undefined);
    const instanceClass = instance && stringAt(instance, "instanceClass");
    const memory = instanceClass === undefined ? undefined : POSTGRES_INSTANCE_MEMORY_GIB[instanceClass];
    const value = memory === undefined ? undefined : POSTGRES_MAX_CONNECTIONS_BY_MEMORY_GIB[memory];
    return { value, basis: `RDS default for ${instanceClass ?? "an unknown class"} (${memory ?? "?"} GiB)` };
}

function interfaceEnis(platform: PlannedStack): number {
    const azs = 3;
    const endpoints = ofType(platform, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
        (r) => stringAt(r, "vpcEndpointType") !== "Gateway",
    ).length;
    const balancers = count(platform, "aws:lb/loadBalancer:LoadBalancer");
    const databases = count(platform, "aws:rds/instance:Instance");
    const search = sum(ofType(platform, "aws:opensearch/domain:Domain").map((d) => numberAt(d, "clusterConfig.instanceCount") ?? 1));
    const vpc = platform.resources.find((r) => r.type === "awsx:ec2:Vpc");
    const nats =
        vpc === undefined
            ? 0
            : stringAt(vpc, "natGateways.strategy") === "Single"
              ? 1
              : stringAt(vpc, "natGateways.strategy") === "None"
                ? 0
                : azs;
    const nodes = sum(allNodeGroups(platform).map((g) => g.maxNodes * (g.type?.enis ?? 3)));
    return (endpoints + balancers) * azs + databases + search + nats + nodes + RUNTIME_USE.eksControlPlaneEnis;
}

interface RowInput {
    quota: QuotaId;
    perPullRequest: number;
    platformFixed: number;
    /** A limit derived from the platform's sizing (undefined when the tables cannot derive it). */
    derivedLimit?: number;
    basis: string;
}

function requestedQuotas(platform: PlannedStack): Map<string, number> {
    const requested = new Map<string, number>();
    for (const r of ofType(platform, SERVICE_QUOTA)) {
        const value = numberAt(r, "value");
        if (value !== undefined) requested.set(`${stringAt(r, "serviceCode")}/${stringAt(r, "quotaCode")}`, value);
    }
    return requested;
}

function rowInputs(pr: PlannedStack, platform: PlannedStack): RowInput[] {
    const test = "workloads/test counted as one more PR-sized environment";
    const prLambda = lambdaUse(pr);
    const platformLambda = lambdaUse(platform);
    const prNs = namespaceUse(pr);
    const platformNs = namespaceUse(platform);
    const workerInstances = prLambda.concurrency;
    const groups = workloadNodeGroups(platform);
    const typed = groups.filter((g) => g.type !== undefined);
    const nodeLimit = (per: (t: NodeType) => number) =>
        typed.length === groups.length && groups.length > 0 ? sum(typed.map((g) => g.maxNodes * per(g.type))) : undefined;
    const nodes = groups.map((g) => `${g.maxNodes} x ${g.instanceType}`).join(" + ") || "no workload node group";
    const domains = ofType(platform, "aws:opensearch/domain:Domain");
    const dataNodes = sum(domains.map((d) => numberAt(d, "clusterConfig.instanceCount") ?? 1));
    const connections = postgresMaxConnections(platform);
    const addresses = privateSubnetAddresses(platform);
    const ruleCount = (s: PlannedStack) => count(s, "aws:lb/listenerRule:ListenerRule");
    const groupCount = (s: PlannedStack) => count(s, "aws:lb/targetGroup:TargetGroup");

    return [
        {
            quota: "albRules",
            perPullRequest: ruleCount(pr),
            platformFixed: ruleCount(platform),
            basis: "listener rules in the stacks (both test ALBs counted together)",
        },
        {
            quota: "albTargetGroups",
            perPullRequest: groupCount(pr),
            platformFixed: groupCount(platform),
            basis: "target groups in the stacks (both test ALBs counted together)",
        },
        {
            quota: "regionTargetGroups",
            perPullRequest: groupCount(pr),
            platformFixed: groupCount(platform),
            basis: "target groups in the stacks",
        },
        {
            quota: "iamRoles",
            perPullRequest: count(pr, "aws:iam/role:Role"),
            platformFixed:
                count(platform, "aws:iam/role:Role") +
                remoteChildren(platform, "roles") +
                RUNTIME_USE.awsManagedRoles +
                count(pr, "aws:iam/role:Role"),
            basis: `roles in the stacks, eks.Cluster's own, ${RUNTIME_USE.awsManagedRoles} AWS-created; ${test}`,
        },
        {
            quota: "securityGroups",
            perPullRequest: count(pr, "aws:ec2/securityGroup:SecurityGroup"),
            platformFixed:
                count(platform, "aws:ec2/securityGroup:SecurityGroup") +
                count(platform, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup") +
                remoteChildren(platform, "securityGroups") +
                count(pr, "aws:ec2/securityGroup:SecurityGroup") +
                1,
            basis: `security groups in the stacks and remote components; ${test} with its own worker group`,
        },
        {
            quota: "networkInterfaces",
            perPullRequest: prLambda.ownEnis,
            platformFixed: interfaceEnis(platform) + platformLambda.ownEnis + prLambda.sharedEnis + 3,
            basis: "interface endpoints, ALBs, RDS, OpenSearch, NAT, nodes at max size x their ENIs, EKS; Lambda ENIs per (subnet, security group); workloads/test's worker (3)",
        },
        {
            quota: "lambdaVpcEnis",
            perPullRequest: prLambda.ownEnis,
            platformFixed: platformLambda.ownEnis + prLambda.sharedEnis + 3,
            basis: "one Hyperplane ENI per subnet for each security-group set: a PR's own group adds 3, the shared PR group adds 3 once; workloads/test's worker (3)",
        },
        {
            quota: "lambdaConcurrency",
            perPullRequest: prLambda.concurrency,
            platformFixed: LAMBDA_UNRESERVED_MINIMUM + platformLambda.concurrency + prLambda.concurrency,
            basis: `reserved concurrency of the functions; ${LAMBDA_UNRESERVED_MINIMUM} must stay unreserved; ${test}`,
        },
        {
            quota: "kmsKeys",
            perPullRequest: count(pr, "aws:kms/key:Key"),
            platformFixed: count(platform, "aws:kms/key:Key") + count(pr, "aws:kms/key:Key"),
            basis: `KMS keys in the stacks; ${test}`,
        },
        {
            quota: "dynamodbTables",
            perPullRequest: count(pr, "aws:dynamodb/table:Table"),
            platformFixed: count(platform, "aws:dynamodb/table:Table") + count(pr, "aws:dynamodb/table:Table"),
            basis: `tables in the stacks; ${test}`,
        },
        {
            quota: "route53Records",
            perPullRequest: count(pr, "aws:route53/record:Record"),
            platformFixed: count(platform, "aws:route53/record:Record"),
            basis: "records in the stacks (both test zones counted together)",
        },
        {
            quota: "opensearchShards",
            perPullRequest: pr.resources.some((r) => r.type === "aws:lambda/function:Function")
                ? RUNTIME_USE.opensearchIndicesPerEnvironment * RUNTIME_USE.opensearchShardsPerIndex
                : 0,
            platformFixed:
                RUNTIME_USE.opensearchSystemShards + RUNTIME_USE.opensearchIndicesPerEnvironment * RUNTIME_USE.opensearchShardsPerIndex,
            derivedLimit: dataNodes > 0 ? dataNodes * OPENSEARCH_SHARDS_PER_DATA_NODE : undefined,
            basis: `${dataNodes} data node(s) x ${OPENSEARCH_SHARDS_PER_DATA_NODE}; one index per environment, 1 primary + 1 replica; ${RUNTIME_USE.opensearchSystemShards} system shards; ${test}`,
        },
        {
            quota: "postgresConnections",
            perPullRequest: workerInstances * RUNTIME_USE.postgresConnectionsPerWorkerInstance,
            platformFixed: POSTGRES_RESERVED_CONNECTIONS + workerInstances * RUNTIME_USE.postgresConnectionsPerWorkerInstance,
            derivedLimit: connections.value,
            basis: `${connections.basis}; the worker's reserved concurrency x ${RUNTIME_USE.postgresConnectionsPerWorkerInstance} connection; ${POSTGRES_RESERVED_CONNECTIONS} reserved by RDS; ${test}`,
        },
        {
            quota: "podIps",
            perPullRequest: prNs.pods,
            platformFixed: interfaceEnis(platform) + prNs.pods,
            derivedLimit: addresses,
            basis: `private subnets' addresses; a PR's namespace quota of pods; other ENIs' addresses; ${test}`,
        },
        {
            quota: "podsPerNode",
            perPullRequest: prNs.pods,
            platformFixed: platformNs.pods + prNs.pods,
            derivedLimit: nodeLimit((t) => t.maxPods - DAEMONSET_PODS_PER_NODE),
            basis: `${nodes} (max sizes) x (max pods - ${DAEMONSET_PODS_PER_NODE} DaemonSet pods); a PR's namespace quota of pods; ${test}`,
        },
        {
            quota: "namespaceCpu",
            perPullRequest: prNs.cpu,
            platformFixed: platformNs.cpu + prNs.cpu,
            derivedLimit: nodeLimit((t) => allocatable(t).cpuMillis / 1000),
            basis: `${nodes} (max sizes) x allocatable vCPU; a PR's namespace quota of requests.cpu; ${test}`,
        },
        {
            quota: "namespaceMemory",
            perPullRequest: prNs.memoryMiB / 1024,
            platformFixed: (platformNs.memoryMiB + prNs.memoryMiB) / 1024,
            derivedLimit: nodeLimit((t) => allocatable(t).memoryMiB / 1024),
            basis: `${nodes} (max sizes) x allocatable GiB; a PR's namespace quota of requests.memory; ${test}`,
        },
        {
            quota: "namespaces",
            perPullRequest: prNs.namespaces,
            platformFixed: platformNs.namespaces + count(platform, "kubernetes:helm.sh/v3:Release") + 4 + prNs.namespaces,
            basis: `namespaces in the stacks, one per Helm release, 4 built in (default, kube-system, kube-public, kube-node-lease); ${test}`,
        },
    ];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The capacity of a plan that holds a `pr-<n>` workloads stack and its platform; undefined otherwise. */
export function estimateCapacity(stacks: PlannedStack[]): CapacityEstimate | undefined {
    const pr = stacks.find((s) => s.project === "workloads" && PR_STACK.test(s.stack));
    const platform = stacks.find((s) => s.project === "platform" && s.stack === "test");
    if (!pr || !platform) return undefined;
    const requested = requestedQuotas(platform);
    const unknown: string[] = [];
    const rows: CapacityRow[] = [];
    for (const input of rowInputs(pr, platform)) {
        const quota = QUOTAS[input.quota];
        const requestedValue = quota.serviceCode && quota.quotaCode ? requested.get(`${quota.serviceCode}/${quota.quotaCode}`) : undefined;
        const limit = requestedValue ?? input.derivedLimit ?? quota.defaultValue;
        if (limit === undefined || !Number.isFinite(limit)) {
            unknown.push(`${quota.name}: ${input.basis}`);
            continue;
        }
        const fits = input.perPullRequest > 0 ? Math.max(0, Math.floor((limit - input.platformFixed) / input.perPullRequest)) : null;
        rows.push({
            quota: input.quota,
            name: quota.name,
            scope: quota.scope,
            perPullRequest: round(input.perPullRequest),
            platformFixed: round(input.platformFixed),
            limit: round(limit),
            limitFrom: requestedValue !== undefined ? "requested" : input.derivedLimit !== undefined ? "derived" : "default",
            fits,
            basis: input.basis,
            source: quota.source,
        });
    }
    rows.sort((a, b) => (a.fits ?? Infinity) - (b.fits ?? Infinity));
    const bounded = rows.filter((r) => r.fits !== null);
    const ceiling = bounded.length > 0 ? Math.min(...bounded.map((r) => r.fits!)) : 0;
    return {
        platform: `${platform.project}/${platform.stack}`,
        pullRequestStack: `${pr.project}/${pr.stack}`,
        livePullRequests: ceiling,
        limitedBy: bounded.filter((r) => r.fits === ceiling).map((r) => r.quota),
        rows,
        quotasAsOf: QUOTAS_AS_OF,
        unknown,
    };
}

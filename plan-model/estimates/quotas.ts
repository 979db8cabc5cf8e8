/**
 * The quotas PR environments consume on the shared test platform: AWS default quotas, the
 * Kubernetes and engine limits that act like quotas, and the instance facts the derived limits
 * (connections, shards, pods) are computed from. Every figure names its public source and the
 * date it was read; a quota increase the platform requests through Service Quotas replaces the
 * default (capacity.ts reads `aws:servicequotas/serviceQuota:ServiceQuota` from the platform plan).
 */

export const QUOTAS_AS_OF = "2026-11-30";

const ELB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html";
const IAM = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const VPC = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
const KMS = "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html";
const DYNAMODB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html";
const ROUTE53 = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html";
const OPENSEARCH = "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html";
const RDS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections";
const EKS_PODS = "https://github.com/awslabs/amazon-eks-ami/blob/main/templates/shared/runtime/eni-max-pods.txt";
const K8S_THRESHOLDS = "https://github.com/kubernetes/community/blob/master/sig-scalability/configs-and-limits/thresholds.md";

export type QuotaId =
    | "albRules"
    | "albTargetGroups"
    | "regionTargetGroups"
    | "iamRoles"
    | "securityGroups"
    | "networkInterfaces"
    | "lambdaVpcEnis"
    | "lambdaConcurrency"
    | "kmsKeys"
    | "dynamodbTables"
    | "route53Records"
    | "opensearchShards"
    | "postgresConnections"
    | "podIps"
    | "podsPerNode"
    | "namespaceCpu"
    | "namespaceMemory"
    | "namespaces";

export interface Quota {
    id: QuotaId;
    name: string;
    /** What one unit of the limit is shared by. */
    scope: string;
    /** The default, or undefined for limits derived from the platform's sizing (connections, shards, pods). */
    defaultValue?: number;
    adjustable: boolean;
    /** Service Quotas codes, when the quota can be requested there. */
    serviceCode?: string;
    quotaCode?: string;
    source: string;
}

export const QUOTAS: Record<QuotaId, Quota> = {
    albRules: {
        id: "albRules",
        name: "Rules per Application Load Balancer",
        scope: "test ALBs",
        defaultValue: 100,
        adjustable: true,
        source: ELB,
    },
    albTargetGroups: {
        id: "albTargetGroups",
        name: "Target groups per Application Load Balancer",
        scope: "test ALBs",
        defaultValue: 100,
        adjustable: false,
        source: ELB,
    },
    regionTargetGroups: {
        id: "regionTargetGroups",
        name: "Target groups per Region",
        scope: "test account, us-east-1",
        defaultValue: 3000,
        adjustable: true,
        source: ELB,
    },
    iamRoles: {
        id: "iamRoles",
        name: "IAM roles per account",
        scope: "test account",
        defaultValue: 1000,
        adjustable: true,
        serviceCode: "iam",
        quotaCode: "L-FE177D64",
        source: IAM,
    },
    securityGroups: {
        id: "securityGroups",
        name: "VPC security groups per Region",
        scope: "test account, us-east-1",
        defaultValue: 2500,
        adjustable: true,
        serviceCode: "vpc",
        quotaCode: "L-E79EC296",
        source: VPC,
    },
    networkInterfaces: {
        id: "networkInterfaces",
        name: "Network interfaces per Region",
        scope: "test account, us-east-1",
        defaultValue: 5000,
        adjustable: true,
        serviceCode: "vpc",
        quotaCode: "L-DF5E4CA3",
        source: VPC,
    },
    lambdaVpcEnis: {
        id: "lambdaVpcEnis",
        name: "Lambda elastic network interfaces per VPC",
        scope: "test VPC",
        defaultValue: 250,
        adjustable: true,
        source: LAMBDA,
    },
    lambdaConcurrency: {
        id: "lambdaConcurrency",
        name: "Lambda concurrent executions (reservable: all but 100)",
        scope: "test account, us-east-1",
        defaultValue: 1000,
        adjustable: true,
        serviceCode: "lambda",
        quotaCode: "L-B99A9384",
        source: LAMBDA,
    },
    kmsKeys: {
        id: "kmsKeys",
        name: "KMS customer managed keys per Region",
        scope: "test account, us-east-1",
        defaultValue: 100_000,
        adjustable: true,
        source: KMS,
    },
    dynamodbTables: {
        id: "dynamodbTables",
        name: "DynamoDB tables per Region",
        scope: "test account, us-east-1",
        defaultValue: 2500,
        adjustable: true,
        source: DYNAMODB,
    },
    route53Records: {
        id: "route53Records",
        name: "Route 53 records per hosted zone",
        scope: "test public zone",
        defaultValue: 10_000,
        adjustable: true,
        source: ROUTE53,
    },
    opensearchShards: {
        id: "opensearchShards",
        name: "OpenSearch shards (1,000 per data node)",
        scope: "shared test domain",
        adjustable: false,
        source: OPENSEARCH,
    },
    postgresConnections: {
        id: "postgresConnections",
        name: "PostgreSQL max_connections",
        scope: "shared test instance",
        adjustable: true,
        source: RDS,
    },
    podIps: { id: "podIps", name: "Pod IPs (private subnet addresses)", scope: "test VPC private subnets", adjustable: false, source: VPC },
    podsPerNode: {
        id: "podsPerNode",
        name: "Pods (max pods per node x max nodes)",
        scope: "test cluster workload node groups",
        adjustable: true,
        source: EKS_PODS,
    },
    namespaceCpu: {
        id: "namespaceCpu",
        name: "Namespace CPU requests (quota totals)",
        scope: "test cluster workload node groups",
        adjustable: true,
        source: EKS_PODS,
    },
    namespaceMemory: {
        id: "namespaceMemory",
        name: "Namespace memory requests (quota totals)",
        scope: "test cluster workload node groups",
        adjustable: true,
        source: EKS_PODS,
    },
    namespaces: {
        id: "namespaces",
        name: "Namespaces per cluster (scalability threshold)",
        scope: "test cluster",
        defaultValue: 10_000,
        adjustable: false,
        source: K8S_THRESHOLDS,
    },
};

/** Lambda keeps this much of the account's concurrency unreserved ("UnreservedConcurrentExecution" minimum). */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** OpenSearch's cluster.max_shards_per_node default. */
export const OPENSEARCH_SHARDS_PER_DATA_NODE = 1000;
/** Connections RDS keeps for superusers (superuser_reserved_connections 3 + rds.rds_superuser_reserved_connections 2). */
export const POSTGRES_RESERVED_CONNECTIONS = 5;

/**
 * Default max_connections, LEAST(DBInstanceClassMemory/9531392, 5000), as RDS for PostgreSQL reports
 * it (`SHOW max_connections`) per memory size: 2 GiB 198, 4 GiB 413, 8 GiB 856, 16 GiB 1,722.
 */
export const POSTGRES_MAX_CONNECTIONS_BY_MEMORY_GIB: Record<number, number> = {
    1: 87,
    2: 198,
    4: 413,
    8: 856,
    16: 1722,
    32: 3455,
    64: 5000,
};
export const POSTGRES_INSTANCE_MEMORY_GIB: Record<string, number> = {
    "db.t4g.micro": 1,
    "db.t4g.small": 2,
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.t4g.xlarge": 16,
    "db.m7g.large": 8,
    "db.m7g.xlarge": 16,
    "db.r7g.large": 16,
    "db.r6g.large": 16,
    "db.r6g.xlarge": 32,
};

/**
 * Node facts for pod capacity: vCPU, memory, and max pods with the VPC CNI's default secondary-IP
 * mode (ENIs x (IPv4 per ENI - 1) + 2, amazon-eks-ami eni-max-pods.txt).
 */
export interface NodeType {
    vcpu: number;
    memoryGiB: number;
    maxPods: number;
    /** Network interfaces the instance type attaches at most (each node's VPC CNI uses them all under load). */
    enis: number;
}
export const NODE_TYPES: Record<string, NodeType> = {
    "t4g.medium": { vcpu: 2, memoryGiB: 4, maxPods: 17, enis: 3 },
    "t4g.large": { vcpu: 2, memoryGiB: 8, maxPods: 35, enis: 3 },
    "m6g.large": { vcpu: 2, memoryGiB: 8, maxPods: 29, enis: 3 },
    "m7g.large": { vcpu: 2, memoryGiB: 8, maxPods: 29, enis: 3 },
    "m6i.large": { vcpu: 2, memoryGiB: 8, maxPods: 29, enis: 3 },
    "m7i.large": { vcpu: 2, memoryGiB: 8, maxPods: 29, enis: 3 },
    "m7g.xlarge": { vcpu: 4, memoryGiB: 16, maxPods: 58, enis: 4 },
    "m6g.xlarge": { vcpu: 4, memoryGiB: 16, maxPods: 58, enis: 4 },
    "c7g.large": { vcpu: 2, memoryGiB: 4, maxPods: 29, enis: 3 },
    "r7g.large": { vcpu: 2, memoryGiB: 16, maxPods: 29, enis: 3 },
};
/** DaemonSet pods on every node: aws-node, kube-proxy, eks-pod-identity-agent, ebs-csi-node. */
export const DAEMONSET_PODS_PER_NODE = 4;

/**
 * What EKS's AL2023 AMI reserves on a node (kube-reserved + eviction threshold): CPU 6% of the
 * first core, 1% of the second, 0.5% of the next two; memory 255 MiB + 11 MiB per pod, plus 100 MiB.
 */
export function allocatable(node: NodeType): { cpuMillis: number; memoryMiB: number } {
    const cores = [60, 10, 5, 5];
    const reservedCpu = cores.slice(0, node.vcpu).reduce((sum, m) => sum + m, 0) + Math.max(0, node.vcpu - 4) * 2.5;
    return { cpuMillis: node.vcpu * 1000 - reservedCpu, memoryMiB: node.memoryGiB * 1024 - (255 + 11 * node.maxPods) - 100 };
}

/**
 * Per-environment usage the plan cannot see (it happens at run time, in code). Each names the
 * code that sets it.
 */
export const RUNTIME_USE = {
    /** Connections one worker instance holds: workloads/worker/postgres.ts (Pool max: 1). */
    postgresConnectionsPerWorkerInstance: 1,
    /** Indices one environment writes: `<prefix>-transactions` (workloads/worker/contract.ts). */
    opensearchIndicesPerEnvironment: 1,
    /** Shards per index: OpenSearch's defaults, 1 primary + 1 replica (counted even when unassigned). */
    opensearchShardsPerIndex: 2,
    /** Shards of OpenSearch's own indices (.kibana, .opendistro-*, .plugins-*) on a fresh domain. */
    opensearchSystemShards: 20,
    /** AWS-created roles in the test account: service-linked roles, Identity Center permission sets. */
    awsManagedRoles: 30,
    /** Interface endpoint, ALB, RDS, OpenSearch and NAT ENIs are counted from the plan; this covers EKS's own (control plane, 2-4). */
    eksControlPlaneEnis: 4,
};

/**
 * What remote components create that the offline plan does not see (only the component registers
 * under mocks): eks.Cluster makes the cluster's service role and its cluster security group; the
 * awsx VPC its default security group.
 */
export const REMOTE_COMPONENT_CHILDREN: Record<string, Partial<Record<"roles" | "securityGroups", number>>> = {
    "eks:index:Cluster": { roles: 1, securityGroups: 1 },
    "awsx:ec2:Vpc": { securityGroups: 1 },
};

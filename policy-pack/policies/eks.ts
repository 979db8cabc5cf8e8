import { PolicyDefinition, Subject, resourcePolicy, sameReads } from "../lib/definition";
import { has, list } from "../lib/values";

const AWS_CLUSTER = "aws:eks/cluster:Cluster";
/** The @pulumi/eks component: offline only its inputs are visible, in a real preview its aws child too. */
const EKS_COMPONENT = "eks:index:Cluster";
export const CLUSTERS = [AWS_CLUSTER, EKS_COMPONENT];

export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** The endpoint settings, from the aws resource's vpcConfig or the component's top-level inputs. */
function endpointAccess(cluster: Subject): { publicAccess: unknown; privateAccess: unknown } {
    const source = cluster.type === AWS_CLUSTER ? (cluster.props.vpcConfig ?? {}) : cluster.props;
    // Both AWS and the component default to a public endpoint and no private one.
    return { publicAccess: source.endpointPublicAccess ?? true, privateAccess: source.endpointPrivateAccess ?? false };
}

function encryptsSecrets(cluster: Subject): boolean {
    if (cluster.type === EKS_COMPONENT) {
        // Presence is what matters: the key's ARN is usually unknown until the key exists.
        return has(cluster.props, "encryptionConfigKeyArn");
    }
    const config = list(cluster.props.encryptionConfig)[0];
    return config !== undefined && list(config.resources).includes("secrets") && has(config.provider ?? {}, "keyArn");
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

export const EKS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "eks-private-endpoint",
        domain: "eks",
        description: "EKS API endpoints are private only (checked on aws:eks/cluster:Cluster and on the eks:index:Cluster component).",
        prevents: "A Kubernetes API server reachable from the internet.",
        severity: "critical",
        remediation:
            "Set endpointPrivateAccess: true and endpointPublicAccess: false. The mgmt bootstrap run that needs a public endpoint uses a dated exemption.",
        level: "mandatory",
        checkov: "CKV_AWS_39",
        trivy: "AVD-AWS-0040",
        types: CLUSTERS,
        reads: {
            [EKS_COMPONENT]: ["endpointPrivateAccess", "endpointPublicAccess"],
            [AWS_CLUSTER]: ["vpcConfig.endpointPrivateAccess", "vpcConfig.endpointPublicAccess"],
        },
        check: (cluster, ctx) => {
            const { publicAccess, privateAccess } = endpointAccess(cluster);
            if (publicAccess !== false) {
                ctx.report(`EKS cluster ${cluster.name} has a public API endpoint.`);
            }
            if (privateAccess !== true) {
                ctx.report(`EKS cluster ${cluster.name} does not enable the private API endpoint.`);
            }
        },
    }),
    resourcePolicy({
        name: "eks-secrets-encryption",
        domain: "eks",
        description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
        prevents: "Kubernetes secrets stored in etcd protected only by EBS encryption.",
        severity: "high",
        remediation:
            'Component: set encryptionConfigKeyArn. aws.eks.Cluster: encryptionConfig { resources: ["secrets"], provider: { keyArn } }.',
        level: "mandatory",
        checkov: "CKV_AWS_58",
        trivy: "AVD-AWS-0039",
        types: CLUSTERS,
        reads: {
            [EKS_COMPONENT]: ["encryptionConfigKeyArn"],
            [AWS_CLUSTER]: ["encryptionConfig.resources", "encryptionConfig.provider.keyArn"],
        },
        check: (cluster, ctx) => {
            if (!encryptsSecrets(cluster)) {
                ctx.report(`EKS cluster ${cluster.name} does not encrypt Kubernetes secrets with KMS.`);
            }
        },
    }),
    resourcePolicy({
        name: "eks-control-plane-logs",
        domain: "eks",
        description:
            "EKS clusters send all control-plane log types (api, audit, authenticator, controllerManager, scheduler) to CloudWatch.",
        prevents: "No audit trail of who did what through the Kubernetes API.",
        severity: "medium",
        remediation: `Set enabledClusterLogTypes: ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}.`,
        level: "mandatory",
        checkov: "CKV_AWS_37",
        trivy: "AVD-AWS-0038",
        types: CLUSTERS,
        reads: sameReads(CLUSTERS, ["enabledClusterLogTypes"]),
        check: (cluster, ctx) => {
            const enabled = list<string>(cluster.props.enabledClusterLogTypes);
            const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
            if (missing.length > 0) {
                ctx.report(`EKS cluster ${cluster.name} does not log ${missing.join(", ")}.`);
            }
        },
    }),
    resourcePolicy({
        name: "eks-node-group-no-remote-access",
        domain: "eks",
        description: "EKS managed node groups have no SSH remote access (nodes are reached through SSM, never an EC2 key pair).",
        prevents: "SSH into nodes from anywhere (remoteAccess without source security groups opens port 22 to 0.0.0.0/0).",
        severity: "high",
        remediation: "Remove remoteAccess from the aws.eks.NodeGroup; use SSM Session Manager for node access.",
        level: "mandatory",
        checkov: "CKV_AWS_100",
        pci: ["1.3.1", "2.2.4"],
        types: [NODE_GROUP],
        reads: { [NODE_GROUP]: ["remoteAccess"] },
        check: (group, ctx) => {
            if (has(group.props, "remoteAccess")) {
                ctx.report(`Node group ${group.name} enables SSH remote access.`);
            }
        },
    }),
];

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { NodeGroupRole, NodeGroupSizing, isGravitonInstanceType } from "./config";
import { arnContext } from "../../lib/pod-identity";

/** The label every node carries, so controllers can be placed on the system group. */
export const NODE_ROLE_LABEL = "node.payments.io/role";

/** Only critical add-ons (which tolerate it) run on the system group. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;
/** Only background work that tolerates interruption opts into spot capacity. */
export const SPOT_TAINT = { key: "node.payments.io/capacity", value: "spot", effect: "NO_SCHEDULE" } as const;

/** Placement values for the platform's own controllers: on the system group, tolerating its taint. */
export const SYSTEM_PLACEMENT = {
    nodeSelector: { [NODE_ROLE_LABEL]: "system" },
    tolerations: [{ key: SYSTEM_TAINT.key, operator: "Equal", value: SYSTEM_TAINT.value, effect: "NoSchedule" }],
};

/** AL2023 for x86 or Graviton, from the instance types (config rejects a group that mixes both). */
export function amiTypeFor(instanceTypes: string[]): "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD" {
    return instanceTypes.every(isGravitonInstanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

export interface NodeGroupsArgs {
    namer: Namer;
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    kubernetesVersion: string;
    /** One private subnet per AZ; the ASG balances each group across them. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    groups: { system: NodeGroupSizing; general: NodeGroupSizing; spot?: NodeGroupSizing };
    rootVolumeSizeGiB: number;
    /** Instance and volume tags: the provider's defaultTags do not reach what the ASG launches. */
    tags: Record<string, string>;
    /** What nodes need before they can become Ready (the CNI and kube-proxy add-ons). */
    after: pulumi.Resource[];
}

/**
 * Managed node groups on our own launch templates (aws.eks.NodeGroup + aws.ec2.LaunchTemplate rather
 * than eks.ManagedNodeGroup): the template is a first-class resource, so IMDSv2, the hop limit and the
 * encrypted gp3 root volume are visible to the policy pack and tests offline.
 */
export class NodeGroups extends pulumi.ComponentResource {
    readonly nodeRole: aws.iam.Role;
    readonly nodeGroups: aws.eks.NodeGroup[];

    constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:NodeGroups", name, {}, opts);
        const { namer } = args;

        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            {
                name: namer.name("eks-node", { kind: "iamRole" }),
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                } satisfies aws.iam.PolicyDocument),
            },
            { parent: this },
        );
        // No CNI policy here: vpc-cni gets its own Pod Identity role, so pods on the node cannot borrow it.
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"];
        const partition = pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).partition);
        const attachments = nodePolicies.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${policy}`,
                    { role: this.nodeRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                    { parent: this },
                ),
        );

        const roles: NodeGroupRole[] = args.groups.spot ? ["system", "general", "spot"] : ["system", "general"];
        this.nodeGroups = roles.map((role) => {
            const sizing = args.groups[role]!;
            const launchTemplate = new aws.ec2.LaunchTemplate(
                `${name}-${role}`,
                {
                    name: namer.name("eks-node", { suffix: role }),
                    description: `EKS ${role} nodes: IMDSv2 only, encrypted gp3 root volume`,
                    updateDefaultVersion: true,
                    metadataOptions: {
                        httpEndpoint: "enabled",
                        httpTokens: "required",
                        // Hop limit 1: pods (one hop away) cannot reach IMDS and the node role's credentials.
                        httpPutResponseHopLimit: 1,
                        instanceMetadataTags: "disabled",
                    },
                    blockDeviceMappings: [
                        {
                            deviceName: "/dev/xvda",
                            ebs: { volumeSize: args.rootVolumeSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                        },
                    ],
                    monitoring: { enabled: true },
                    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                        resourceType,
                        tags: { ...args.tags, Name: namer.name("eks-node", { suffix: role }) },
                    })),
                },
                { parent: this },
            );
            return new aws.eks.NodeGroup(
                `${name}-${role}`,
                {
                    clusterName: args.clusterName,
                    nodeGroupName: namer.name("eks", { suffix: role, kind: "eksNodeGroup" }),
                    version: args.kubernetesVersion,
                    nodeRoleArn: this.nodeRole.arn,
                    subnetIds: args.privateSubnetIds,
                    amiType: amiTypeFor(sizing.instanceTypes),
                    capacityType: role === "spot" ? "SPOT" : "ON_DEMAND",
                    instanceTypes: sizing.instanceTypes,
                    scalingConfig: { minSize: sizing.minSize, desiredSize: sizing.desiredSize, maxSize: sizing.maxSize },
                    updateConfig: { maxUnavailable: 1 },
                    nodeRepairConfig: { enabled: true },
                    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                    labels: { [NODE_ROLE_LABEL]: role },
                    taints: role === "system" ? [SYSTEM_TAINT] : role === "spot" ? [SPOT_TAINT] : [],
                },
                // The Cluster Autoscaler owns the desired size once the group exists.
                { parent: this, dependsOn: [...attachments, ...args.after], ignoreChanges: ["scalingConfig.desiredSize"] },
            );
        });
        this.registerOutputs({});
    }
}

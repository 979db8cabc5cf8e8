import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { PodIdentityRole, arnContext } from "../../../lib/pod-identity";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "cluster-autoscaler" };

export interface ClusterAutoscalerArgs extends ClusterAddonArgs {
    /** Must match the control plane's minor version (versions.ts). */
    imageTag: string;
}

/**
 * Scaling actions only on ASGs EKS tagged as this cluster's (managed node groups carry
 * `k8s.io/cluster-autoscaler/<cluster>=owned`); reads are unscoped because the APIs allow nothing else.
 */
export function clusterAutoscalerPolicy(clusterArn: string, clusterName: string): aws.iam.PolicyDocument {
    const { partition, region, accountId } = arnContext(clusterArn);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "ReadThisClustersNodeGroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`,
            },
            {
                Sid: "ScaleOnlyThisClustersGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    };
}

/** Scales the managed node groups between the min/max sizes the stack file sets. */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ClusterAutoscaler", name, {}, opts);
        const role = new PodIdentityRole(
            "cluster-autoscaler",
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: [CLUSTER_AUTOSCALER_SERVICE_ACCOUNT],
                policy: pulumi
                    .all([args.clusterArn, args.clusterName])
                    .apply(([arn, clusterName]) => clusterAutoscalerPolicy(arn, clusterName)),
            },
            { parent: this },
        );
        pinnedRelease(
            {
                namer: args.namer,
                release: "cluster-autoscaler",
                chart: CHARTS.clusterAutoscaler,
                namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
                values: {
                    cloudProvider: "aws",
                    awsRegion: pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).region),
                    autoDiscovery: { clusterName: args.clusterName },
                    image: { tag: args.imageTag },
                    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.serviceAccount } },
                    extraArgs: { "balance-similar-node-groups": true, expander: "least-waste", "skip-nodes-with-local-storage": false },
                    ...SYSTEM_PLACEMENT,
                },
            },
            { parent: this, provider: args.kubernetes, dependsOn: [role] },
        );
        this.registerOutputs({});
    }
}

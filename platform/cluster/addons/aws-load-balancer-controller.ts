import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FullEnvironment } from "../../../lib/environments";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { PodIdentityRole, arnContext } from "../../../lib/pod-identity";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

export const LBC_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" };

export interface AwsLoadBalancerControllerArgs extends ClusterAddonArgs {
    env: FullEnvironment;
    vpcId: pulumi.Input<string>;
}

/**
 * The ALBs and target groups are Pulumi's (the ingress edge); the controller only binds pods to them
 * through TargetGroupBinding. Its policy therefore grants target registration on this env's target
 * groups and node security-group rules in this VPC, and no right to create load balancers: an
 * Ingress that tried would be denied instead of growing an edge nobody reviewed.
 */
export function loadBalancerControllerPolicy(clusterArn: string, env: FullEnvironment, vpcId: string): aws.iam.PolicyDocument {
    const { partition, region, accountId } = arnContext(clusterArn);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTags",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                Resource: "*",
            },
            {
                Sid: "BindTargets",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                // The environment's own target groups: PRs have none (their hosts share test-pr-gateway's).
                Resource: [`arn:${partition}:elasticloadbalancing:${region}:${accountId}:targetgroup/${env}-*/*`],
            },
            {
                Sid: "NodeSecurityGroupRulesInThisVpc",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                Resource: `arn:${partition}:ec2:${region}:${accountId}:security-group/*`,
                Condition: { ArnEquals: { "ec2:Vpc": `arn:${partition}:ec2:${region}:${accountId}:vpc/${vpcId}` } },
            },
        ],
    };
}

export class AwsLoadBalancerController extends pulumi.ComponentResource {
    constructor(name: string, args: AwsLoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:AwsLoadBalancerController", name, {}, opts);
        const role = new PodIdentityRole(
            "aws-load-balancer-controller",
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: [LBC_SERVICE_ACCOUNT],
                policy: pulumi
                    .all([args.clusterArn, args.vpcId])
                    .apply(([arn, vpcId]) => loadBalancerControllerPolicy(arn, args.env, vpcId)),
            },
            { parent: this },
        );
        pinnedRelease(
            {
                namer: args.namer,
                release: "aws-load-balancer-controller",
                chart: CHARTS.awsLoadBalancerController,
                namespace: LBC_SERVICE_ACCOUNT.namespace,
                values: {
                    clusterName: args.clusterName,
                    // IMDS is out of reach (hop limit 1), so region and VPC are given, not discovered.
                    region: pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).region),
                    vpcId: args.vpcId,
                    replicaCount: 2,
                    serviceAccount: { create: true, name: LBC_SERVICE_ACCOUNT.serviceAccount },
                    enableServiceMutatorWebhook: false,
                    ...SYSTEM_PLACEMENT,
                },
            },
            { parent: this, provider: args.kubernetes, dependsOn: [role] },
        );
        this.registerOutputs({});
    }
}

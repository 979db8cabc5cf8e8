import type { SharedDataServices } from "../lib/data/shared-data";

export type { SharedDataServices };

/**
 * What each platform/<env> stack exports for workloads (and, from mgmt, for the env platforms).
 * Consumers read it only through lib/stack-reference.ts with PLATFORM_OUTPUT_KEYS.
 */
export interface PlatformOutputs {
    environment: string;
    accountId: string;
    region: string;
    vpcId: string;
    vpcCidr: string;
    publicSubnetIds: string[];
    privateSubnetIds: string[];
    isolatedSubnetIds: string[];
    /** `onePerAz`, or `single` where the stack file chose the cost saving (test only). */
    natGatewayStrategy: "onePerAz" | "single";
    clusterName: string;
    clusterEndpoint: string;
    clusterCertificateAuthority: string;
    clusterOidcIssuer: string;
    clusterSecurityGroupId: string;
    /** Secret. */
    kubeconfig: string;
    /** Secret: the Argo CD hub cluster's kubeconfig, re-exported so workloads read only their own platform stack. */
    argocdHubKubeconfig: string;
    argocdNamespace: string;
    /** The hub's Argo CD IAM role (mgmt's value, re-exported by every env): env deployer roles trust it. */
    argocdHubRoleArn: string;
    publicAlbArn: string;
    publicAlbSecurityGroupId: string;
    publicHttpsListenerArn: string;
    internalAlbArn: string;
    internalHttpsListenerArn: string;
    internalAlbSecurityGroupId: string;
    /** Target groups services join through TargetGroupBinding, by service name. */
    targetGroupArns: Record<string, string>;
    cloudfrontDistributionId: string;
    cloudfrontDomainName: string;
    staticAssetsBucket: string;
    staticAssetsBucketArn: string;
    publicWebAclArn: string;
    cloudfrontWebAclArn: string;
    metricsQueryEndpoint: string;
    transitGatewayId: string;
    /** The hub's route tables (mgmt's values, re-exported by every env): mgmt is associated with `hub`, envs with `spokes`. */
    transitGatewayHubRouteTableId: string;
    transitGatewaySpokeRouteTableId: string;
    domainName: string;
    publicZoneId: string;
    privateZoneId: string;
    /** Present in test only. */
    sharedData: SharedDataServices | null;
}

// How the platform's edge routes requests, which workloads follow when they add their own
// routes (a pr-<n> host on the shared ALBs).

/** Path CloudFront and the public ALB send to the payments API. */
export const API_PATH = "/api/*";
/** The host under the env's domain that CloudFront uses as the public ALB's origin. */
export const ALB_ORIGIN_HOST = "origin";
/** Listener rule priorities below this are the platform's; workloads (e.g. pr-<n> hosts) use this and above. */
export const FIRST_WORKLOAD_RULE_PRIORITY = 100;

export const PLATFORM_OUTPUT_KEYS = [
    "environment",
    "accountId",
    "region",
    "vpcId",
    "vpcCidr",
    "publicSubnetIds",
    "privateSubnetIds",
    "isolatedSubnetIds",
    "natGatewayStrategy",
    "clusterName",
    "clusterEndpoint",
    "clusterCertificateAuthority",
    "clusterOidcIssuer",
    "clusterSecurityGroupId",
    "kubeconfig",
    "argocdHubKubeconfig",
    "argocdNamespace",
    "argocdHubRoleArn",
    "publicAlbArn",
    "publicAlbSecurityGroupId",
    "publicHttpsListenerArn",
    "internalAlbArn",
    "internalHttpsListenerArn",
    "internalAlbSecurityGroupId",
    "targetGroupArns",
    "cloudfrontDistributionId",
    "cloudfrontDomainName",
    "staticAssetsBucket",
    "staticAssetsBucketArn",
    "publicWebAclArn",
    "cloudfrontWebAclArn",
    "metricsQueryEndpoint",
    "transitGatewayId",
    "transitGatewayHubRouteTableId",
    "transitGatewaySpokeRouteTableId",
    "domainName",
    "publicZoneId",
    "privateZoneId",
    "sharedData",
] as const satisfies readonly (keyof PlatformOutputs)[];

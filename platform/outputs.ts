/**
 * What each platform/<env> stack exports for workloads (and, from mgmt, for the env platforms).
 * Consumers read it only through lib/stack-reference.ts with PLATFORM_OUTPUT_KEYS.
 */
export interface SharedDataServices {
    /** The test environment's PostgreSQL, shared by workloads/test and every pr-<n>. */
    postgresEndpoint: string;
    postgresPort: number;
    postgresInstanceArn: string;
    postgresResourceId: string;
    postgresSecretArn: string;
    opensearchEndpoint: string;
    opensearchDomainArn: string;
}

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
    /** Test only: the security group every PR's worker shares (one set of Lambda ENIs for all PRs). */
    pullRequestWorkerSecurityGroupId: string | null;
}

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
    "pullRequestWorkerSecurityGroupId",
] as const satisfies readonly (keyof PlatformOutputs)[];

import type { SharedDataServices } from "../lib/data/shared-data";

export type { SharedDataServices };

/** What every platform stack exports, the hub and the environments alike. */
interface CommonPlatformOutputs {
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
    /** Secret: the Argo CD hub cluster's kubeconfig (an env re-exports mgmt's, so workloads read only their own platform stack). */
    argocdHubKubeconfig: string;
    argocdNamespace: string;
    /** The hub's Argo CD IAM role (an env re-exports mgmt's): env deployer roles trust it. */
    argocdHubRoleArn: string;
    metricsQueryEndpoint: string;
    transitGatewayId: string;
    /** The hub's route tables (an env re-exports mgmt's): mgmt is associated with `hub`, envs with `spokes`. */
    transitGatewayHubRouteTableId: string;
    transitGatewaySpokeRouteTableId: string;
    domainName: string;
    publicZoneId: string;
    privateZoneId: string;
}

/**
 * What platform/mgmt (the hub) exports: what the env platforms read from it (Transit Gateway,
 * Argo CD hub, the mgmt VPC). The hub has no public edge and no shared data, so it exports neither.
 * Consumers read it only through lib/stack-reference.ts with HUB_OUTPUT_KEYS.
 */
export type HubOutputs = CommonPlatformOutputs;

/**
 * What platform/<test|preprod|prod> exports for workloads. Consumers read it only through
 * lib/stack-reference.ts with PLATFORM_OUTPUT_KEYS.
 */
export interface PlatformOutputs extends CommonPlatformOutputs {
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
    /** Present in test only. */
    sharedData: SharedDataServices | null;
    /** Test only: the security group every PR's worker shares (one set of Lambda ENIs for all PRs). */
    pullRequestWorkerSecurityGroupId: string | null;
    /**
     * Test only: the function every pr-<n> invokes (with its PR number only) for its database, user
     * and search access; it holds the shared master secret so that no PR stack does.
     */
    pullRequestProvisionerFunctionName: string | null;
    /** The account's logs key (its policy admits CloudWatch Logs for every log group of the account). */
    logsKeyArn: string;
}

// How the platform's edge routes requests, which workloads follow when they add their own
// routes (a pr-<n> host on the shared ALBs).

/** Path CloudFront and the public ALB send to the payments API. */
export const API_PATH = "/api/*";
/** The host under the env's domain that CloudFront uses as the public ALB's origin. */
export const ALB_ORIGIN_HOST = "origin";
/** Listener rule priorities below this are the platform's; workloads use this and above (PR hosts need none: PR_GATEWAY). */
export const FIRST_WORKLOAD_RULE_PRIORITY = 100;

/**
 * The one entry of every PR environment in the env that hosts them (test): a Gateway API gateway
 * (Envoy Gateway, platform/cluster/addons/pr-gateway.ts) that the public ALB forwards all
 * `pr-*.<domain>` hosts to through ONE listener rule and ONE target group. A `pr-<n>` attaches an
 * HTTPRoute from its own namespace, so it needs no listener rule, priority or target group.
 */
export const PR_GATEWAY = {
    /** Envoy Gateway runs the proxies in its own namespace; the Gateway and our Service over the proxies live there too. */
    namespace: "envoy-gateway-system",
    gatewayClass: "pull-requests",
    name: "pull-requests",
    listener: "http",
    /** The port the proxies listen on, the ALB target group's port and the PR services' port. */
    port: 8080,
    /** Envoy Gateway's proxy readiness endpoint, which the ALB health check uses (no route answers a bare IP). */
    readinessPort: 19001,
    readinessPath: "/ready",
    /** Only namespaces carrying this label may attach routes; a PR's namespace sets it to the PR number. */
    namespaceLabel: "payments.io/pull-request",
} as const;

/** Labels Envoy Gateway puts on the proxy pods of one Gateway: what PR namespaces admit HTTP from. */
export const PR_GATEWAY_PROXY_LABELS = {
    "gateway.envoyproxy.io/owning-gateway-name": PR_GATEWAY.name,
    "gateway.envoyproxy.io/owning-gateway-namespace": PR_GATEWAY.namespace,
};

export const HUB_OUTPUT_KEYS = [
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
    "metricsQueryEndpoint",
    "transitGatewayId",
    "transitGatewayHubRouteTableId",
    "transitGatewaySpokeRouteTableId",
    "domainName",
    "publicZoneId",
    "privateZoneId",
] as const satisfies readonly (keyof HubOutputs)[];

export const PLATFORM_OUTPUT_KEYS = [
    ...HUB_OUTPUT_KEYS,
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
    "sharedData",
    "pullRequestWorkerSecurityGroupId",
    "pullRequestProvisionerFunctionName",
    "logsKeyArn",
] as const satisfies readonly (keyof PlatformOutputs)[];

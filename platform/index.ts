import * as pulumi from "@pulumi/pulumi";
import { FOUNDATION_OUTPUT_KEYS, FoundationOutputs } from "../foundation/outputs";
import { ConfigReader } from "../lib/config";
import { AccountName, PULL_REQUEST_PLATFORM, VPC_CIDRS } from "../lib/environments";
import { Namer } from "../lib/naming";
import { accountProvider } from "../lib/provider";
import { ContractReference, stackReferenceName } from "../lib/stack-reference";
import { ClusterPlatform, HubClusterArgs, parseClusterConfig, SpokeClusterArgs } from "./cluster";
import { ARGOCD_SERVER_TARGET } from "./cluster/argocd";
import { CLUSTER_CONFIG_KEY } from "./cluster/config";
import { accountTargetFor, HubConfig, parsePlatformConfig, SpokeConfig } from "./config";
import { DnsZones } from "./edge/dns";
import { HubIngress } from "./edge/hub-ingress";
import { Edge, PR_GATEWAY_TARGET } from "./edge/edge";
import { Network } from "./network";
import { HUB_OUTPUT_KEYS, HubOutputs, PlatformOutputs } from "./outputs";
import { PULL_REQUEST_QUOTAS, ServiceQuotaRequests } from "./service-quotas";
import { PullRequestProvisioner } from "./pull-request-provisioner";
import { SharedData } from "./shared-data";
import { TransitGatewayHub, TransitGatewaySpoke } from "./transit-gateway";
import { VpnRouter } from "./vpn-router";
import { WorkerSecurityGroup } from "../lib/data/worker-security-group";

type StackExports<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const reader = new ConfigReader("platform");
const config = parsePlatformConfig(reader);
const clusterConfig = parseClusterConfig(reader, config.env);
const argocdHostname = clusterConfig.argocd?.hostname;
if (argocdHostname !== undefined && !argocdHostname.endsWith(`.${config.dns.privateZoneName}`)) {
    reader.problem(
        CLUSTER_CONFIG_KEY,
        `argocd.hostname "${argocdHostname}" is not in the private zone ${config.dns.privateZoneName}: no record can point it at the internal ALB, nor can its certificate cover it`,
        `set platform:${CLUSTER_CONFIG_KEY}.argocd.hostname to e.g. argocd.${config.dns.privateZoneName}`,
    );
}
reader.done();

const { env } = config;
const namer = new Namer(env);
const hubEnv = "mgmt";
/** What holds data (keys, buckets) survives a stray destroy in prod and in mgmt (held to prod levels: it deploys prod). */
const protectData = env === "prod" || env === "mgmt";
const hostsPullRequests = env === PULL_REQUEST_PLATFORM;

const foundationStack = stackReferenceName(config.stackOrg, "foundation", "org");
const foundation = new ContractReference<FoundationOutputs>("foundation-org", foundationStack, FOUNDATION_OUTPUT_KEYS);
const accountIds = foundation.require("accountIds");
const foundationAccounts = pulumi
    .all([foundation.require("deploymentRoleArns"), accountIds])
    .apply(([deploymentRoleArns, ids]) => ({ deploymentRoleArns, accountIds: ids }));

/** The explicit provider for one account: its deployment role from foundation/org, the stack's tags. */
function providerFor(name: string, account: AccountName, region: string) {
    const target = accountTargetFor(account, foundationAccounts, foundationStack);
    return {
        accountId: target.accountId,
        roleArn: target.roleArn,
        provider: accountProvider(name, {
            region,
            roleArn: target.roleArn,
            sessionName: `platform-${env}`,
            tags: config.tags,
            allowedAccountIds: [target.accountId],
        }),
    };
}

const { provider, accountId, roleArn: deployRoleArn } = providerFor(namer.name("aws"), config.account, config.region);
const context = { accountId, region: config.region };

const network = new Network(
    namer.name("network"),
    {
        namer,
        context,
        cidrBlock: config.vpcCidr,
        natGateways: config.natGateways,
        flowLogRetentionDays: config.flowLogRetentionDays,
        protect: protectData,
        tags: config.tags,
    },
    { provider },
);

/** What every stack exports the same way; the rest depends on the stack's role. */
const common = {
    environment: env,
    accountId,
    region: config.region,
    vpcId: network.vpcId,
    vpcCidr: config.vpcCidr,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    isolatedSubnetIds: network.isolatedSubnetIds,
    natGatewayStrategy: config.natGateways,
    domainName: config.dns.domainName,
};

/** EKS, its add-ons and Argo CD (platform/cluster): the hub in mgmt, a registered destination elsewhere. */
function clusterPlatform(
    zones: DnsZones,
    role:
        | Pick<HubClusterArgs, "role" | "argocd" | "runners" | "chartRepository" | "argocdServer">
        | Pick<SpokeClusterArgs, "role" | "hub" | "pullRequestGateway">,
): ClusterPlatform {
    return new ClusterPlatform(
        namer.name("cluster"),
        {
            env,
            config: clusterConfig,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            mgmtVpcCidr: VPC_CIDRS[hubEnv],
            deployRoleArn,
            managementAccountId: accountIds.apply((ids) => ids.management),
            privateZoneId: zones.privateZone.zoneId,
            tags: config.tags,
            ...role,
        },
        { provider },
    );
}

/** What every stack exports from its DNS zones and cluster. */
function zoneAndClusterOutputs(zones: DnsZones, cluster: ClusterPlatform) {
    return {
        publicZoneId: zones.publicZone.zoneId,
        privateZoneId: zones.privateZone.zoneId,
        clusterName: cluster.clusterName,
        clusterEndpoint: cluster.clusterEndpoint,
        clusterCertificateAuthority: cluster.clusterCertificateAuthority,
        clusterOidcIssuer: cluster.clusterOidcIssuer,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        kubeconfig: pulumi.secret(cluster.kubeconfig),
        argocdHubKubeconfig: pulumi.secret(cluster.argocdHubKubeconfig),
        argocdNamespace: cluster.argocdNamespace,
        argocdHubRoleArn: cluster.argocdHubRoleArn,
        metricsQueryEndpoint: cluster.metricsQueryEndpoint,
    };
}

/** platform/mgmt: Transit Gateway hub, VPN entry, Argo CD hub and CI runners; no public edge. */
function hubStack(hubConfig: HubConfig): StackExports<HubOutputs> {
    const spokes = { test: VPC_CIDRS.test, preprod: VPC_CIDRS.preprod, prod: VPC_CIDRS.prod };
    const hub = new TransitGatewayHub(
        namer.name("transit-gateway"),
        {
            namer,
            network,
            shareWithAccountIds: Object.fromEntries(
                Object.keys(spokes).map((account) => [account, accountIds.apply((ids) => ids[account as AccountName])]),
            ),
            spokeCidrs: spokes,
        },
        { provider },
    );
    new VpnRouter(
        namer.name("vpn-router"),
        {
            namer,
            region: hubConfig.region,
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            advertisedCidrs: Object.values(VPC_CIDRS),
            instanceType: hubConfig.vpnRouter.instanceType,
            authKey: hubConfig.vpnRouter.authKey,
            kmsKey: network.logsKey,
            tags: hubConfig.tags,
        },
        { provider },
    );
    const zones = new DnsZones(
        namer.name("dns"),
        {
            namer,
            dns: hubConfig.dns,
            vpcId: network.vpcId,
            parentProvider: provider,
            parentZoneId: foundation.require("parentZoneId"),
            queryLogging: { accountId, kmsKeyArn: network.logsKey.arn, retentionInDays: hubConfig.flowLogRetentionDays },
        },
        { provider },
    );
    const { argocd } = clusterConfig;
    if (argocd === undefined) {
        // parseClusterConfig reports a missing platform:cluster.argocd in mgmt before anything is built.
        throw new Error("platform/mgmt: platform:cluster.argocd is required for the Argo CD hub");
    }
    const ingress = new HubIngress(
        namer.name("ingress"),
        {
            namer,
            context,
            vpcId: network.vpcId,
            vpcCidr: hubConfig.vpcCidr,
            privateSubnetIds: network.privateSubnetIds,
            zones,
            argocdHostname: argocd.hostname,
            // Staff reach it over the VPN, whose router forwards from inside this VPC; spoke VPCs have no business here.
            ingressCidrs: [hubConfig.vpcCidr],
            accessLogRetentionDays: hubConfig.flowLogRetentionDays,
            protect: protectData,
        },
        { provider },
    );
    const cluster = clusterPlatform(zones, {
        role: "hub",
        argocd,
        runners: hubConfig.runners,
        chartRepository: pulumi.interpolate`${foundation.require("ecrRegistry")}/charts`,
        argocdServer: {
            targetGroupArn: ingress.alb.targetGroups[ARGOCD_SERVER_TARGET.service].arn,
            albSecurityGroupId: ingress.alb.securityGroup.id,
        },
    });
    ingress.alb.admitTargetsIn(cluster.clusterSecurityGroupId);
    return {
        ...common,
        transitGatewayId: hub.transitGatewayId,
        transitGatewayHubRouteTableId: hub.hubRouteTableId,
        transitGatewaySpokeRouteTableId: hub.spokeRouteTableId,
        ...zoneAndClusterOutputs(zones, cluster),
    };
}

/** platform/<test|preprod|prod>: a spoke of the hub with its public ingress edge (and, in test, shared data and the PR gateway). */
function spokeStack(spokeConfig: SpokeConfig): StackExports<PlatformOutputs> {
    const edgeConfig = spokeConfig.edge;
    const mgmt = new ContractReference<HubOutputs>(
        "platform-mgmt",
        stackReferenceName(spokeConfig.stackOrg, "platform", hubEnv),
        HUB_OUTPUT_KEYS,
    );
    const management = providerFor(namer.name("aws", { suffix: "management" }), "management", spokeConfig.region).provider;
    const usEast1 = providerFor(namer.name("aws", { suffix: "us-east-1" }), spokeConfig.account, "us-east-1").provider;

    const transitGatewayId = mgmt.require("transitGatewayId");
    const transitGatewayHubRouteTableId = mgmt.require("transitGatewayHubRouteTableId");
    const transitGatewaySpokeRouteTableId = mgmt.require("transitGatewaySpokeRouteTableId");
    new TransitGatewaySpoke(
        namer.name("transit-gateway"),
        {
            namer,
            network,
            transitGatewayId,
            hubRouteTableId: transitGatewayHubRouteTableId,
            spokeRouteTableId: transitGatewaySpokeRouteTableId,
            hubCidr: VPC_CIDRS[hubEnv],
            managementProvider: management,
        },
        { provider },
    );
    const zones = new DnsZones(
        namer.name("dns"),
        {
            namer,
            dns: spokeConfig.dns,
            vpcId: network.vpcId,
            usEast1Provider: usEast1,
            hub: { vpcId: mgmt.require("vpcId"), provider: management },
            parentProvider: management,
            parentZoneId: foundation.require("parentZoneId"),
            queryLogging: { accountId, kmsKeyArn: network.logsKey.arn, retentionInDays: spokeConfig.flowLogRetentionDays },
        },
        { provider },
    );
    const hub = {
        kubeconfig: mgmt.require("argocdHubKubeconfig"),
        namespace: mgmt.require("argocdNamespace"),
        hubRoleArn: mgmt.require("argocdHubRoleArn"),
    };
    const edge = new Edge(
        namer.name("edge"),
        {
            namer,
            context,
            vpcId: network.vpcId,
            vpcCidr: spokeConfig.vpcCidr,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            dns: spokeConfig.dns,
            zones,
            edge: edgeConfig,
            internalIngressCidrs: [VPC_CIDRS[hubEnv], ...edgeConfig.allowedVpnCidrs],
            usEast1Provider: usEast1,
            protect: protectData,
            wafLogging: { retentionInDays: spokeConfig.flowLogRetentionDays, kmsKeyArn: network.logsKey.arn },
            pullRequests: hostsPullRequests,
        },
        { provider },
    );
    const sharedData = spokeConfig.sharedData
        ? new SharedData(
              namer.name("shared-data"),
              {
                  vpcId: network.vpcId,
                  vpcCidr: spokeConfig.vpcCidr,
                  isolatedSubnetIds: network.isolatedSubnetIds,
                  privateSubnetIds: network.privateSubnetIds,
                  sizing: spokeConfig.sharedData,
                  context,
                  deployRoleArn,
              },
              { provider },
          )
        : undefined;
    const prGatewayGroup = edge.publicAlb.targetGroups[PR_GATEWAY_TARGET.service];
    const pullRequestGateway = hostsPullRequests
        ? {
              domainName: spokeConfig.dns.domainName,
              targetGroupArn: prGatewayGroup.arn,
              albSecurityGroupId: edge.publicAlb.securityGroup.id,
          }
        : undefined;
    if (hostsPullRequests) {
        new ServiceQuotaRequests(namer.name("quotas"), { namer, requests: PULL_REQUEST_QUOTAS }, { provider });
    }
    // Isolation between PRs is by IAM and database role, not network: one group gives all PR workers one set of ENIs.
    const prWorkers = hostsPullRequests
        ? new WorkerSecurityGroup(
              namer.name("pr-workers"),
              { env, vpcId: network.vpcId, vpcCidr: spokeConfig.vpcCidr, component: "pr-workers" },
              { provider },
          )
        : undefined;
    // The only holder of the shared master secret that pull requests reach, and only by invoking it.
    const prProvisioner =
        prWorkers && sharedData
            ? new PullRequestProvisioner(
                  namer.name("pr-provisioner"),
                  {
                      privateSubnetIds: network.privateSubnetIds,
                      securityGroupId: prWorkers.securityGroup.id,
                      shared: sharedData.services,
                      searchMasterRoleArn: sharedData.searchMasterRoleArn,
                      logRetentionDays: spokeConfig.flowLogRetentionDays,
                      logsKeyArn: network.logsKey.arn,
                  },
                  { provider },
              )
            : undefined;
    const cluster = clusterPlatform(zones, { role: "spoke", hub, pullRequestGateway });
    for (const alb of [edge.publicAlb, edge.internalAlb]) {
        alb.admitTargetsIn(cluster.clusterSecurityGroupId);
    }
    return {
        ...common,
        publicAlbArn: edge.publicAlb.loadBalancer.arn,
        publicAlbSecurityGroupId: edge.publicAlb.securityGroup.id,
        publicHttpsListenerArn: edge.publicAlb.httpsListener.arn,
        internalAlbArn: edge.internalAlb.loadBalancer.arn,
        internalHttpsListenerArn: edge.internalAlb.httpsListener.arn,
        internalAlbSecurityGroupId: edge.internalAlb.securityGroup.id,
        targetGroupArns: edge.targetGroupArns,
        cloudfrontDistributionId: edge.cdn.distribution.id,
        cloudfrontDomainName: edge.cdn.distribution.domainName,
        staticAssetsBucket: edge.cdn.staticAssets.bucket,
        staticAssetsBucketArn: edge.cdn.staticAssets.arn,
        publicWebAclArn: edge.publicWebAcl.arn,
        cloudfrontWebAclArn: edge.cloudfrontWebAcl.arn,
        transitGatewayId,
        transitGatewayHubRouteTableId,
        transitGatewaySpokeRouteTableId,
        sharedData: sharedData?.services ?? null,
        pullRequestWorkerSecurityGroupId: prWorkers?.securityGroup.id ?? null,
        pullRequestProvisionerFunctionName: prProvisioner?.functionName ?? null,
        logsKeyArn: network.logsKey.arn,
        ...zoneAndClusterOutputs(zones, cluster),
    };
}

export = config.role === "hub" ? hubStack(config) : spokeStack(config);

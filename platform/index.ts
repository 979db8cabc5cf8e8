import * as pulumi from "@pulumi/pulumi";
import { FOUNDATION_OUTPUT_KEYS, FoundationOutputs } from "../foundation/outputs";
import { ConfigReader } from "../lib/config";
import { AccountName, PULL_REQUEST_PLATFORM, VPC_CIDRS } from "../lib/environments";
import { Namer } from "../lib/naming";
import { accountProvider } from "../lib/provider";
import { ContractReference, stackReferenceName } from "../lib/stack-reference";
import { ArgoCdHubConnection, ClusterPlatform, parseClusterConfig, PullRequestGatewayConfig } from "./cluster";
import { accountTargetFor, parsePlatformConfig } from "./config";
import { DnsZones } from "./edge/dns";
import { Edge, PR_GATEWAY_TARGET } from "./edge/edge";
import { Network } from "./network";
import { PLATFORM_OUTPUT_KEYS, PlatformOutputs } from "./outputs";
import { PULL_REQUEST_QUOTAS, ServiceQuotaRequests } from "./service-quotas";
import { SharedData } from "./shared-data";
import { TransitGatewayHub, TransitGatewaySpoke } from "./transit-gateway";
import { VpnRouter } from "./vpn-router";
import { WorkerSecurityGroup } from "../lib/data/worker-security-group";

type StackExports<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const reader = new ConfigReader("platform");
const config = parsePlatformConfig(reader);
const clusterConfig = parseClusterConfig(reader, config.env);
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
const foundationAccounts = pulumi.all([foundation.require("deploymentRoleArns"), accountIds]).apply(([deploymentRoleArns, ids]) => ({ deploymentRoleArns, accountIds: ids }));

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
function clusterPlatform(zones: DnsZones, hub?: ArgoCdHubConnection, pullRequestGateway?: PullRequestGatewayConfig): ClusterPlatform {
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
            hub,
            runners: config.runners,
            chartRepository: pulumi.interpolate`${foundation.require("ecrRegistry")}/charts`,
            pullRequestGateway,
        },
        { provider },
    );
}

function hubStack() {
    const spokes = { test: VPC_CIDRS.test, preprod: VPC_CIDRS.preprod, prod: VPC_CIDRS.prod };
    const hub = new TransitGatewayHub(
        namer.name("transit-gateway"),
        {
            namer,
            network,
            shareWithAccountIds: Object.fromEntries(Object.keys(spokes).map((account) => [account, accountIds.apply((ids) => ids[account as AccountName])])),
            spokeCidrs: spokes,
        },
        { provider },
    );
    new VpnRouter(
        namer.name("vpn-router"),
        {
            namer,
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            advertisedCidrs: Object.values(VPC_CIDRS),
            instanceType: config.vpnRouter!.instanceType,
            authKey: config.vpnRouter!.authKey,
            kmsKey: network.logsKey,
            tags: config.tags,
        },
        { provider },
    );
    const queryLogging = { accountId, kmsKeyArn: network.logsKey.arn, retentionInDays: config.flowLogRetentionDays };
    const zones = new DnsZones(namer.name("dns"), { namer, dns: config.dns, vpcId: network.vpcId, parentProvider: provider, queryLogging }, { provider });
    return {
        zones,
        cluster: clusterPlatform(zones),
        transitGatewayId: hub.transitGatewayId,
        transitGatewayHubRouteTableId: hub.hubRouteTableId,
        transitGatewaySpokeRouteTableId: hub.spokeRouteTableId,
        // The hub has no public ingress edge: mgmt serves staff only, through the VPN.
        edge: {
            publicAlbArn: "",
            publicAlbSecurityGroupId: "",
            publicHttpsListenerArn: "",
            internalAlbArn: "",
            internalHttpsListenerArn: "",
            internalAlbSecurityGroupId: "",
            targetGroupArns: {},
            cloudfrontDistributionId: "",
            cloudfrontDomainName: "",
            staticAssetsBucket: "",
            staticAssetsBucketArn: "",
            publicWebAclArn: "",
            cloudfrontWebAclArn: "",
        } satisfies StackExports<Partial<PlatformOutputs>>,
        sharedData: null,
        pullRequestWorkerSecurityGroupId: null,
    };
}

function spokeStack() {
    const edgeConfig = config.edge!;
    const mgmt = new ContractReference<PlatformOutputs>("platform-mgmt", stackReferenceName(config.stackOrg, "platform", hubEnv), PLATFORM_OUTPUT_KEYS);
    const management = providerFor(namer.name("aws", { suffix: "management" }), "management", config.region).provider;
    const usEast1 = providerFor(namer.name("aws", { suffix: "us-east-1" }), config.account, "us-east-1").provider;

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
            dns: config.dns,
            vpcId: network.vpcId,
            usEast1Provider: usEast1,
            hub: { vpcId: mgmt.require("vpcId"), provider: management },
            parentProvider: management,
            queryLogging: { accountId, kmsKeyArn: network.logsKey.arn, retentionInDays: config.flowLogRetentionDays },
        },
        { provider },
    );
    const hub: ArgoCdHubConnection = {
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
            vpcCidr: config.vpcCidr,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            dns: config.dns,
            zones,
            edge: edgeConfig,
            internalIngressCidrs: [VPC_CIDRS[hubEnv], ...edgeConfig.allowedVpnCidrs],
            usEast1Provider: usEast1,
            protect: protectData,
            wafLogging: { retentionInDays: config.flowLogRetentionDays, kmsKeyArn: network.logsKey.arn },
            pullRequests: hostsPullRequests,
        },
        { provider },
    );
    const sharedData = config.sharedData
        ? new SharedData(
              namer.name("shared-data"),
              {
                  vpcId: network.vpcId,
                  vpcCidr: config.vpcCidr,
                  isolatedSubnetIds: network.isolatedSubnetIds,
                  privateSubnetIds: network.privateSubnetIds,
                  sizing: config.sharedData,
                  context,
                  deployRoleArn,
              },
              { provider },
          ).services
        : null;
    const targetGroupArns = pulumi
        .all(Object.entries({ ...edge.publicAlb.targetGroups, ...edge.internalAlb.targetGroups }).map(([service, group]) => group.arn.apply((arn) => [service, arn] as const)))
        .apply((entries) => Object.fromEntries(entries));
    const prGatewayGroup = edge.publicAlb.targetGroups[PR_GATEWAY_TARGET.service];
    const pullRequestGateway = hostsPullRequests
        ? { domainName: config.dns.domainName, targetGroupArn: prGatewayGroup.arn, albSecurityGroupId: edge.publicAlb.securityGroup.id }
        : undefined;
    if (hostsPullRequests) {
        new ServiceQuotaRequests(namer.name("quotas"), { namer, requests: PULL_REQUEST_QUOTAS }, { provider });
    }
    // Isolation between PRs is by IAM and database role, not network: one group gives all PR workers one set of ENIs.
    const prWorkers = hostsPullRequests
        ? new WorkerSecurityGroup(namer.name("pr-workers"), { env, vpcId: network.vpcId, vpcCidr: config.vpcCidr, component: "pr-workers" }, { provider })
        : undefined;
    const cluster = clusterPlatform(zones, hub, pullRequestGateway);
    for (const alb of [edge.publicAlb, edge.internalAlb]) {
        alb.admitTargetsIn(cluster.clusterSecurityGroupId);
    }
    return {
        zones,
        cluster,
        pullRequestWorkerSecurityGroupId: prWorkers?.securityGroup.id ?? null,
        transitGatewayId,
        transitGatewayHubRouteTableId,
        transitGatewaySpokeRouteTableId,
        edge: {
            publicAlbArn: edge.publicAlb.loadBalancer.arn,
            publicAlbSecurityGroupId: edge.publicAlb.securityGroup.id,
            publicHttpsListenerArn: edge.publicAlb.httpsListener.arn,
            internalAlbArn: edge.internalAlb.loadBalancer.arn,
            internalHttpsListenerArn: edge.internalAlb.httpsListener.arn,
            internalAlbSecurityGroupId: edge.internalAlb.securityGroup.id,
            targetGroupArns,
            cloudfrontDistributionId: edge.cdn.distribution.id,
            cloudfrontDomainName: edge.cdn.distribution.domainName,
            staticAssetsBucket: edge.cdn.staticAssets.bucket,
            staticAssetsBucketArn: edge.cdn.staticAssets.arn,
            publicWebAclArn: edge.publicWebAcl.arn,
            cloudfrontWebAclArn: edge.cloudfrontWebAcl.arn,
        },
        sharedData,
    };
}

const role = env === hubEnv ? hubStack() : spokeStack();

const outputs: StackExports<PlatformOutputs> = {
    ...common,
    ...role.edge,
    transitGatewayId: role.transitGatewayId,
    transitGatewayHubRouteTableId: role.transitGatewayHubRouteTableId,
    transitGatewaySpokeRouteTableId: role.transitGatewaySpokeRouteTableId,
    publicZoneId: role.zones.publicZone.zoneId,
    privateZoneId: role.zones.privateZone.zoneId,
    sharedData: role.sharedData,
    pullRequestWorkerSecurityGroupId: role.pullRequestWorkerSecurityGroupId,
    clusterName: role.cluster.clusterName,
    clusterEndpoint: role.cluster.clusterEndpoint,
    clusterCertificateAuthority: role.cluster.clusterCertificateAuthority,
    clusterOidcIssuer: role.cluster.clusterOidcIssuer,
    clusterSecurityGroupId: role.cluster.clusterSecurityGroupId,
    kubeconfig: pulumi.secret(role.cluster.kubeconfig),
    argocdHubKubeconfig: pulumi.secret(role.cluster.argocdHubKubeconfig),
    argocdNamespace: role.cluster.argocdNamespace,
    argocdHubRoleArn: role.cluster.argocdHubRoleArn,
    metricsQueryEndpoint: role.cluster.metricsQueryEndpoint,
};

export = outputs;

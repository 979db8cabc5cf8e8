import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FullEnvironment, VPC_CIDRS, WORKLOAD_ENVIRONMENTS } from "../../lib/environments";
import { Namer } from "../../lib/naming";
import { ciRoleName, PR_ARGOCD_WRITERS_GROUP, PR_DEPLOYERS_GROUP, PR_KUBERNETES_USER } from "../../lib/ci-trust";
import {
    ARGOCD_WRITERS_GROUP,
    NAMESPACE_MANAGER_ROLE,
    NAMESPACE_MANAGERS_GROUP,
    NAMESPACE_OWNER_ROLE,
    WORKLOAD_DEPLOYER_ROLE,
} from "../../lib/cluster-rbac";
import { AccessGrant, NAMESPACE_MANAGER_RULES, NAMESPACE_OWNER_RULES, WORKLOAD_DEPLOYER_RULES } from "./access";
import { ArgoRollouts } from "./addons/argo-rollouts";
import { AwsLoadBalancerController } from "./addons/aws-load-balancer-controller";
import { ClusterAutoscaler } from "./addons/cluster-autoscaler";
import { ExternalDns } from "./addons/external-dns";
import { ClusterAddonArgs } from "./addons/helm";
import { ManagedPrometheus } from "./addons/managed-prometheus";
import { MetricsServer } from "./addons/metrics-server";
import { PullRequestGateway, PullRequestGatewayArgs } from "./addons/pr-gateway";
import { ArgoCdHub, ArgoCdServerTarget } from "./argocd";
import { CiRunners, RunnersConfig } from "./ci-runners";
import { ENV_CLUSTER_GUARD, HUB_GUARD, PrIdentityGuard } from "./pr-identity-guard";
import { ArgoCdDestination, ArgoCdHubConnection } from "./argocd-destination";
import { ArgoCdConfig, ClusterConfig } from "./config";
import { EksCluster } from "./eks-cluster";
import { callerKubeconfig } from "./kubeconfig";
import { ManagedAddons } from "./managed-addons";
import { NodeGroups } from "./node-groups";
import { KUBERNETES_RELEASES } from "./versions";

export { ArgoCdHubConnection } from "./argocd-destination";
export { ClusterConfig, parseClusterConfig } from "./config";

/** The env hosts PR environments: their shared gateway behind the public ALB (platform/edge). */
export type PullRequestGatewayConfig = Pick<PullRequestGatewayArgs, "domainName" | "targetGroupArn" | "albSecurityGroupId">;

interface ClusterPlatformBaseArgs {
    env: FullEnvironment;
    config: ClusterConfig;
    vpcId: pulumi.Input<string>;
    /** The VPC's private subnets, one per AZ (3). Never public ones. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Defaults to the mgmt range from shared/CONVENTIONS.md. */
    mgmtVpcCidr?: string;
    /** The deployment role the stack's AWS provider assumes: gets cluster-admin for the Helm releases. */
    deployRoleArn: pulumi.Input<string>;
    /** Where the CI roles live (foundation/org accountIds.management). */
    managementAccountId: pulumi.Input<string>;
    /** The env's private hosted zone, for external-dns. */
    privateZoneId: pulumi.Input<string>;
    /** Standard tags, for inputs the provider's defaultTags do not reach. */
    tags: Record<string, string>;
}

/** mgmt's cluster: the Argo CD hub and the CI runner scale sets. */
export interface HubClusterArgs extends ClusterPlatformBaseArgs {
    role: "hub";
    argocd: ArgoCdConfig;
    runners: RunnersConfig;
    /** The central ECR's chart repository (`<registry>/charts`) Argo CD pulls from. */
    chartRepository: pulumi.Input<string>;
    /** The internal ALB's argocd-server target group and security group: the UI and SSO login are served there. */
    argocdServer: Omit<ArgoCdServerTarget, "controller">;
}

/** An env's cluster: registers with the hub; test's also hosts the PR gateway. */
export interface SpokeClusterArgs extends ClusterPlatformBaseArgs {
    role: "spoke";
    /** The hub from platform/mgmt's outputs, where the env registers its cluster. */
    hub: ArgoCdHubConnection;
    pullRequestGateway?: PullRequestGatewayConfig;
}

export type ClusterPlatformArgs = HubClusterArgs | SpokeClusterArgs;

/**
 * Who may do what in the cluster (access entries), derived from config for one env. CI jobs reach
 * clusters with their own (management-account) CI role: kubeconfigs name no role to assume, so the
 * job's trust level alone decides the entry it gets.
 * - env clusters: the env's deploy CI role edits its workload namespaces and manages namespaces
 *   (RBAC); its preview CI role may view; in test the PR CI role gets the same only in pr-*
 *   namespaces, and an admission policy (PrIdentityGuard) refuses it anything outside them.
 * - the hub: each env's deploy CI role writes Argo CD Applications (argocd namespace); the PR CI
 *   role writes Applications of the PR project in the PR applications namespace only.
 */
export function clusterAccessGrants(
    env: FullEnvironment,
    config: ClusterConfig,
    deployRoleArn: pulumi.Input<string>,
    managementAccountId: pulumi.Input<string>,
): Record<string, AccessGrant> {
    const ci = (name: string) => pulumi.interpolate`arn:aws:iam::${managementAccountId}:role/${name}`;
    const grants: Record<string, AccessGrant> = {
        "platform-deploy": { principalArn: deployRoleArn, policies: [{ policy: "AmazonEKSClusterAdminPolicy" }] },
    };
    if (env === "mgmt") {
        for (const target of WORKLOAD_ENVIRONMENTS) {
            grants[`ci-deploy-${target}`] = {
                principalArn: ci(ciRoleName("deploy", target)),
                policies: [],
                kubernetesGroups: [ARGOCD_WRITERS_GROUP],
            };
        }
        grants["ci-pr"] = {
            principalArn: ci(ciRoleName("pr")),
            policies: [],
            kubernetesGroups: [PR_ARGOCD_WRITERS_GROUP],
            userName: PR_KUBERNETES_USER,
        };
    } else {
        const prNamespaces = config.workloadNamespaces.filter((namespace) => namespace.startsWith("pr-"));
        const envNamespaces = config.workloadNamespaces.filter((namespace) => !prNamespaces.includes(namespace));
        grants["ci-deploy"] = {
            principalArn: ci(ciRoleName("deploy", env)),
            policies: [{ policy: "AmazonEKSEditPolicy", namespaces: envNamespaces }],
            kubernetesGroups: [NAMESPACE_MANAGERS_GROUP],
        };
        grants["ci-preview"] = { principalArn: ci(ciRoleName("preview", env)), policies: [{ policy: "AmazonEKSViewPolicy" }] };
        if (env === "test") {
            grants["ci-pr"] = {
                principalArn: ci(ciRoleName("pr")),
                policies: [{ policy: "AmazonEKSEditPolicy", namespaces: prNamespaces }],
                kubernetesGroups: [NAMESPACE_MANAGERS_GROUP, PR_DEPLOYERS_GROUP],
                userName: PR_KUBERNETES_USER,
            };
        }
    }
    config.adminRoleArns.forEach((principalArn, index) => {
        grants[`admin-${index}`] = { principalArn, policies: [{ policy: "AmazonEKSClusterAdminPolicy" }] };
    });
    if (env !== "prod") {
        config.developerRoleArns.forEach((principalArn, index) => {
            grants[`developer-${index}`] = { principalArn, policies: [{ policy: "AmazonEKSViewPolicy" }] };
        });
    }
    return grants;
}

/**
 * One environment's Kubernetes platform: the private EKS cluster, its node groups and managed
 * add-ons, the controllers every workload relies on, managed Prometheus for canary analysis, and
 * Argo CD (the hub in mgmt; in env stacks, this cluster's registration with the hub).
 */
export class ClusterPlatform extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly clusterEndpoint: pulumi.Output<string>;
    readonly clusterCertificateAuthority: pulumi.Output<string>;
    readonly clusterOidcIssuer: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Secret: authenticates as whoever runs it (a CI role's own access entry decides its rights), for the workloads layer. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly metricsQueryEndpoint: pulumi.Output<string>;
    readonly argocdNamespace: pulumi.Output<string>;
    /** Secret: the hub kubeconfig (mgmt: built here; env stacks: passed through from platform/mgmt). */
    readonly argocdHubKubeconfig: pulumi.Output<string>;
    /** The hub's Argo CD role (mgmt: created here; env stacks: passed through). */
    readonly argocdHubRoleArn: pulumi.Output<string>;

    constructor(name: string, args: ClusterPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ClusterPlatform", name, {}, opts);
        const { env, config } = args;
        const namer = new Namer(env);
        const release = KUBERNETES_RELEASES[config.kubernetesVersion];

        const cluster = new EksCluster(
            namer.name("eks"),
            {
                namer,
                kubernetesVersion: config.kubernetesVersion,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                mgmtVpcCidr: args.mgmtVpcCidr ?? VPC_CIDRS.mgmt,
                bootstrapPublicAccessCidrs: env === "mgmt" ? config.bootstrapPublicAccessCidrs : [],
                deployRoleArn: args.deployRoleArn,
                access: clusterAccessGrants(env, config, args.deployRoleArn, args.managementAccountId),
                tags: args.tags,
                // mgmt is held to prod levels: its Argo CD deploys prod.
                protect: env === "prod" || env === "mgmt",
            },
            { parent: this },
        );
        const clusterRef = { namer, clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, release };

        const nodeReadyAddons = new ManagedAddons(
            namer.name("addons-before-nodes"),
            { ...clusterRef, phase: "beforeNodes" },
            { parent: this },
        );
        const nodeGroups = new NodeGroups(
            namer.name("nodes"),
            {
                namer,
                clusterName: cluster.clusterName,
                clusterArn: cluster.clusterArn,
                kubernetesVersion: config.kubernetesVersion,
                privateSubnetIds: args.privateSubnetIds,
                groups: config.nodeGroups,
                rootVolumeSizeGiB: config.rootVolumeSizeGiB,
                tags: args.tags,
                after: nodeReadyAddons.addons,
            },
            { parent: this },
        );
        const scheduledAddons = new ManagedAddons(
            namer.name("addons-after-nodes"),
            { ...clusterRef, phase: "afterNodes", after: nodeGroups.nodeGroups, podIdentityAgent: nodeReadyAddons.podIdentityAgent },
            { parent: this },
        );

        // Helm releases wait for the access entries (inside the cluster component), nodes and DNS.
        const kubernetes = new k8s.Provider(
            namer.name("eks-k8s"),
            { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true },
            { parent: this, dependsOn: [cluster, scheduledAddons] },
        );
        const addonArgs: ClusterAddonArgs = { namer, clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, kubernetes };

        const loadBalancerController = new AwsLoadBalancerController(
            namer.name("aws-load-balancer-controller"),
            { ...addonArgs, env, vpcId: args.vpcId },
            { parent: this },
        );
        new MetricsServer(namer.name("metrics-server"), addonArgs, { parent: this });
        if (args.role === "spoke" && args.pullRequestGateway !== undefined) {
            new PullRequestGateway(namer.name("pr-gateway"), { ...addonArgs, ...args.pullRequestGateway }, { parent: this });
        }
        new ExternalDns(namer.name("external-dns"), { ...addonArgs, privateZoneId: args.privateZoneId }, { parent: this });
        new ClusterAutoscaler(
            namer.name("cluster-autoscaler"),
            { ...addonArgs, imageTag: release.clusterAutoscalerImageTag },
            { parent: this },
        );
        const metrics = new ManagedPrometheus(
            namer.name("metrics"),
            { ...addonArgs, privateSubnetIds: args.privateSubnetIds, clusterSecurityGroupId: cluster.clusterSecurityGroupId },
            { parent: this },
        );

        // What workloads (and, in mgmt, everyone writing to the hub) connect with: the caller's own identity.
        const deployKubeconfig = callerKubeconfig({
            clusterName: cluster.clusterName,
            clusterArn: cluster.clusterArn,
            endpoint: cluster.endpoint,
            certificateAuthority: cluster.certificateAuthority,
        });
        if (args.role === "hub") {
            const hub = new ArgoCdHub(
                namer.name("argocd"),
                {
                    ...addonArgs,
                    config: args.argocd,
                    environments: WORKLOAD_ENVIRONMENTS,
                    chartRepository: args.chartRepository,
                    serverTarget: { ...args.argocdServer, controller: loadBalancerController },
                },
                { parent: this },
            );
            this.argocdNamespace = hub.namespace;
            this.argocdHubRoleArn = hub.hubRoleArn;
            this.argocdHubKubeconfig = deployKubeconfig;
            new CiRunners(namer.name("ci-runners"), { ...addonArgs, config: args.runners }, { parent: this });
            new PrIdentityGuard(namer.name("pr-identity-guard"), { kubernetes, validations: HUB_GUARD }, { parent: this });
        } else {
            const { hub } = args;
            new ArgoRollouts(namer.name("argo-rollouts"), { ...addonArgs, metricsWorkspaceArn: metrics.workspace.arn }, { parent: this });
            this.createNamespaceManagerRbac(namer, kubernetes);
            if (env === "test") {
                new PrIdentityGuard(namer.name("pr-identity-guard"), { kubernetes, validations: ENV_CLUSTER_GUARD }, { parent: this });
            }
            const hubKubernetes = new k8s.Provider(
                namer.name("argocd-hub-k8s"),
                { kubeconfig: hub.kubeconfig, enableServerSideApply: true },
                { parent: this },
            );
            new ArgoCdDestination(
                namer.name("argocd-destination"),
                {
                    namer,
                    env,
                    clusterName: cluster.clusterName,
                    endpoint: cluster.endpoint,
                    certificateAuthority: cluster.certificateAuthority,
                    workloadNamespaces: config.workloadNamespaces,
                    hub,
                    hubKubernetes,
                },
                { parent: this },
            );
            this.argocdNamespace = pulumi.output(hub.namespace);
            this.argocdHubRoleArn = pulumi.output(hub.hubRoleArn);
            this.argocdHubKubeconfig = pulumi.secret(pulumi.output(hub.kubeconfig));
        }

        this.clusterName = cluster.clusterName;
        this.clusterEndpoint = cluster.endpoint;
        this.clusterCertificateAuthority = cluster.certificateAuthority;
        this.clusterOidcIssuer = cluster.oidcIssuer;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.kubeconfig = deployKubeconfig;
        this.metricsQueryEndpoint = metrics.queryEndpoint;
        this.registerOutputs({
            clusterName: this.clusterName,
            clusterEndpoint: this.clusterEndpoint,
            metricsQueryEndpoint: this.metricsQueryEndpoint,
            argocdNamespace: this.argocdNamespace,
        });
    }

    /** The RBAC the env cluster's groups get (access policies cannot express it): see access.ts. */
    private createNamespaceManagerRbac(namer: Namer, kubernetes: k8s.Provider): void {
        const opts = { parent: this, provider: kubernetes };
        const role = new k8s.rbac.v1.ClusterRole(
            namer.name("namespace-manager"),
            { metadata: { name: NAMESPACE_MANAGER_ROLE }, rules: NAMESPACE_MANAGER_RULES },
            opts,
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            namer.name("namespace-manager"),
            {
                metadata: { name: NAMESPACE_MANAGER_ROLE },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "Group", name: NAMESPACE_MANAGERS_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
            },
            opts,
        );
        // Bound per namespace by the workloads stack, never cluster-wide.
        new k8s.rbac.v1.ClusterRole(
            namer.name("workload-deployer"),
            { metadata: { name: WORKLOAD_DEPLOYER_ROLE }, rules: WORKLOAD_DEPLOYER_RULES },
            opts,
        );
        new k8s.rbac.v1.ClusterRole(
            namer.name("namespace-owner"),
            { metadata: { name: NAMESPACE_OWNER_ROLE }, rules: NAMESPACE_OWNER_RULES },
            opts,
        );
    }
}

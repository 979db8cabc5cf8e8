import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FullEnvironment, VPC_CIDRS, WORKLOAD_ENVIRONMENTS } from "../../lib/environments";
import { Namer } from "../../lib/naming";
import { AccessGrant, ARGOCD_WRITERS_GROUP, NAMESPACE_MANAGERS_GROUP } from "./access";
import { ArgoRollouts } from "./addons/argo-rollouts";
import { AwsLoadBalancerController } from "./addons/aws-load-balancer-controller";
import { ClusterAutoscaler } from "./addons/cluster-autoscaler";
import { ExternalDns } from "./addons/external-dns";
import { ClusterAddonArgs } from "./addons/helm";
import { ManagedPrometheus } from "./addons/managed-prometheus";
import { MetricsServer } from "./addons/metrics-server";
import { ArgoCdHub } from "./argocd";
import { ArgoCdDestination, ArgoCdHubConnection } from "./argocd-destination";
import { ClusterConfig } from "./config";
import { EksCluster } from "./eks-cluster";
import { roleKubeconfig } from "./kubeconfig";
import { ManagedAddons } from "./managed-addons";
import { NodeGroups } from "./node-groups";
import { KUBERNETES_RELEASES } from "./versions";

export { ArgoCdHubConnection } from "./argocd-destination";
export { ClusterConfig, parseClusterConfig } from "./config";

export interface ClusterPlatformArgs {
    env: FullEnvironment;
    config: ClusterConfig;
    vpcId: pulumi.Input<string>;
    /** The VPC's private subnets, one per AZ (3). Never public ones. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Defaults to the mgmt range from shared/CONVENTIONS.md. */
    mgmtVpcCidr?: string;
    /** The deployment role the stack's AWS provider assumes: gets cluster-admin for the Helm releases. */
    deployRoleArn: pulumi.Input<string>;
    /** The env's private hosted zone, for external-dns. */
    privateZoneId: pulumi.Input<string>;
    /** Standard tags, for inputs the provider's defaultTags do not reach. */
    tags: Record<string, string>;
    /** Env stacks only: the hub from platform/mgmt's outputs, where the env registers its cluster. */
    hub?: ArgoCdHubConnection;
}

/** Who may do what in the cluster (access entries), derived from config for one env. */
export function clusterAccessGrants(env: FullEnvironment, config: ClusterConfig, deployRoleArn: pulumi.Input<string>): Record<string, AccessGrant> {
    const grants: Record<string, AccessGrant> = {
        "platform-deploy": { principalArn: deployRoleArn, policies: [{ policy: "AmazonEKSClusterAdminPolicy" }] },
        "ci-deploy": {
            principalArn: config.ciDeployRoleArn,
            policies: [{ policy: "AmazonEKSEditPolicy", namespaces: config.workloadNamespaces }],
            // In env clusters CI creates its namespaces; in the hub it writes Argo CD Applications.
            kubernetesGroups: [env === "mgmt" ? ARGOCD_WRITERS_GROUP : NAMESPACE_MANAGERS_GROUP],
        },
    };
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
    /** Secret: authenticates as the CI deploy role (namespaced rights), for the workloads layer. */
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
        if (env === "mgmt" ? config.argocd === undefined : args.hub === undefined) {
            throw new Error(
                env === "mgmt"
                    ? "ClusterPlatform(mgmt): config.argocd is required for the Argo CD hub"
                    : `ClusterPlatform(${env}): args.hub (platform/mgmt's argocdHubKubeconfig, argocdNamespace, argocdHubRoleArn) is required to register with Argo CD`,
            );
        }
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
                access: clusterAccessGrants(env, config, args.deployRoleArn),
                tags: args.tags,
                // mgmt is held to prod levels: its Argo CD deploys prod.
                protect: env === "prod" || env === "mgmt",
            },
            { parent: this },
        );
        const clusterRef = { namer, clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, release };

        const nodeReadyAddons = new ManagedAddons(namer.name("addons-before-nodes"), { ...clusterRef, phase: "beforeNodes" }, { parent: this });
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

        new AwsLoadBalancerController(namer.name("aws-load-balancer-controller"), { ...addonArgs, env, vpcId: args.vpcId }, { parent: this });
        new MetricsServer(namer.name("metrics-server"), addonArgs, { parent: this });
        new ExternalDns(namer.name("external-dns"), { ...addonArgs, privateZoneId: args.privateZoneId }, { parent: this });
        new ClusterAutoscaler(namer.name("cluster-autoscaler"), { ...addonArgs, imageTag: release.clusterAutoscalerImageTag }, { parent: this });
        const metrics = new ManagedPrometheus(
            namer.name("metrics"),
            { ...addonArgs, privateSubnetIds: args.privateSubnetIds, clusterSecurityGroupId: cluster.clusterSecurityGroupId },
            { parent: this },
        );

        // The CI deploy role's kubeconfig: what workloads use, and in mgmt also what they reach the hub with.
        const deployKubeconfig = roleKubeconfig({
            clusterName: cluster.clusterName,
            clusterArn: cluster.clusterArn,
            endpoint: cluster.endpoint,
            certificateAuthority: cluster.certificateAuthority,
            roleArn: config.ciDeployRoleArn,
        });
        if (env === "mgmt") {
            const hub = new ArgoCdHub(namer.name("argocd"), { ...addonArgs, config: config.argocd!, environments: WORKLOAD_ENVIRONMENTS }, { parent: this });
            this.argocdNamespace = hub.namespace;
            this.argocdHubRoleArn = hub.hubRoleArn;
            this.argocdHubKubeconfig = deployKubeconfig;
        } else {
            const hub = args.hub!;
            new ArgoRollouts(namer.name("argo-rollouts"), { ...addonArgs, metricsWorkspaceArn: metrics.workspace.arn }, { parent: this });
            this.createNamespaceManagerRbac(namer, kubernetes);
            const hubKubernetes = new k8s.Provider(namer.name("argocd-hub-k8s"), { kubeconfig: hub.kubeconfig, enableServerSideApply: true }, { parent: this });
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

    /** Namespace lifecycle is the one cluster-scoped right CI needs; no access policy grants only that. */
    private createNamespaceManagerRbac(namer: Namer, kubernetes: k8s.Provider): void {
        const role = new k8s.rbac.v1.ClusterRole(
            namer.name("namespace-manager"),
            {
                metadata: { name: "payments:namespace-manager" },
                rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch", "create", "update", "patch"] }],
            },
            { parent: this, provider: kubernetes },
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            namer.name("namespace-manager"),
            {
                metadata: { name: "payments:namespace-manager" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "Group", name: NAMESPACE_MANAGERS_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
            },
            { parent: this, provider: kubernetes },
        );
    }
}

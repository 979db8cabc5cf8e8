import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadEnvironment } from "../../lib/environments";
import { physicalName } from "../../lib/naming";
import { ARGOCD_WRITERS_GROUP } from "./access";
import { ClusterAddonArgs, pinnedRelease } from "./addons/helm";
import { ArgoCdConfig } from "./config";
import { SYSTEM_PLACEMENT } from "./node-groups";
import { PodIdentityRole, arnContext } from "../../lib/pod-identity";
import { CHARTS } from "./versions";

export const ARGOCD_NAMESPACE = "argocd";
/** The Argo CD components that talk to destination clusters, and so need the hub role. */
export const ARGOCD_CLUSTER_CLIENTS = ["argocd-application-controller", "argocd-server"] as const;
/**
 * Where OIDC's client secret lives: created out of band (docs/platform-cluster.md, "Argo CD and how it
 * reaches env clusters"), never in config.
 */
export const OIDC_SECRET_NAME = "argocd-oidc";

/** The role each env stack creates for Argo CD, named so the hub can be allowed to assume it before it exists. */
export function argocdDeployerRoleName(env: string): string {
    return physicalName(env, "argocd-deployer", { kind: "iamRole" });
}

/** The Secret an env stack creates in the hub to register its cluster. */
export function clusterSecretName(env: string): string {
    return `cluster-${env}`;
}

/** The hub role may only assume the env deployer roles (their trust in turn names only the hub role). */
export function argocdHubPolicy(clusterArn: string, environments: readonly string[]): aws.iam.PolicyDocument {
    const { partition } = arnContext(clusterArn);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeEnvDeployerRoles",
                Effect: "Allow",
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Resource: environments.map((env) => `arn:${partition}:iam::*:role/${argocdDeployerRoleName(env)}`),
            },
        ],
    };
}

/** Argo CD values: HA topology, OIDC login, RBAC from IdP groups, no local admin. */
export function argocdValues(config: ArgoCdConfig): Record<string, unknown> {
    const oidcConfig = [
        `name: ${config.oidc.name}`,
        `issuer: ${config.oidc.issuer}`,
        `clientID: ${config.oidc.clientId}`,
        `clientSecret: $${OIDC_SECRET_NAME}:clientSecret`,
        "requestedScopes: [openid, profile, email, groups]",
    ].join("\n");
    return {
        global: { domain: config.hostname, ...SYSTEM_PLACEMENT },
        "redis-ha": { enabled: true },
        controller: { replicas: 1, serviceAccount: { create: true, name: "argocd-application-controller" } },
        server: { autoscaling: { enabled: true, minReplicas: 2 }, serviceAccount: { create: true, name: "argocd-server" } },
        repoServer: { autoscaling: { enabled: true, minReplicas: 2 } },
        applicationSet: { replicas: 2 },
        dex: { enabled: false },
        configs: {
            cm: {
                url: `https://${config.hostname}`,
                "admin.enabled": false,
                "exec.enabled": false,
                "oidc.config": oidcConfig,
                // Destinations grant namespaced rights; watch only what the deployer role may see.
                "resource.respectRBAC": "normal",
            },
            rbac: {
                "policy.default": "role:readonly",
                "policy.csv": config.oidc.adminGroups.map((group) => `g, ${group}, role:admin`).join("\n"),
                scopes: "[groups]",
            },
        },
    };
}

export interface ArgoCdHubArgs extends ClusterAddonArgs {
    config: ArgoCdConfig;
    /** One AppProject, and one deployer role the hub may assume, per environment. */
    environments: readonly WorkloadEnvironment[];
}

/**
 * Argo CD in the mgmt cluster. Env clusters register themselves (ArgoCdDestination, from their own
 * platform stacks); the hub only prepares the projects, the role and the RBAC they need.
 */
export class ArgoCdHub extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly hubRoleArn: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdHubArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ArgoCdHub", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubernetes };
        const namespace = new k8s.core.v1.Namespace(name, { metadata: { name: ARGOCD_NAMESPACE } }, k8sOpts);

        const hubRole = new PodIdentityRole(
            "argocd-hub",
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: ARGOCD_CLUSTER_CLIENTS.map((serviceAccount) => ({ namespace: ARGOCD_NAMESPACE, serviceAccount })),
                policy: pulumi.output(args.clusterArn).apply((arn) => argocdHubPolicy(arn, args.environments)),
            },
            { parent: this },
        );

        const release = pinnedRelease(
            { namer: args.namer, release: "argocd", chart: CHARTS.argoCd, namespace: namespace.metadata.name, values: argocdValues(args.config) },
            { ...k8sOpts, dependsOn: [hubRole] },
        );

        for (const env of args.environments) {
            new k8s.apiextensions.CustomResource(
                `${name}-project-${env}`,
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "AppProject",
                    metadata: { name: env, namespace: namespace.metadata.name },
                    spec: {
                        description: `Workloads of the ${env} environment`,
                        sourceRepos: args.config.sourceRepos,
                        // The cluster registered under the env's name; its access entry limits the namespaces.
                        destinations: [{ name: env, namespace: "*" }],
                        clusterResourceWhitelist: [],
                        namespaceResourceBlacklist: [
                            { group: "", kind: "ResourceQuota" },
                            { group: "", kind: "LimitRange" },
                        ],
                    },
                },
                { ...k8sOpts, dependsOn: [release] },
            );
        }

        // CI (workloads and env platform stacks) writes Applications and its env's cluster Secret, nothing else.
        const writer = new k8s.rbac.v1.Role(
            `${name}-writer`,
            {
                metadata: { name: "payments-argocd-writer", namespace: namespace.metadata.name },
                rules: [
                    { apiGroups: ["argoproj.io"], resources: ["applications"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
                    { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
                    {
                        apiGroups: [""],
                        resources: ["secrets"],
                        resourceNames: args.environments.map(clusterSecretName),
                        verbs: ["get", "update", "patch", "delete"],
                    },
                ],
            },
            k8sOpts,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-writer`,
            {
                metadata: { name: "payments-argocd-writer", namespace: namespace.metadata.name },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: writer.metadata.name },
                subjects: [{ kind: "Group", name: ARGOCD_WRITERS_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
            },
            k8sOpts,
        );

        this.namespace = namespace.metadata.name;
        this.hubRoleArn = hubRole.roleArn;
        this.registerOutputs({ namespace: this.namespace, hubRoleArn: this.hubRoleArn });
    }
}

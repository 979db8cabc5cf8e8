import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { REPOSITORY_URL_ANNOTATION } from "../../lib/argocd";
import { ARGOCD_WRITERS_GROUP } from "../../lib/cluster-rbac";
import { WorkloadEnvironment } from "../../lib/environments";
import { physicalName } from "../../lib/naming";
import { PR_APP_PROJECT, PR_APPLICATIONS_NAMESPACE, PR_ARGOCD_WRITERS_GROUP, PR_NAME_PATTERN } from "../../lib/ci-trust";
import { ClusterAddonArgs, pinnedRelease } from "./addons/helm";
import { ArgoCdConfig } from "./config";
import { SYSTEM_PLACEMENT } from "./node-groups";
import { PodIdentityRole, arnContext } from "../../lib/pod-identity";
import { AWS_CLI_IMAGE, CHARTS } from "./versions";

export const ARGOCD_NAMESPACE = "argocd";
/** The Argo CD components that talk to destination clusters, and so need the hub role. */
export const ARGOCD_CLUSTER_CLIENTS = ["argocd-application-controller", "argocd-server"] as const;
/**
 * argocd-server behind the hub's internal ALB: the ALB re-encrypts to the pods' own TLS port (8080;
 * the server keeps TLS on, so nothing crosses the VPC in clear text) and checks /healthz.
 */
export const ARGOCD_SERVER_TARGET = {
    service: "argocd-server",
    scheme: "internal",
    port: 8080,
    protocol: "HTTPS",
    healthCheckPath: "/healthz",
} as const;

/**
 * Where OIDC's client secret lives: created out of band (docs/platform-cluster.md, "Argo CD and how it
 * reaches env clusters"), never in config.
 */
export const OIDC_SECRET_NAME = "argocd-oidc";

/** The Argo CD repository Secret holding the ECR login for the chart repository. */
export const ECR_CREDENTIAL_SECRET = "ecr-charts";
const ECR_CREDENTIAL_REFRESHER = "ecr-credential-refresher";

/** ECR logins last 12 hours: the refresher renews it every 6, so one failed run never stops syncs. */
export const ECR_REFRESH_SCHEDULE = "17 */6 * * *";

/** Pull-only access to the chart repositories, plus the login token ECR requires first. */
export function chartPullPolicy(clusterArn: string): aws.iam.PolicyDocument {
    const { partition, region, accountId } = arnContext(clusterArn);
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "Login", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullCharts",
                Effect: "Allow",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"],
                Resource: `arn:${partition}:ecr:${region}:${accountId}:repository/charts/*`,
            },
        ],
    };
}

/** Renews the repository Secret's password with a fresh ECR login, through the API server (no kubectl in the image). */
export function refreshScript(region: string, namespace: string): string {
    return [
        "set -eu",
        "sa=/var/run/secrets/kubernetes.io/serviceaccount",
        `password=$(aws ecr get-login-password --region ${region})`,
        `printf '{"stringData":{"password":"%s"}}' "$password" > /tmp/patch.json`,
        `curl -sSf -o /dev/null --cacert "$sa/ca.crt" -H "Authorization: Bearer $(cat "$sa/token")" -H "Content-Type: application/merge-patch+json" -X PATCH --data @/tmp/patch.json https://kubernetes.default.svc/api/v1/namespaces/${namespace}/secrets/${ECR_CREDENTIAL_SECRET}`,
    ].join("\n");
}

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
            // Applications outside the control-plane namespace: only projects listing that namespace in
            // sourceNamespaces (the PR project) admit them, so whoever writes there cannot name another project.
            params: { "application.namespaces": PR_APPLICATIONS_NAMESPACE },
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
    /** The central ECR's Helm chart repository (`<registry>/charts`, OCI) the Applications pull from. */
    chartRepository: pulumi.Input<string>;
    /** One AppProject, and one deployer role the hub may assume, per environment. */
    environments: readonly WorkloadEnvironment[];
    /** The internal ALB's argocd-server target group: the UI and SSO login are served there, to the VPN only. */
    serverTarget: ArgoCdServerTarget;
}

export interface ArgoCdServerTarget {
    targetGroupArn: pulumi.Input<string>;
    /** The internal ALB's security group: the LB controller opens the server's port to it and nothing else. */
    albSecurityGroupId: pulumi.Input<string>;
    /** The load balancer controller, which serves the TargetGroupBinding kind. */
    controller: pulumi.Resource;
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
            {
                namer: args.namer,
                release: "argocd",
                chart: CHARTS.argoCd,
                namespace: namespace.metadata.name,
                values: argocdValues(args.config),
            },
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
                        // Applications pull versioned charts from the central ECR (OCI).
                        sourceRepos: pulumi.output(args.chartRepository).apply((charts) => [...args.config.sourceRepos, charts]),
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

        this.bindServer(name, args.serverTarget, k8sOpts, release);
        this.createPullRequestProject(name, args, k8sOpts, release);
        this.chartCredential(name, args, namespace.metadata.name, k8sOpts);

        // CI (workloads and env platform stacks) writes Applications and its env's cluster Secret, nothing else.
        const writer = new k8s.rbac.v1.Role(
            `${name}-writer`,
            {
                metadata: { name: "payments-argocd-writer", namespace: namespace.metadata.name },
                rules: [
                    {
                        apiGroups: ["argoproj.io"],
                        resources: ["applications"],
                        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
                    },
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

    /** Registers the argocd-server pods in the internal ALB's target group (the chart's Service, port https). */
    private bindServer(name: string, target: ArgoCdServerTarget, k8sOpts: pulumi.CustomResourceOptions, release: pulumi.Resource): void {
        new k8s.apiextensions.CustomResource(
            `${name}-server-binding`,
            {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: ARGOCD_SERVER_TARGET.service, namespace: ARGOCD_NAMESPACE },
                spec: {
                    serviceRef: { name: ARGOCD_SERVER_TARGET.service, port: 443 },
                    targetGroupARN: target.targetGroupArn,
                    targetType: "ip",
                    networking: {
                        ingress: [
                            {
                                from: [{ securityGroup: { groupID: target.albSecurityGroupId } }],
                                ports: [{ protocol: "TCP", port: ARGOCD_SERVER_TARGET.port }],
                            },
                        ],
                    },
                },
            },
            { ...k8sOpts, dependsOn: [release, target.controller] },
        );
    }

    /**
     * Pull requests' Applications live in their own namespace, admitted only by the PR project,
     * whose only destinations are pr-* namespaces of the test cluster; the PR CI identity may write
     * Applications there and nowhere else in the hub.
     */
    private createPullRequestProject(
        name: string,
        args: ArgoCdHubArgs,
        k8sOpts: pulumi.CustomResourceOptions,
        release: pulumi.Resource,
    ): void {
        const prNamespace = new k8s.core.v1.Namespace(
            `${name}-pr-applications`,
            { metadata: { name: PR_APPLICATIONS_NAMESPACE } },
            k8sOpts,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-project-${PR_APP_PROJECT}`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: PR_APP_PROJECT, namespace: ARGOCD_NAMESPACE },
                spec: {
                    description: "Pull request environments: pr-* namespaces of the test cluster only",
                    sourceRepos: pulumi.output(args.chartRepository).apply((charts) => [...args.config.sourceRepos, charts]),
                    sourceNamespaces: [PR_APPLICATIONS_NAMESPACE],
                    destinations: [{ name: "test", namespace: PR_NAME_PATTERN }],
                    clusterResourceWhitelist: [],
                    namespaceResourceBlacklist: [
                        { group: "", kind: "ResourceQuota" },
                        { group: "", kind: "LimitRange" },
                    ],
                },
            },
            { ...k8sOpts, dependsOn: [release] },
        );
        const writer = new k8s.rbac.v1.Role(
            `${name}-pr-writer`,
            {
                metadata: { name: "payments-pr-argocd-writer", namespace: prNamespace.metadata.name },
                rules: [
                    {
                        apiGroups: ["argoproj.io"],
                        resources: ["applications"],
                        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
                    },
                ],
            },
            k8sOpts,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-pr-writer`,
            {
                metadata: { name: "payments-pr-argocd-writer", namespace: prNamespace.metadata.name },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: writer.metadata.name },
                subjects: [{ kind: "Group", name: PR_ARGOCD_WRITERS_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
            },
            k8sOpts,
        );
    }

    /**
     * Helm pulls the charts from ECR with a login that expires after 12 hours: a repository Secret
     * (enableOCI) whose password a CronJob renews with its own Pod Identity role, pull-only on charts/*.
     */
    private chartCredential(
        name: string,
        args: ArgoCdHubArgs,
        namespace: pulumi.Output<string>,
        k8sOpts: pulumi.CustomResourceOptions,
    ): void {
        const secret = new k8s.core.v1.Secret(
            `${name}-ecr-charts`,
            {
                metadata: {
                    name: ECR_CREDENTIAL_SECRET,
                    namespace,
                    labels: { "argocd.argoproj.io/secret-type": "repository" },
                    annotations: { [REPOSITORY_URL_ANNOTATION]: args.chartRepository },
                },
                type: "Opaque",
                stringData: {
                    name: ECR_CREDENTIAL_SECRET,
                    type: "helm",
                    url: args.chartRepository,
                    enableOCI: "true",
                    username: "AWS",
                    password: "",
                },
            },
            // The password is the refresher's: an update must not blank it.
            { ...k8sOpts, ignoreChanges: ["stringData.password", "data.password"] },
        );
        const role = new PodIdentityRole(
            ECR_CREDENTIAL_REFRESHER,
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: [{ namespace: ARGOCD_NAMESPACE, serviceAccount: ECR_CREDENTIAL_REFRESHER }],
                policy: pulumi.output(args.clusterArn).apply(chartPullPolicy),
            },
            { parent: this },
        );
        new k8s.core.v1.ServiceAccount(`${name}-ecr-refresher`, { metadata: { name: ECR_CREDENTIAL_REFRESHER, namespace } }, k8sOpts);
        const writer = new k8s.rbac.v1.Role(
            `${name}-ecr-refresher`,
            {
                metadata: { name: ECR_CREDENTIAL_REFRESHER, namespace },
                rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [ECR_CREDENTIAL_SECRET], verbs: ["get", "patch"] }],
            },
            k8sOpts,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-ecr-refresher`,
            {
                metadata: { name: ECR_CREDENTIAL_REFRESHER, namespace },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: writer.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: ECR_CREDENTIAL_REFRESHER, namespace: ARGOCD_NAMESPACE }],
            },
            k8sOpts,
        );
        const region = pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).region);
        new k8s.batch.v1.CronJob(
            `${name}-ecr-refresher`,
            {
                metadata: { name: ECR_CREDENTIAL_REFRESHER, namespace },
                spec: {
                    schedule: ECR_REFRESH_SCHEDULE,
                    concurrencyPolicy: "Forbid",
                    jobTemplate: {
                        spec: {
                            backoffLimit: 3,
                            template: {
                                spec: {
                                    serviceAccountName: ECR_CREDENTIAL_REFRESHER,
                                    restartPolicy: "OnFailure",
                                    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
                                    ...SYSTEM_PLACEMENT,
                                    containers: [
                                        {
                                            name: "refresh",
                                            image: AWS_CLI_IMAGE,
                                            command: ["/bin/sh", "-c"],
                                            args: [region.apply((r) => refreshScript(r, ARGOCD_NAMESPACE))],
                                            env: [{ name: "HOME", value: "/tmp" }],
                                            securityContext: {
                                                allowPrivilegeEscalation: false,
                                                readOnlyRootFilesystem: true,
                                                capabilities: { drop: ["ALL"] },
                                            },
                                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                        },
                                    ],
                                    volumes: [{ name: "tmp", emptyDir: {} }],
                                },
                            },
                        },
                    },
                },
            },
            { ...k8sOpts, dependsOn: [secret, role] },
        );
    }
}

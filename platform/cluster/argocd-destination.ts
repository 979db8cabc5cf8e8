import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { WORKLOAD_DEPLOYERS_GROUP } from "../../lib/cluster-rbac";
import { grantAccess } from "./access";
import { argocdDeployerRoleName, clusterSecretName } from "./argocd";

export interface ArgoCdHubConnection {
    /** Secret: the hub kubeconfig from platform/mgmt (authenticates as the mgmt CI role, argocd-writers group). */
    kubeconfig: pulumi.Input<string>;
    namespace: pulumi.Input<string>;
    /** The hub's Argo CD role (Pod Identity), the only principal the deployer role trusts. */
    hubRoleArn: pulumi.Input<string>;
}

export interface ArgoCdDestinationArgs {
    namer: Namer;
    env: string;
    clusterName: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    certificateAuthority: pulumi.Input<string>;
    /** The only namespaces Argo CD may change in this cluster. */
    workloadNamespaces: string[];
    hub: ArgoCdHubConnection;
    /** Built from hub.kubeconfig; every hub-side resource uses it explicitly. */
    hubKubernetes: k8s.Provider;
}

/** The `config` field of an Argo CD cluster Secret: IAM auth through the deployer role, TLS verified. */
export function argocdClusterConfig(clusterName: string, roleArn: string, caData: string): string {
    return JSON.stringify({
        awsAuthConfig: { clusterName, roleARN: roleArn },
        tlsClientConfig: { insecure: false, caData },
    });
}

/**
 * Registers this env's cluster with the mgmt hub from the env's own platform stack (mgmt is applied
 * first and cannot know env endpoints): a deployer role trusting the hub role, its access entry
 * here, and the cluster Secret in the hub, created through the hub's Kubernetes API.
 */
export class ArgoCdDestination extends pulumi.ComponentResource {
    readonly deployerRoleArn: pulumi.Output<string>;

    constructor(name: string, args: ArgoCdDestinationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ArgoCdDestination", name, {}, opts);
        const role = new aws.iam.Role(
            `${name}-deployer`,
            {
                name: argocdDeployerRoleName(args.env),
                description: "Assumed by the mgmt Argo CD hub to deploy into this cluster",
                assumeRolePolicy: pulumi.output(args.hub.hubRoleArn).apply((hubRoleArn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: hubRoleArn }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );
        const access = grantAccess(this, `${name}-deployer`, args.clusterName, {
            principalArn: role.arn,
            policies: [
                // Cluster-wide read so Argo CD can build its cache; writes only in workload namespaces.
                { policy: "AmazonEKSViewPolicy" },
                { policy: "AmazonEKSAdminPolicy", namespaces: args.workloadNamespaces },
            ],
            // Rollouts and TargetGroupBindings (CRDs no access policy covers), per namespace by RoleBinding.
            kubernetesGroups: [WORKLOAD_DEPLOYERS_GROUP],
        });

        new k8s.core.v1.Secret(
            `${name}-cluster`,
            {
                metadata: {
                    name: clusterSecretName(args.env),
                    namespace: args.hub.namespace,
                    labels: { "argocd.argoproj.io/secret-type": "cluster", "payments.io/environment": args.env },
                },
                type: "Opaque",
                stringData: {
                    name: args.env,
                    server: args.endpoint,
                    config: pulumi
                        .all([args.clusterName, role.arn, args.certificateAuthority])
                        .apply(([clusterName, roleArn, caData]) => argocdClusterConfig(clusterName, roleArn, caData)),
                },
            },
            // Registered only once the role can get in, so Argo CD's first connection succeeds.
            { parent: this, provider: args.hubKubernetes, dependsOn: access },
        );

        this.deployerRoleArn = role.arn;
        this.registerOutputs({ deployerRoleArn: this.deployerRoleArn });
    }
}

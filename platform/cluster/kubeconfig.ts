import * as pulumi from "@pulumi/pulumi";
import { arnContext } from "../../lib/pod-identity";

export interface KubeconfigArgs {
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    /** Base64 PEM. */
    certificateAuthority: pulumi.Input<string>;
}

/**
 * A kubeconfig (JSON, secret) that authenticates as the caller's own AWS identity: no role to
 * assume, so a CI job gets exactly the access entry of its trust level's CI role (a PR job the PR
 * one, a deploy job its environment's) and a platform admin the admin entry.
 */
export function callerKubeconfig(args: KubeconfigArgs): pulumi.Output<string> {
    const kubeconfig = pulumi
        .all([args.clusterName, args.clusterArn, args.endpoint, args.certificateAuthority])
        .apply(([clusterName, clusterArn, endpoint, caData]) =>
            JSON.stringify({
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
                contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
                "current-context": clusterName,
                users: [
                    {
                        name: clusterName,
                        user: {
                            exec: {
                                apiVersion: "client.authentication.k8s.io/v1beta1",
                                command: "aws",
                                args: [
                                    "--region",
                                    arnContext(clusterArn).region,
                                    "eks",
                                    "get-token",
                                    "--cluster-name",
                                    clusterName,
                                    "--output",
                                    "json",
                                ],
                            },
                        },
                    },
                ],
            }),
        );
    return pulumi.secret(kubeconfig);
}

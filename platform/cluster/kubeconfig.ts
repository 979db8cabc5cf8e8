import * as pulumi from "@pulumi/pulumi";
import { arnContext } from "../../lib/pod-identity";

export interface KubeconfigArgs {
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    /** Base64 PEM. */
    certificateAuthority: pulumi.Input<string>;
    /** The IAM role `aws eks get-token` assumes: decides which access entry the holder gets. */
    roleArn: pulumi.Input<string>;
}

/**
 * A kubeconfig (JSON, secret) that authenticates as one specific role, so each consumer gets the
 * access entry meant for it rather than the platform deploy role's cluster-admin.
 */
export function roleKubeconfig(args: KubeconfigArgs): pulumi.Output<string> {
    const kubeconfig = pulumi
        .all([args.clusterName, args.clusterArn, args.endpoint, args.certificateAuthority, args.roleArn])
        .apply(([clusterName, clusterArn, endpoint, caData, roleArn]) =>
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
                                args: ["--region", arnContext(clusterArn).region, "eks", "get-token", "--cluster-name", clusterName, "--role-arn", roleArn, "--output", "json"],
                            },
                        },
                    },
                ],
            }),
        );
    return pulumi.secret(kubeconfig);
}

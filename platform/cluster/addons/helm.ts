import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../../lib/naming";
import { PinnedChart } from "../versions";

/** What every in-cluster add-on component receives. */
export interface ClusterAddonArgs {
    namer: Namer;
    clusterName: pulumi.Input<string>;
    /** Source of partition, region and account for policy ARNs (no invoke needed). */
    clusterArn: pulumi.Input<string>;
    /** Built from the cluster's kubeconfig; passed explicitly to every Kubernetes resource. */
    kubernetes: k8s.Provider;
}

export interface PinnedReleaseArgs {
    namer: Namer;
    /** The Helm release name in the cluster; the Pulumi name is `<env>-<release>`. */
    release: string;
    chart: PinnedChart;
    namespace: pulumi.Input<string>;
    createNamespace?: boolean;
    values: pulumi.Input<Record<string, unknown>>;
}

/**
 * A Helm release at the exact chart version from versions.ts, from its upstream repository. Atomic, so
 * a failed upgrade rolls back instead of leaving a half-applied controller.
 */
export function pinnedRelease(
    args: PinnedReleaseArgs,
    opts: pulumi.CustomResourceOptions & { provider: k8s.Provider },
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        args.namer.name(args.release),
        {
            name: args.release,
            // An OCI chart is addressed by its full reference; a classic repository by name plus repo URL.
            ...(args.chart.repository.startsWith("oci://")
                ? { chart: `${args.chart.repository}/${args.chart.chart}` }
                : { chart: args.chart.chart, repositoryOpts: { repo: args.chart.repository } }),
            version: args.chart.version,
            namespace: args.namespace,
            createNamespace: args.createNamespace ?? false,
            values: args.values,
            atomic: true,
            cleanupOnFail: true,
            timeout: 900,
            maxHistory: 10,
        },
        opts,
    );
}

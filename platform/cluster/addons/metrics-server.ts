import * as pulumi from "@pulumi/pulumi";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

/** Resource metrics for HPA and `kubectl top`; it calls no AWS API, so it has no role. */
export class MetricsServer extends pulumi.ComponentResource {
    constructor(name: string, args: ClusterAddonArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:MetricsServer", name, {}, opts);
        pinnedRelease(
            {
                namer: args.namer,
                release: "metrics-server",
                chart: CHARTS.metricsServer,
                namespace: "kube-system",
                values: { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, ...SYSTEM_PLACEMENT },
            },
            { parent: this, provider: args.kubernetes },
        );
        this.registerOutputs({});
    }
}

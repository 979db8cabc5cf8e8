import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { PodIdentityRole } from "../../../lib/pod-identity";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

export const ARGO_ROLLOUTS_SERVICE_ACCOUNT = { namespace: "argo-rollouts", serviceAccount: "argo-rollouts" };

export interface ArgoRolloutsArgs extends ClusterAddonArgs {
    /** The AMP workspace canary analysis queries (AnalysisTemplates use SigV4 with this role). */
    metricsWorkspaceArn: pulumi.Input<string>;
}

/** Read-only queries on this env's workspace: analysis can measure a canary, never write metrics. */
export function argoRolloutsPolicy(workspaceArn: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "QueryCanaryMetrics",
                Effect: "Allow",
                Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
                Resource: workspaceArn,
            },
        ],
    };
}

/** Progressive delivery: canary Rollouts with metric analysis against Managed Prometheus. */
export class ArgoRollouts extends pulumi.ComponentResource {
    constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ArgoRollouts", name, {}, opts);
        const role = new PodIdentityRole(
            "argo-rollouts",
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: [ARGO_ROLLOUTS_SERVICE_ACCOUNT],
                policy: pulumi.output(args.metricsWorkspaceArn).apply(argoRolloutsPolicy),
            },
            { parent: this },
        );
        pinnedRelease(
            {
                namer: args.namer,
                release: "argo-rollouts",
                chart: CHARTS.argoRollouts,
                namespace: ARGO_ROLLOUTS_SERVICE_ACCOUNT.namespace,
                createNamespace: true,
                values: {
                    controller: { replicas: 2, ...SYSTEM_PLACEMENT, pdb: { enabled: true, minAvailable: 1 } },
                    serviceAccount: { create: true, name: ARGO_ROLLOUTS_SERVICE_ACCOUNT.serviceAccount },
                    dashboard: { enabled: false },
                },
            },
            { parent: this, provider: args.kubernetes, dependsOn: [role] },
        );
        this.registerOutputs({});
    }
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddonArgs } from "./helm";

/** The Kubernetes user the managed collector's access entry maps to (AWS's documented name). */
export const COLLECTOR_USER = "aps-collector-user";

/** What canary analysis needs: the API server plus every pod that opts in with prometheus.io annotations. */
export const SCRAPE_CONFIGURATION = `global:
  scrape_interval: 30s
  external_labels:
    clusterArn: CLUSTER_ARN
scrape_configs:
  - job_name: kubernetes-apiservers
    kubernetes_sd_configs:
      - role: endpoints
    bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
    scheme: https
    tls_config:
      ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
      insecure_skip_verify: false
    relabel_configs:
      - source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name, __meta_kubernetes_endpoint_port_name]
        action: keep
        regex: default;kubernetes;https
  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        action: keep
        regex: "true"
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
        action: replace
        target_label: __metrics_path__
        regex: (.+)
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        action: replace
        regex: ([^:]+)(?::\\d+)?;(\\d+)
        replacement: $1:$2
        target_label: __address__
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
        target_label: app
`;

export interface ManagedPrometheusArgs extends ClusterAddonArgs {
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster SG: lets the collector's ENIs reach the API server and the pods. */
    clusterSecurityGroupId: pulumi.Input<string>;
}

/**
 * Amazon Managed Prometheus with an AWS managed collector: nothing to run or patch in the cluster,
 * storage and query HA are AWS's, and Argo Rollouts queries it with SigV4.
 */
export class ManagedPrometheus extends pulumi.ComponentResource {
    readonly workspace: aws.amp.Workspace;
    /** The Prometheus-compatible base URL (…/workspaces/<id>/): append api/v1/query. */
    readonly queryEndpoint: pulumi.Output<string>;

    constructor(name: string, args: ManagedPrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ManagedPrometheus", name, {}, opts);
        this.workspace = new aws.amp.Workspace(name, { alias: args.namer.name("metrics") }, { parent: this });

        // RBAC first, so the collector's first scrape is not rejected. The scraper's access entry
        // (its service-linked role as COLLECTOR_USER) is AMP's to create: EKS refuses entries for
        // service-linked roles from anyone else.
        const clusterRole = new k8s.rbac.v1.ClusterRole(
            `${name}-collector`,
            {
                metadata: { name: "aps-collector-role" },
                rules: [
                    {
                        apiGroups: [""],
                        resources: ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"],
                        verbs: ["describe", "get", "list", "watch"],
                    },
                    {
                        apiGroups: ["extensions", "networking.k8s.io"],
                        resources: ["ingresses/status", "ingresses"],
                        verbs: ["describe", "get", "list", "watch"],
                    },
                    { apiGroups: ["metrics.eks.amazonaws.com"], resources: ["kcm/metrics", "ksh/metrics"], verbs: ["get"] },
                    { nonResourceURLs: ["/metrics"], verbs: ["get"] },
                ],
            },
            { parent: this, provider: args.kubernetes },
        );
        const binding = new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-collector`,
            {
                metadata: { name: "aps-collector-user-role-binding" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
                subjects: [{ kind: "User", name: COLLECTOR_USER, apiGroup: "rbac.authorization.k8s.io" }],
            },
            { parent: this, provider: args.kubernetes },
        );

        new aws.amp.Scraper(
            name,
            {
                alias: args.namer.name("metrics-collector"),
                source: {
                    eks: { clusterArn: args.clusterArn, subnetIds: args.privateSubnetIds, securityGroupIds: [args.clusterSecurityGroupId] },
                },
                destination: { amp: { workspaceArn: this.workspace.arn } },
                scrapeConfiguration: pulumi.output(args.clusterArn).apply((arn) => SCRAPE_CONFIGURATION.replace("CLUSTER_ARN", arn)),
            },
            { parent: this, dependsOn: [binding] },
        );

        this.queryEndpoint = this.workspace.prometheusEndpoint;
        this.registerOutputs({ queryEndpoint: this.queryEndpoint });
    }
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Environment, WorkloadEnvironment } from "../lib/environments";
import { HTTP_PORT, METRICS_PORT, ServiceName } from "./services";

/** The AnalysisTemplate every canary step runs against the platform's metrics endpoint. */
export const ANALYSIS_TEMPLATE = "payments-error-rate";

export interface CanarySettings {
    weights: number[];
    pauseMinutes: number;
    maxErrorRate: number;
    /** Prometheus-compatible query endpoint (platform `metricsQueryEndpoint`). */
    metricsQueryEndpoint: pulumi.Input<string>;
}

export interface ServiceRelease {
    service: ServiceName;
    /** The ALB target group the chart's TargetGroupBinding joins; none behind the PR gateway. */
    targetGroupArn?: pulumi.Input<string>;
    /** Pod Identity role, when the service calls AWS (informational for the chart; the association grants it). */
    roleArn?: pulumi.Input<string>;
    /** Service-specific settings (table names, queue URLs, endpoints...), rendered as container env by the chart. */
    settings: Record<string, pulumi.Input<string>>;
}

export interface ArgoApplicationsArgs {
    env: Environment;
    /** The platform env: its Argo CD AppProject and registered cluster share its name (platform/cluster/argocd.ts). */
    platformEnv: WorkloadEnvironment;
    namespace: pulumi.Input<string>;
    /** Where Applications live in the hub: the control-plane namespace, or the PR project's own (pr-<n>). */
    argocdNamespace: pulumi.Input<string>;
    /** The AppProject: the platform env's, or the PR project (only it admits the PR namespace). */
    project: string;
    hubKubernetes: k8s.Provider;
    /** The env cluster, for the AnalysisTemplate the Rollouts controller there reads. */
    envKubernetes: k8s.Provider;
    region: string;
    chartRegistry: string;
    chartVersion: string;
    imageRegistry: string;
    imageTag: string;
    releases: ServiceRelease[];
    /** Argo Rollouts canary; omitted means plain rolling updates (test, pr-<n>). */
    canary?: CanarySettings;
}

/** The canary a chart renders into its Rollout: weighted steps with pauses, analysed in the background. */
export function canaryStrategy(service: ServiceName, canary: Pick<CanarySettings, "weights" | "pauseMinutes">): Record<string, unknown> {
    return {
        steps: canary.weights.flatMap((weight) => [{ setWeight: weight }, { pause: { duration: `${canary.pauseMinutes}m` } }]),
        // Runs from the first step until promotion; a failed measurement aborts the rollout and
        // shifts all traffic back to the stable version.
        analysis: { templates: [{ templateName: ANALYSIS_TEMPLATE }], startingStep: 1, args: [{ name: "service", value: service }] },
        abortScaleDownDelaySeconds: 30,
    };
}

/** 5xx share of the canary's requests, from the metrics the platform collects. */
function errorRateQuery(namespace: string): string {
    // Series carry the labels the platform's scrape configuration sets: `app` is the pod's app.kubernetes.io/name.
    const selector = `namespace="${namespace}",app="{{args.service}}"`;
    return `sum(rate(http_requests_total{${selector},status=~"5.."}[2m])) / clamp_min(sum(rate(http_requests_total{${selector}}[2m])), 1e-9)`;
}

/**
 * The env's services as Argo CD Applications in the hub: versioned Helm charts from the central
 * ECR (OCI), values wired from this stack, deployed to the env's registered cluster, with an
 * Argo Rollouts canary analysed against the platform's metrics where configured.
 */
export class ArgoApplications extends pulumi.ComponentResource {
    /** Application names by service. */
    readonly applicationNames: Partial<Record<ServiceName, string>> = {};

    constructor(name: string, args: ArgoApplicationsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:ArgoApplications", name, {}, opts);

        let analysis: k8s.apiextensions.CustomResource | undefined;
        if (args.canary !== undefined) {
            const { metricsQueryEndpoint, maxErrorRate } = args.canary;
            const region = args.region;
            analysis = new k8s.apiextensions.CustomResource(
                `${name}-analysis`,
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "AnalysisTemplate",
                    metadata: { name: ANALYSIS_TEMPLATE, namespace: args.namespace },
                    spec: {
                        args: [{ name: "service" }],
                        metrics: [
                            {
                                name: "error-rate",
                                interval: "1m",
                                // One failed measurement aborts: a payments regression must not wait for a second.
                                failureLimit: 0,
                                successCondition: `result[0] <= ${maxErrorRate}`,
                                provider: {
                                    prometheus: pulumi.all([metricsQueryEndpoint, args.namespace]).apply(([address, namespace]) => ({
                                        address,
                                        query: errorRateQuery(namespace),
                                        // Amazon Managed Prometheus only answers SigV4-signed queries.
                                        ...(address.includes("aps-workspaces") ? { authentication: { sigv4: { region } } } : {}),
                                    })),
                                },
                            },
                        ],
                    },
                },
                { parent: this, provider: args.envKubernetes },
            );
        }

        for (const release of args.releases) {
            const applicationName = `${args.env}-${release.service}`;
            const values = {
                environment: args.env,
                image: { repository: `${args.imageRegistry}/${release.service}`, tag: args.imageTag },
                serviceAccount: { create: false, name: release.service },
                ports: { http: HTTP_PORT, metrics: METRICS_PORT },
                targetGroupBinding:
                    release.targetGroupArn === undefined ? { enabled: false } : { enabled: true, targetGroupArn: release.targetGroupArn },
                aws: { region: args.region, roleArn: release.roleArn },
                settings: release.settings,
                rollout:
                    args.canary === undefined
                        ? { enabled: false }
                        : { enabled: true, strategy: { canary: canaryStrategy(release.service, args.canary) } },
            };
            new k8s.apiextensions.CustomResource(
                `${name}-${release.service}`,
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Application",
                    metadata: {
                        name: applicationName,
                        namespace: args.argocdNamespace,
                        labels: { "payments.io/environment": args.env, "payments.io/service": release.service },
                        // Deleting the Application (e.g. a closed PR) deletes what it deployed.
                        finalizers: ["resources-finalizer.argocd.argoproj.io"],
                    },
                    spec: {
                        project: args.project,
                        source: {
                            // Argo CD addresses OCI Helm repositories without a scheme.
                            repoURL: args.chartRegistry,
                            chart: release.service,
                            targetRevision: args.chartVersion,
                            helm: { releaseName: release.service, valuesObject: values },
                        },
                        destination: { name: args.platformEnv, namespace: args.namespace },
                        syncPolicy: {
                            automated: { prune: true, selfHeal: true },
                            syncOptions: ["CreateNamespace=false", "ServerSideApply=true"],
                            retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } },
                        },
                    },
                },
                { parent: this, provider: args.hubKubernetes, dependsOn: analysis === undefined ? [] : [analysis] },
            );
            this.applicationNames[release.service] = applicationName;
        }
        this.registerOutputs({ applications: this.applicationNames });
    }
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TrustLevel } from "../../lib/ci-trust";
import { ClusterAddonArgs, pinnedRelease } from "./addons/helm";
import { SYSTEM_PLACEMENT } from "./node-groups";
import { CHARTS, RUNNER_IMAGE } from "./versions";

export const ARC_CONTROLLER_NAMESPACE = "arc-systems";
/** The controller's service account, as the scale sets must name it (chart default for release `arc`). */
export const ARC_CONTROLLER_SERVICE_ACCOUNT = "arc-gha-rs-controller";
/** The Kubernetes Secret (created out of band in each runner namespace) holding the GitHub App's credentials. */
export const GITHUB_APP_SECRET = "github-app";
export const TRUST_LEVELS: readonly TrustLevel[] = ["pr", "preview", "deploy"];

/** The `runs-on` label of each trust level's scale set: workflows name exactly these. */
export function runnerScaleSetName(level: TrustLevel): string {
    return `payments-${level}`;
}

export function runnerNamespace(level: TrustLevel): string {
    return `arc-runners-${level}`;
}

export interface RunnersConfig {
    /** The repository the runners register with, e.g. https://github.com/acme-payments/estate. */
    githubConfigUrl: string;
    /** Concurrent jobs per trust level. */
    maxRunners: Record<TrustLevel, number>;
}

/** The instance metadata service: runner pods must never borrow the node role's credentials. */
const LINK_LOCAL = "169.254.0.0/16";

/**
 * Egress of a runner pod: DNS, and HTTPS (GitHub, npm, AWS APIs through OIDC credentials, the
 * private EKS APIs over the Transit Gateway) anywhere but the metadata service; nothing else.
 */
export function runnerEgressPolicy(namespace: string): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: "runner-egress", namespace },
        spec: {
            podSelector: {},
            policyTypes: ["Ingress", "Egress"],
            ingress: [],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [LINK_LOCAL] } }], ports: [{ protocol: "TCP", port: 443 }] },
            ],
        },
    };
}

/** One ephemeral scale set: a fresh pod per job, no service-account token, no AWS identity of its own. */
export function scaleSetValues(level: TrustLevel, config: RunnersConfig): Record<string, unknown> {
    return {
        githubConfigUrl: config.githubConfigUrl,
        githubConfigSecret: GITHUB_APP_SECRET,
        runnerScaleSetName: runnerScaleSetName(level),
        minRunners: 0,
        maxRunners: config.maxRunners[level],
        controllerServiceAccount: { namespace: ARC_CONTROLLER_NAMESPACE, name: ARC_CONTROLLER_SERVICE_ACCOUNT },
        template: {
            metadata: { labels: { "payments.io/trust-level": level } },
            spec: {
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 1001, fsGroup: 123 },
                containers: [
                    {
                        name: "runner",
                        image: RUNNER_IMAGE,
                        command: ["/home/runner/run.sh"],
                        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                        resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "6Gi" } },
                    },
                ],
            },
        },
    };
}

export interface CiRunnersArgs extends ClusterAddonArgs {
    config: RunnersConfig;
}

/**
 * GitHub Actions Runner Controller on the mgmt cluster (inside the mgmt VPC, which reaches every
 * private EKS API): the controller, and one runner scale set per trust level in its own namespace,
 * so a pull request's job never runs on a runner, or in a namespace, a deploy job uses.
 */
export class CiRunners extends pulumi.ComponentResource {
    constructor(name: string, args: CiRunnersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:CiRunners", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubernetes };
        const controllerNamespace = new k8s.core.v1.Namespace(
            `${name}-controller`,
            { metadata: { name: ARC_CONTROLLER_NAMESPACE } },
            k8sOpts,
        );
        const controller = pinnedRelease(
            {
                namer: args.namer,
                release: "arc",
                chart: CHARTS.arcController,
                namespace: controllerNamespace.metadata.name,
                values: { ...SYSTEM_PLACEMENT, serviceAccount: { create: true, name: ARC_CONTROLLER_SERVICE_ACCOUNT } },
            },
            k8sOpts,
        );
        for (const level of TRUST_LEVELS) {
            const namespace = new k8s.core.v1.Namespace(
                `${name}-${level}`,
                {
                    metadata: {
                        name: runnerNamespace(level),
                        labels: { "payments.io/trust-level": level, "pod-security.kubernetes.io/enforce": "restricted" },
                    },
                },
                k8sOpts,
            );
            new k8s.networking.v1.NetworkPolicy(`${name}-${level}-egress`, runnerEgressPolicy(runnerNamespace(level)), {
                ...k8sOpts,
                dependsOn: [namespace],
            });
            pinnedRelease(
                {
                    namer: args.namer,
                    release: runnerScaleSetName(level),
                    chart: CHARTS.arcRunnerScaleSet,
                    namespace: namespace.metadata.name,
                    values: scaleSetValues(level, args.config),
                },
                { ...k8sOpts, dependsOn: [controller] },
            );
        }
        this.registerOutputs({});
    }
}

/**
 * Every version the cluster layer installs, pinned in code so that a stack file can never
 * float a chart or an add-on: upgrading is a reviewed change to this file.
 */

/** An exact SemVer (no range, no `latest`): what `helm install --version` resolves without choice. */
export const EXACT_CHART_VERSION = /^v?\d+\.\d+\.\d+$/;

export interface PinnedChart {
    chart: string;
    version: string;
    repository: string;
}

export const CHARTS = {
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "1.14.1", repository: "https://aws.github.io/eks-charts" },
    metricsServer: { chart: "metrics-server", version: "3.13.0", repository: "https://kubernetes-sigs.github.io/metrics-server/" },
    argoRollouts: { chart: "argo-rollouts", version: "2.40.5", repository: "https://argoproj.github.io/argo-helm" },
    externalDns: { chart: "external-dns", version: "1.19.0", repository: "https://kubernetes-sigs.github.io/external-dns/" },
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.50.1", repository: "https://kubernetes.github.io/autoscaler" },
    argoCd: { chart: "argo-cd", version: "8.6.4", repository: "https://argoproj.github.io/argo-helm" },
    // GitHub Actions Runner Controller: controller and scale sets must be the same version.
    arcController: {
        chart: "gha-runner-scale-set-controller",
        version: "0.12.1",
        repository: "oci://ghcr.io/actions/actions-runner-controller-charts",
    },
    arcRunnerScaleSet: {
        chart: "gha-runner-scale-set",
        version: "0.12.1",
        repository: "oci://ghcr.io/actions/actions-runner-controller-charts",
    },
    // Published as an OCI artifact only, tagged with a leading "v".
    envoyGateway: { chart: "gateway-helm", version: "v1.5.0", repository: "oci://docker.io/envoyproxy" },
} as const satisfies Record<string, PinnedChart>;

/** The runner image of every scale set (GitHub's, pinned). */
export const RUNNER_IMAGE = "ghcr.io/actions/actions-runner:2.328.0";

/** The AWS CLI image that refreshes Argo CD's ECR credential (public.ecr.aws/aws-cli/aws-cli). */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.27.50";

/** EKS managed add-ons and the Kubernetes-minor-bound images, per supported control-plane version. */
export interface KubernetesRelease {
    addons: {
        "vpc-cni": string;
        "kube-proxy": string;
        coredns: string;
        "aws-ebs-csi-driver": string;
        "eks-pod-identity-agent": string;
    };
    /** Cluster Autoscaler must match the control plane's minor version. */
    clusterAutoscalerImageTag: string;
}

export const KUBERNETES_RELEASES = {
    "1.33": {
        addons: {
            "vpc-cni": "v1.20.4-eksbuild.2",
            "kube-proxy": "v1.33.5-eksbuild.2",
            coredns: "v1.12.4-eksbuild.1",
            "aws-ebs-csi-driver": "v1.51.1-eksbuild.1",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        },
        clusterAutoscalerImageTag: "v1.33.2",
    },
    "1.34": {
        addons: {
            "vpc-cni": "v1.20.4-eksbuild.2",
            "kube-proxy": "v1.34.1-eksbuild.2",
            coredns: "v1.12.4-eksbuild.1",
            "aws-ebs-csi-driver": "v1.51.1-eksbuild.1",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        },
        clusterAutoscalerImageTag: "v1.34.1",
    },
} as const satisfies Record<string, KubernetesRelease>;

export type KubernetesVersion = keyof typeof KUBERNETES_RELEASES;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_RELEASES) as KubernetesVersion[];

export function isSupportedKubernetesVersion(version: string): version is KubernetesVersion {
    return (SUPPORTED_KUBERNETES_VERSIONS as string[]).includes(version);
}

import { EKS_VERSIONS, daysBetween, eksSupport } from "../data/eks-versions";
import { PolicyDefinition, Subject, resourcePolicy, sameReads } from "../lib/definition";

const FUNCTION = "aws:lambda/function:Function";
const DB_INSTANCE = "aws:rds/instance:Instance";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** Lambda runtimes past their AWS deprecation date (Lambda runtimes page, "Deprecated runtimes"). */
const DEPRECATED_RUNTIMES = [
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "ruby2.5",
    "ruby2.7",
    "java8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet5.0",
    "dotnet6",
    "go1.x",
    "provided",
];

/** Where a Kubernetes version is set: the eks component and aws.eks.Cluster (control plane), node groups (kubelet). */
const EKS_VERSIONED = ["eks:index:Cluster", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"];

/** The Kubernetes version a cluster or node group pins; undefined when it leaves the choice to AWS. */
function kubernetesVersion(r: Subject): string | undefined {
    return typeof r.props.version === "string" && r.props.version !== "" ? r.props.version : undefined;
}

export const VERSIONS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "versions-current",
        domain: "versions",
        description: "Lambda runtimes are supported, RDS applies minor upgrades automatically, load balancers mitigate HTTP desync.",
        prevents: "Running on a runtime or engine without security fixes, and request smuggling through a lenient load balancer.",
        severity: "medium",
        remediation:
            'Use a supported Lambda runtime (nodejs22.x), set autoMinorVersionUpgrade true on aws.rds.Instance, and desyncMitigationMode "defensive" or "strictest" on load balancers.',
        level: "mandatory",
        checkov: "CKV_AWS_363",
        securityHub: ["Lambda.2", "RDS.13", "ELB.12"],
        pci: ["6.3.3"],
        types: [FUNCTION, DB_INSTANCE, ...LOAD_BALANCERS],
        reads: {
            [FUNCTION]: ["runtime"],
            [DB_INSTANCE]: ["autoMinorVersionUpgrade"],
            ...Object.fromEntries(LOAD_BALANCERS.map((t) => [t, ["desyncMitigationMode", "loadBalancerType"]])),
        },
        check: (r, ctx) => {
            if (r.type === FUNCTION && DEPRECATED_RUNTIMES.includes(String(r.props.runtime ?? ""))) {
                ctx.report(`Function ${r.name} runs on deprecated runtime ${r.props.runtime}.`);
            } else if (r.type === DB_INSTANCE && r.props.autoMinorVersionUpgrade === false) {
                ctx.report(`Database ${r.name} does not apply minor version upgrades automatically.`);
            } else if (
                LOAD_BALANCERS.includes(r.type) &&
                (r.props.loadBalancerType ?? "application") === "application" &&
                r.props.desyncMitigationMode === "monitor"
            ) {
                ctx.report(`Load balancer ${r.name} only monitors HTTP desync (desyncMitigationMode monitor).`);
            }
        },
    }),
    resourcePolicy({
        name: "eks-version-supported",
        domain: "versions",
        description: `EKS clusters and node groups run a Kubernetes version AWS still supports (standard or extended support; list in policy-pack/data/eks-versions.ts, newest ${EKS_VERSIONS[EKS_VERSIONS.length - 1].version}).`,
        prevents: "A control plane or kubelet without security patches, which AWS then upgrades on its own schedule, mid-change.",
        severity: "high",
        remediation:
            "Upgrade the cluster one minor version at a time (platform/cluster/versions.ts pins the add-ons per version), then its node groups.",
        level: "mandatory",
        checkov: "CKV_AWS_339",
        securityHub: ["EKS.2"],
        pci: ["6.3.3"],
        types: EKS_VERSIONED,
        reads: sameReads(EKS_VERSIONED, ["version"]),
        check: (r, ctx) => {
            const version = kubernetesVersion(r);
            const support = version === undefined ? undefined : eksSupport(version, ctx.asOf);
            if (version !== undefined && support?.state === "unsupported") {
                const ended = support.version ? ` (extended support ended ${support.version.endOfExtendedSupport})` : "";
                ctx.report(`${r.name} runs Kubernetes ${version}, which EKS no longer supports${ended}.`);
            }
        },
    }),
    resourcePolicy<{ warnDays: number }>({
        name: "eks-version-standard-support",
        domain: "versions",
        description:
            "EKS clusters and node groups pin a Kubernetes version that is in standard support and not within warnDays (60) of its end.",
        prevents: "Paying for extended support by surprise, and an upgrade squeezed into the last weeks before AWS forces it.",
        severity: "medium",
        remediation:
            "Set version explicitly and plan the upgrade to the next minor version before standard support ends (dates in policy-pack/data/eks-versions.ts).",
        level: "advisory",
        checkov: "CKV_AWS_339",
        securityHub: ["EKS.2"],
        types: EKS_VERSIONED,
        reads: sameReads(EKS_VERSIONED, ["version"]),
        schema: { warnDays: { type: "integer", minimum: 0 } },
        defaults: () => ({ warnDays: 60 }),
        check: (r, ctx) => {
            const version = kubernetesVersion(r);
            if (version === undefined) {
                // A node group without a version follows its cluster; a cluster without one gets AWS's default at creation.
                if (r.type !== "aws:eks/nodeGroup:NodeGroup") {
                    ctx.report(`${r.name} does not pin its Kubernetes version.`);
                }
                return;
            }
            const support = eksSupport(version, ctx.asOf);
            if (support.state === "extended") {
                ctx.report(
                    `${r.name} runs Kubernetes ${version} on extended support (standard support ended ${support.version.endOfStandardSupport}).`,
                );
            } else if (support.state === "standard" && support.version) {
                const left = daysBetween(ctx.asOf, support.version.endOfStandardSupport);
                if (left <= ctx.config.warnDays) {
                    ctx.report(
                        `${r.name} runs Kubernetes ${version}, whose standard support ends ${support.version.endOfStandardSupport} (in ${left} days).`,
                    );
                }
            }
        },
    }),
];

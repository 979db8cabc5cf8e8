import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { PodIdentityRole, ServiceAccountRef, arnContext } from "../../lib/pod-identity";
import { KubernetesRelease } from "./versions";

type ManagedAddonName = keyof KubernetesRelease["addons"];

/** vpc-cni enforces Kubernetes NetworkPolicy itself (eBPF), so no extra policy engine runs. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

interface AddonSpec {
    name: ManagedAddonName;
    configurationValues?: Record<string, unknown>;
    /** The add-on's own AWS identity (Pod Identity), instead of rights on the node role. */
    identity?: { serviceAccount: ServiceAccountRef; managedPolicy: string };
}

/**
 * Add-ons nodes need before they can become Ready (networking, service routing, credentials).
 * The cluster is created without EKS's self-managed copies, so these come first.
 */
const BEFORE_NODES: AddonSpec[] = [
    // First: add-ons with a Pod Identity role get their credentials through it.
    { name: "eks-pod-identity-agent" },
    {
        name: "vpc-cni",
        configurationValues: VPC_CNI_CONFIGURATION,
        identity: { serviceAccount: { namespace: "kube-system", serviceAccount: "aws-node" }, managedPolicy: "AmazonEKS_CNI_Policy" },
    },
    { name: "kube-proxy" },
];

/** Add-ons whose pods must schedule: created once node groups exist, or they never become ACTIVE. */
const AFTER_NODES: AddonSpec[] = [
    { name: "coredns" },
    {
        name: "aws-ebs-csi-driver",
        identity: {
            serviceAccount: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
            managedPolicy: "service-role/AmazonEBSCSIDriverPolicy",
        },
    },
];

export interface ManagedAddonsArgs {
    namer: Namer;
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    release: KubernetesRelease;
    phase: "beforeNodes" | "afterNodes";
    /** For the afterNodes phase: the node groups whose nodes the add-on pods schedule on. */
    after?: pulumi.Resource[];
    /** For the afterNodes phase: the agent installed before nodes. */
    podIdentityAgent?: pulumi.Resource;
}

/**
 * EKS managed add-ons at the versions pinned in versions.ts. CNI and EBS CSI keep the AWS-managed
 * policies, which AWS updates as the controllers' API calls change; they are bound to the
 * controllers' service accounts only, never to the node role.
 */
export class ManagedAddons extends pulumi.ComponentResource {
    readonly addons: aws.eks.Addon[];
    /** Set in the beforeNodes phase. */
    readonly podIdentityAgent?: pulumi.Resource;

    constructor(name: string, args: ManagedAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ManagedAddons", name, {}, opts);
        const partition = pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).partition);
        const specs = args.phase === "beforeNodes" ? BEFORE_NODES : AFTER_NODES;
        let podIdentityAgent = args.podIdentityAgent;
        this.addons = specs.map((spec) => {
            const role = spec.identity
                ? new PodIdentityRole(
                      spec.name,
                      {
                          namer: args.namer,
                          clusterName: args.clusterName,
                          // Associated through the add-on itself so EKS manages the binding's lifecycle.
                          serviceAccounts: [],
                          managedPolicyArns: [pulumi.interpolate`arn:${partition}:iam::aws:policy/${spec.identity.managedPolicy}`],
                      },
                      { parent: this },
                  )
                : undefined;
            const addon = new aws.eks.Addon(
                args.namer.name(spec.name),
                {
                    clusterName: args.clusterName,
                    addonName: spec.name,
                    addonVersion: args.release.addons[spec.name],
                    configurationValues: spec.configurationValues ? JSON.stringify(spec.configurationValues) : undefined,
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                    podIdentityAssociations:
                        role && spec.identity
                            ? [{ roleArn: role.roleArn, serviceAccount: spec.identity.serviceAccount.serviceAccount }]
                            : undefined,
                },
                { parent: this, dependsOn: [...(args.after ?? []), ...(role && podIdentityAgent ? [podIdentityAgent] : [])] },
            );
            if (spec.name === "eks-pod-identity-agent") {
                podIdentityAgent = addon;
            }
            return addon;
        });
        this.podIdentityAgent = args.phase === "beforeNodes" ? podIdentityAgent : undefined;
        this.registerOutputs({});
    }
}

import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { AccessGrant, toAccessEntries } from "./access";

/** Every control-plane log type EKS offers: audit and authenticator are what an investigation needs. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * eks.Cluster v4 always creates its aws.eks.Cluster with `bootstrapClusterCreatorAdminPermissions: true`
 * (it assumes it deploys charts itself) and offers no input to turn that off. This transform, which the
 * engine also applies inside the remote component, turns it off: nobody holds cluster-admin just for
 * having run `pulumi up`; every principal comes from an access entry we declare.
 */
export const disableClusterCreatorAdmin: pulumi.ResourceTransform = (args) => {
    if (args.type !== "aws:eks/cluster:Cluster") {
        return undefined;
    }
    const withCreatorAdminOff = (accessConfig: unknown) => ({
        ...((accessConfig as Record<string, unknown> | undefined) ?? {}),
        bootstrapClusterCreatorAdminPermissions: false,
    });
    const current: unknown = args.props.accessConfig;
    const accessConfig = pulumi.Output.isInstance(current) ? current.apply(withCreatorAdminOff) : withCreatorAdminOff(current);
    return { props: { ...args.props, accessConfig }, opts: args.opts };
};

export interface EksClusterArgs {
    namer: Namer;
    kubernetesVersion: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets only (one per AZ): the control plane's ENIs never sit in a public subnet. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The only network, besides the cluster's own nodes, allowed to reach the API on 443. */
    mgmtVpcCidr: string;
    /** mgmt bootstrap only: opens the public endpoint to these CIDRs for one run. */
    bootstrapPublicAccessCidrs: string[];
    /** The role the stack's AWS provider assumes; the cluster kubeconfig (for Helm releases) uses it too. */
    deployRoleArn: pulumi.Input<string>;
    access: Record<string, AccessGrant>;
    /** Tags for the component's own inputs, which the provider's defaultTags do not reach. */
    tags: Record<string, string>;
    /** Prod: the secrets key cannot be deleted by a `pulumi up` (losing it makes every secret unreadable). */
    protect: boolean;
}

/**
 * The EKS control plane: private endpoint, KMS envelope encryption of secrets, every log type,
 * API authentication with declared access entries only, and no node group or security group of
 * the component's own (node groups and add-ons are separate, explicit resources).
 */
export class EksCluster extends pulumi.ComponentResource {
    readonly cluster: eks.Cluster;
    readonly secretsKey: aws.kms.Key;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    /** Base64 PEM, as kubeconfig and Argo CD's caData expect. */
    readonly certificateAuthority: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    /** The EKS-created cluster security group: on the control-plane ENIs and every managed node. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Secret: authenticates as the deploy role. */
    readonly kubeconfigJson: pulumi.Output<string>;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:EksCluster", name, {}, opts);
        const { namer } = args;
        const clusterName = namer.name("eks", { kind: "eksCluster" });
        const bootstrapOpen = args.bootstrapPublicAccessCidrs.length > 0;
        if (bootstrapOpen) {
            pulumi.log.warn(
                `${clusterName}: the public endpoint is open to ${args.bootstrapPublicAccessCidrs.join(", ")} for the bootstrap run; ` +
                    "set platform:cluster.bootstrapPublicAccessCidrs to [] and run again from the self-hosted runners to close it",
                this,
            );
        }

        this.secretsKey = new aws.kms.Key(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes secrets in ${clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            },
            { parent: this, protect: args.protect },
        );
        new aws.kms.Alias(
            `${name}-secrets`,
            { name: `alias/${namer.name("eks-secrets")}`, targetKeyId: this.secretsKey.keyId },
            { parent: this },
        );

        // A remote component does not inherit its parent's providers: hand it ours, or it would use ambient credentials.
        const awsProvider = this.getProvider("aws::");
        if (awsProvider === undefined) {
            throw new Error(`EksCluster ${name}: no aws provider; pass the account provider through a parent's providers`);
        }
        this.cluster = new eks.Cluster(
            name,
            {
                name: clusterName,
                version: args.kubernetesVersion,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: bootstrapOpen,
                publicAccessCidrs: bootstrapOpen ? args.bootstrapPublicAccessCidrs : undefined,
                encryptionConfigKeyArn: this.secretsKey.arn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                authenticationMode: "API",
                accessEntries: toAccessEntries(args.access),
                skipDefaultNodeGroup: true,
                // The EKS-created cluster SG (self-referencing) is enough; our rule below adds the mgmt VPC.
                skipDefaultSecurityGroups: true,
                // Core add-ons are installed below as pinned managed add-ons, not by EKS's bootstrap.
                bootstrapSelfManagedAddons: false,
                useDefaultVpcCni: true,
                kubeProxyAddonOptions: { enabled: false },
                corednsAddonOptions: { enabled: false },
                createOidcProvider: false,
                deletionProtection: true,
                providerCredentialOpts: { roleArn: args.deployRoleArn },
                tags: args.tags,
            },
            { parent: this, providers: { aws: awsProvider }, transforms: [disableClusterCreatorAdmin] },
        );

        const eksCluster = this.cluster.eksCluster;
        this.clusterName = eksCluster.apply((c) => c.name);
        this.clusterArn = eksCluster.apply((c) => c.arn);
        this.endpoint = eksCluster.apply((c) => c.endpoint);
        this.certificateAuthority = eksCluster.apply((c) => c.certificateAuthority.data);
        // The cluster's own issuer: it exists whether or not an IAM OIDC provider is created (we use Pod Identity).
        this.oidcIssuer = eksCluster.apply((c) => c.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? ""));
        this.clusterSecurityGroupId = this.cluster.clusterSecurityGroupId;
        this.kubeconfigJson = pulumi.secret(this.cluster.kubeconfigJson);

        new aws.vpc.SecurityGroupIngressRule(
            `${name}-api-from-mgmt`,
            {
                securityGroupId: this.clusterSecurityGroupId,
                description: "Kubernetes API from the mgmt VPC (Argo CD, self-hosted runners) over the Transit Gateway",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: args.mgmtVpcCidr,
            },
            { parent: this },
        );

        this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint });
    }
}

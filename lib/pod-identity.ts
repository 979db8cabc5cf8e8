import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "./naming";

/** The trust every Pod Identity role has: the EKS Pod Identity agent, which also tags the session. */
export const POD_IDENTITY_TRUST: aws.iam.PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        },
    ],
};

export interface ServiceAccountRef {
    namespace: string;
    serviceAccount: string;
}

export interface PodIdentityRoleArgs {
    namer: Namer;
    clusterName: pulumi.Input<string>;
    /** The service accounts whose pods receive this role's credentials; empty when an EKS add-on binds it. */
    serviceAccounts: ServiceAccountRef[];
    /** Inline least-privilege policy; omitted when only managed policies apply. */
    policy?: pulumi.Input<aws.iam.PolicyDocument>;
    /** AWS-maintained policies, used only where AWS tracks the controller's API needs (CNI, EBS CSI). */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Required on roles a pull request creates (the PR deployment role may create no other). */
    permissionsBoundary?: pulumi.Input<string>;
}

/**
 * One IAM role per in-cluster controller that calls AWS, bound to its service account(s) with
 * EKS Pod Identity (no OIDC trust to maintain, credentials never on the node role).
 */
export class PodIdentityRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly roleArn: pulumi.Output<string>;

    /** `component` names the controller; the role's physical and logical name is `<env>-<component>`. */
    constructor(component: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        const name = args.namer.name(component, { kind: "iamRole" });
        super("payments:platform:PodIdentityRole", name, {}, opts);
        this.role = new aws.iam.Role(
            name,
            {
                name,
                description: `Pod Identity role for ${args.serviceAccounts.map((sa) => `${sa.namespace}/${sa.serviceAccount}`).join(", ") || component}`,
                assumeRolePolicy: JSON.stringify(POD_IDENTITY_TRUST),
                permissionsBoundary: args.permissionsBoundary,
            },
            { parent: this },
        );
        if (args.policy !== undefined) {
            new aws.iam.RolePolicy(
                name,
                { role: this.role.name, policy: pulumi.output(args.policy).apply((doc) => JSON.stringify(doc)) },
                { parent: this },
            );
        }
        (args.managedPolicyArns ?? []).forEach((policyArn, index) => {
            new aws.iam.RolePolicyAttachment(`${name}-managed-${index}`, { role: this.role.name, policyArn }, { parent: this });
        });
        for (const sa of args.serviceAccounts) {
            new aws.eks.PodIdentityAssociation(
                `${name}-${sa.serviceAccount}`,
                { clusterName: args.clusterName, namespace: sa.namespace, serviceAccount: sa.serviceAccount, roleArn: this.role.arn },
                { parent: this },
            );
        }
        this.roleArn = this.role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/** Partition, region and account of the cluster, read from its ARN so policies need no invoke. */
export interface ArnContext {
    partition: string;
    region: string;
    accountId: string;
}

export function arnContext(clusterArn: string): ArnContext {
    const [, partition, , region, accountId] = clusterArn.split(":");
    return { partition, region, accountId };
}

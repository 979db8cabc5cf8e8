import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface IngressSecurityGroupArgs {
    /** Physical (and logical) name of the group; rules are named after it. */
    name: string;
    description: string;
    vpcId: pulumi.Input<string>;
    port: number;
    sourceSecurityGroupIds?: pulumi.Input<string>[];
    sourceCidrBlocks?: pulumi.Input<string>[];
}

/**
 * A security group for a data service that only answers connections: one TCP port, from the
 * listed security groups and CIDRs, and no egress (the provider removes AWS's default
 * allow-all egress from a group it creates).
 */
export function ingressSecurityGroup(args: IngressSecurityGroupArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(args.name, { name: args.name, description: args.description, vpcId: args.vpcId }, { parent });
    const rule = (suffix: string, source: Pick<aws.vpc.SecurityGroupIngressRuleArgs, "referencedSecurityGroupId" | "cidrIpv4">) =>
        new aws.vpc.SecurityGroupIngressRule(
            `${args.name}-${suffix}`,
            {
                securityGroupId: group.id,
                ipProtocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
                description: `${args.port} from an allowed client`,
                ...source,
            },
            { parent },
        );
    (args.sourceSecurityGroupIds ?? []).forEach((id, i) => rule(`from-sg-${i}`, { referencedSecurityGroupId: id }));
    (args.sourceCidrBlocks ?? []).forEach((cidr, i) => rule(`from-cidr-${i}`, { cidrIpv4: cidr }));
    return group;
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../environments";
import { Namer } from "../naming";
import { POSTGRES_PORT } from "./database";

export interface WorkerSecurityGroupArgs {
    env: Environment;
    vpcId: pulumi.Input<string>;
    vpcCidr: pulumi.Input<string>;
    /** `payments-worker` (an env's own worker); `pr-workers` for the group the test platform shares among all PR workers. */
    component?: string;
}

/**
 * The worker's network identity, created before the data services so their security groups can
 * admit exactly this group. Egress: HTTPS (AWS APIs through endpoints or NAT, OpenSearch) and
 * PostgreSQL inside the VPC; nothing else.
 */
export class WorkerSecurityGroup extends pulumi.ComponentResource {
    readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: WorkerSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:WorkerSecurityGroup", name, {}, opts);
        const groupName = new Namer(args.env).name(args.component ?? "payments-worker", { suffix: "sg" });
        this.securityGroup = new aws.ec2.SecurityGroup(
            groupName,
            { name: groupName, description: `Payments worker Lambda (${groupName}): no ingress`, vpcId: args.vpcId },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${groupName}-https`,
            {
                securityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
                description: "AWS APIs and OpenSearch over TLS",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${groupName}-postgres`,
            {
                securityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                cidrIpv4: args.vpcCidr,
                description: "PostgreSQL inside the VPC",
            },
            { parent: this },
        );
        this.registerOutputs({ securityGroupId: this.securityGroup.id });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { Network } from "./network";

/** Routes one CIDR from each of a VPC's private route tables to the Transit Gateway. */
function routeToTransitGateway(
    namer: Namer,
    label: string,
    network: Network,
    destinationCidrBlock: string,
    transitGatewayId: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): aws.ec2.Route[] {
    return network.privateRouteTableIds.map(
        (routeTableId, az) =>
            new aws.ec2.Route(
                namer.name("tgw-route", { suffix: `${label}-az${az + 1}` }),
                { routeTableId, destinationCidrBlock, transitGatewayId },
                opts,
            ),
    );
}

export interface TransitGatewayHubArgs {
    namer: Namer;
    /** The mgmt VPC. */
    network: Network;
    /** Workload accounts the hub is shared with through RAM, by account name. */
    shareWithAccountIds: Record<string, pulumi.Input<string>>;
    /** The env VPC CIDRs mgmt routes back to, by env. */
    spokeCidrs: Record<string, string>;
}

/**
 * The hub in mgmt. Two route tables keep the envs apart: the mgmt attachment is associated with
 * `hub` (which learns a route to every env), every env attachment with `spokes` (which knows only
 * mgmt), so test can never reach prod through the hub. Nothing is auto-accepted or auto-associated:
 * an attachment routes only once someone has wired it explicitly.
 */
export class TransitGatewayHub extends pulumi.ComponentResource {
    readonly transitGatewayId: pulumi.Output<string>;
    readonly hubRouteTableId: pulumi.Output<string>;
    readonly spokeRouteTableId: pulumi.Output<string>;

    constructor(name: string, args: TransitGatewayHubArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:TransitGatewayHub", name, {}, opts);
        const { namer, network } = args;
        const tgw = new aws.ec2transitgateway.TransitGateway(
            namer.name("tgw"),
            {
                description: "payments hub: mgmt <-> each env, envs isolated from each other",
                autoAcceptSharedAttachments: "disable",
                defaultRouteTableAssociation: "disable",
                defaultRouteTablePropagation: "disable",
                dnsSupport: "enable",
                vpnEcmpSupport: "enable",
                tags: { Name: namer.name("tgw") },
            },
            { parent: this },
        );
        this.transitGatewayId = tgw.id;

        const share = new aws.ram.ResourceShare(
            namer.name("tgw-share"),
            { name: namer.name("tgw-share"), allowExternalPrincipals: false },
            { parent: this },
        );
        new aws.ram.ResourceAssociation(namer.name("tgw-share"), { resourceArn: tgw.arn, resourceShareArn: share.arn }, { parent: this });
        for (const [account, accountId] of Object.entries(args.shareWithAccountIds)) {
            new aws.ram.PrincipalAssociation(
                namer.name("tgw-share", { suffix: account }),
                { principal: accountId, resourceShareArn: share.arn },
                { parent: this },
            );
        }

        const hub = new aws.ec2transitgateway.RouteTable(
            namer.name("tgw-rt", { suffix: "hub" }),
            { transitGatewayId: tgw.id, tags: { Name: namer.name("tgw-rt", { suffix: "hub" }) } },
            { parent: this },
        );
        const spokes = new aws.ec2transitgateway.RouteTable(
            namer.name("tgw-rt", { suffix: "spokes" }),
            { transitGatewayId: tgw.id, tags: { Name: namer.name("tgw-rt", { suffix: "spokes" }) } },
            { parent: this },
        );
        this.hubRouteTableId = hub.id;
        this.spokeRouteTableId = spokes.id;

        const attachment = new aws.ec2transitgateway.VpcAttachment(
            namer.name("tgw-attachment"),
            {
                transitGatewayId: tgw.id,
                vpcId: network.vpcId,
                subnetIds: network.privateSubnetIds,
                transitGatewayDefaultRouteTableAssociation: false,
                transitGatewayDefaultRouteTablePropagation: false,
                dnsSupport: "enable",
                tags: { Name: namer.name("tgw-attachment") },
            },
            { parent: this },
        );
        new aws.ec2transitgateway.RouteTableAssociation(
            namer.name("tgw-rt-assoc", { suffix: "mgmt" }),
            { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: hub.id },
            { parent: this },
        );
        // Every env reaches mgmt through the spokes table, and nothing else.
        new aws.ec2transitgateway.Route(
            namer.name("tgw-route", { suffix: "spokes-to-mgmt" }),
            { transitGatewayRouteTableId: spokes.id, destinationCidrBlock: network.cidrBlock, transitGatewayAttachmentId: attachment.id },
            { parent: this },
        );
        // The return path in the mgmt VPC; each env's stack adds its hub-table route when it attaches.
        for (const [env, cidr] of Object.entries(args.spokeCidrs)) {
            routeToTransitGateway(namer, env, network, cidr, tgw.id, { parent: this, dependsOn: [attachment] });
        }
        this.registerOutputs({ transitGatewayId: this.transitGatewayId });
    }
}

export interface TransitGatewaySpokeArgs {
    namer: Namer;
    /** The env VPC. */
    network: Network;
    /** From platform/mgmt. */
    transitGatewayId: pulumi.Input<string>;
    hubRouteTableId: pulumi.Input<string>;
    spokeRouteTableId: pulumi.Input<string>;
    hubCidr: string;
    /** The management account's provider: acceptance and hub routing happen on the hub's side. */
    managementProvider: aws.Provider;
}

/**
 * An env VPC's attachment to the shared hub, and both halves of its wiring. The env stack
 * creates the attachment in its own account and, through the management account's deployment
 * role, accepts it and routes the env CIDR back, so one `pulumi up` of platform/<env> connects
 * the env without a second run of platform/mgmt.
 */
export class TransitGatewaySpoke extends pulumi.ComponentResource {
    readonly attachmentId: pulumi.Output<string>;

    constructor(name: string, args: TransitGatewaySpokeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:TransitGatewaySpoke", name, {}, opts);
        const { namer, network } = args;
        const hubSide = { parent: this, provider: args.managementProvider };

        // Association and propagation flags cannot be set by the attaching account of a shared gateway.
        const attachment = new aws.ec2transitgateway.VpcAttachment(
            namer.name("tgw-attachment"),
            {
                transitGatewayId: args.transitGatewayId,
                vpcId: network.vpcId,
                subnetIds: network.privateSubnetIds,
                dnsSupport: "enable",
                tags: { Name: namer.name("tgw-attachment") },
            },
            { parent: this },
        );
        this.attachmentId = attachment.id;
        const accepter = new aws.ec2transitgateway.VpcAttachmentAccepter(
            namer.name("tgw-accept"),
            {
                transitGatewayAttachmentId: attachment.id,
                transitGatewayDefaultRouteTableAssociation: false,
                transitGatewayDefaultRouteTablePropagation: false,
                tags: { Name: namer.name("tgw-attachment") },
            },
            hubSide,
        );
        new aws.ec2transitgateway.RouteTableAssociation(
            namer.name("tgw-rt-assoc"),
            { transitGatewayAttachmentId: accepter.transitGatewayAttachmentId, transitGatewayRouteTableId: args.spokeRouteTableId },
            hubSide,
        );
        new aws.ec2transitgateway.Route(
            namer.name("tgw-route", { suffix: "hub-to-env" }),
            {
                transitGatewayRouteTableId: args.hubRouteTableId,
                destinationCidrBlock: network.cidrBlock,
                transitGatewayAttachmentId: accepter.transitGatewayAttachmentId,
            },
            hubSide,
        );
        routeToTransitGateway(namer, "mgmt", network, args.hubCidr, args.transitGatewayId, { parent: this, dependsOn: [accepter] });
        this.registerOutputs({ attachmentId: this.attachmentId });
    }
}

import { expect } from "chai";
import { VPC_CIDRS } from "../../lib/environments";
import { Inventory } from "../harness";
import { ACCOUNTS, providerOf, synthesizePlatform } from "./fixtures";

const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const ACCEPTER = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter";
const TGW_ROUTE = "aws:ec2transitgateway/route:Route";
const ASSOCIATION = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation";
const VPC_ROUTE = "aws:ec2/route:Route";

describe("platform Transit Gateway", () => {
    let mgmt: Inventory;
    let prod: Inventory;
    before(async () => {
        [mgmt, prod] = await Promise.all([synthesizePlatform("mgmt"), synthesizePlatform("prod")]);
    });

    describe("hub (mgmt)", () => {
        it("accepts, associates and propagates nothing by default", () => {
            expect(mgmt.one(TGW).inputs).to.include({
                autoAcceptSharedAttachments: "disable",
                defaultRouteTableAssociation: "disable",
                defaultRouteTablePropagation: "disable",
            });
            expect(mgmt.outputs.transitGatewayId).to.match(/^tgw-/);
        });

        it("is shared through RAM with the three workload accounts and nobody outside the organization", () => {
            expect(mgmt.one("aws:ram/resourceShare:ResourceShare").inputs.allowExternalPrincipals).to.equal(false);
            const principals = mgmt.ofType("aws:ram/principalAssociation:PrincipalAssociation").map((p) => p.inputs.principal);
            expect(principals.sort()).to.deep.equal([ACCOUNTS.preprod, ACCOUNTS.prod, ACCOUNTS.test].sort());
            const shared = mgmt.one("aws:ram/resourceAssociation:ResourceAssociation");
            expect(shared.dependencies).to.include(mgmt.one(TGW).urn);
        });

        it("attaches the mgmt VPC from its private subnets to the hub route table", () => {
            const attachment = mgmt.one(ATTACHMENT);
            expect(attachment.inputs.subnetIds).to.deep.equal(mgmt.outputs.privateSubnetIds);
            expect(attachment.inputs).to.include({
                transitGatewayDefaultRouteTableAssociation: false,
                transitGatewayDefaultRouteTablePropagation: false,
            });
            const association = mgmt.one(ASSOCIATION);
            expect(association.inputs.transitGatewayRouteTableId).to.equal(mgmt.outputs.transitGatewayHubRouteTableId);
        });

        it("gives every env a route to mgmt, and only to mgmt, through the spokes table", () => {
            const routes = mgmt.ofType(TGW_ROUTE);
            expect(routes).to.have.length(1);
            expect(routes[0].inputs).to.include({
                transitGatewayRouteTableId: mgmt.outputs.transitGatewaySpokeRouteTableId,
                destinationCidrBlock: VPC_CIDRS.mgmt,
            });
        });

        it("routes back from every mgmt private subnet to every env VPC", () => {
            const routes = mgmt.ofType(VPC_ROUTE);
            for (const env of ["test", "preprod", "prod"] as const) {
                const toEnv = routes.filter((r) => r.inputs.destinationCidrBlock === VPC_CIDRS[env]);
                expect(toEnv, env).to.have.length(3);
                expect(new Set(toEnv.map((r) => r.inputs.routeTableId)).size).to.equal(3);
                toEnv.forEach((r) => expect(r.inputs.transitGatewayId).to.equal(mgmt.outputs.transitGatewayId));
            }
        });
    });

    describe("spoke (prod)", () => {
        it("attaches the env VPC's private subnets to the hub that platform/mgmt exports", () => {
            const attachment = prod.one(ATTACHMENT);
            expect(attachment.inputs.transitGatewayId).to.equal(mgmt.outputs.transitGatewayId);
            expect(attachment.inputs.subnetIds).to.deep.equal(prod.outputs.privateSubnetIds);
            expect(providerOf(prod, attachment).roleArn).to.contain(ACCOUNTS.prod);
            expect(prod.outputs.transitGatewayId).to.equal(mgmt.outputs.transitGatewayId);
        });

        it("accepts the attachment in the management account, since auto-accept is off", () => {
            const accepter = prod.one(ACCEPTER);
            expect(accepter.inputs.transitGatewayAttachmentId).to.match(/^tgw-attach-/);
            expect(accepter.dependencies).to.include(prod.one(ATTACHMENT).urn);
            expect(providerOf(prod, accepter).roleArn).to.equal(`arn:aws:iam::${ACCOUNTS.management}:role/payments-deployment`);
        });

        it("associates the env with the spokes table and routes its CIDR back from the hub table", () => {
            const association = prod.one(ASSOCIATION);
            expect(association.inputs.transitGatewayRouteTableId).to.equal(mgmt.outputs.transitGatewaySpokeRouteTableId);
            const back = prod.one(TGW_ROUTE);
            expect(back.inputs).to.include({
                transitGatewayRouteTableId: mgmt.outputs.transitGatewayHubRouteTableId,
                destinationCidrBlock: VPC_CIDRS.prod,
            });
            for (const resource of [association, back]) {
                expect(providerOf(prod, resource).roleArn, resource.name).to.contain(ACCOUNTS.management);
                expect(resource.dependencies).to.include(prod.one(ACCEPTER).urn);
            }
        });

        it("routes the mgmt CIDR from each private subnet to the hub, once the attachment is accepted", () => {
            const routes = prod.ofType(VPC_ROUTE);
            expect(routes).to.have.length(3);
            for (const route of routes) {
                expect(route.inputs).to.include({ destinationCidrBlock: VPC_CIDRS.mgmt, transitGatewayId: mgmt.outputs.transitGatewayId });
                expect(route.dependencies).to.include(prod.one(ACCEPTER).urn);
            }
        });
    });
});

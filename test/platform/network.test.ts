import { expect } from "chai";
import { VPC_CIDRS } from "../../lib/environments";
import { GATEWAY_ENDPOINT_SERVICES, INTERFACE_ENDPOINT_SERVICES } from "../../platform/network";
import { Inventory } from "../harness";
import { synthesizePlatform, within } from "./fixtures";

const VPC = "awsx:ec2:Vpc";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

describe("platform network", () => {
    let prod: Inventory;
    let test: Inventory;
    before(async () => {
        const network = (inventory: Inventory) => within(inventory, "payments:platform:Network");
        [prod, test] = (await Promise.all([synthesizePlatform("prod"), synthesizePlatform("test")])).map(network);
    });

    it("builds the env VPC from its conventions CIDR with public, private and isolated subnets in 3 AZs", () => {
        const vpc = prod.one(VPC);
        expect(prod.input(vpc, "cidrBlock")).to.equal(VPC_CIDRS.prod);
        expect(prod.input(vpc, "numberOfAvailabilityZones")).to.equal(3);
        const tiers = prod.input<{ type: string }[]>(vpc, "subnetSpecs").map((spec) => spec.type);
        expect([...tiers].sort()).to.deep.equal(["Isolated", "Private", "Public"]);
        for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) {
            expect(prod.outputs[key], key).to.have.length(3);
        }
        expect(prod.input(vpc, "tags.Environment"), "awsx children are out of defaultTags' reach").to.equal("prod");
    });

    it("runs one NAT gateway per AZ in prod", () => {
        expect(prod.input(prod.one(VPC), "natGateways.strategy")).to.equal("OnePerAz");
        expect(prod.outputs.natGatewayStrategy).to.equal("onePerAz");
    });

    it("runs a single NAT gateway in test because its stack file chose it, and reports the choice", () => {
        expect(test.input(test.one(VPC), "natGateways.strategy")).to.equal("Single");
        expect(test.outputs.natGatewayStrategy).to.equal("single");
    });

    it("keeps S3 and DynamoDB traffic on gateway endpoints in every private and isolated route table", () => {
        const gateways = prod.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Gateway");
        expect(gateways.map((e) => e.inputs.serviceName).sort()).to.deep.equal(
            GATEWAY_ENDPOINT_SERVICES.map((s) => `com.amazonaws.us-east-1.${s}`).sort(),
        );
        for (const gateway of gateways) {
            const tables = prod.input<string[]>(gateway, "routeTableIds");
            expect(new Set(tables).size).to.equal(6);
            tables.forEach((id) => expect(id).to.match(/^rtb-/));
        }
    });

    it("puts the interface endpoints in the private subnets behind a group that admits only HTTPS from the VPC", () => {
        const interfaces = prod.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => String(e.inputs.serviceName).replace("com.amazonaws.us-east-1.", "")).sort()).to.deep.equal(
            [...INTERFACE_ENDPOINT_SERVICES].sort(),
        );
        const group = prod.one("aws:ec2/securityGroup:SecurityGroup", "prod-vpc-endpoints");
        for (const endpoint of interfaces) {
            expect(endpoint.inputs.subnetIds).to.deep.equal(prod.outputs.privateSubnetIds);
            expect(endpoint.inputs.privateDnsEnabled).to.equal(true);
            expect(endpoint.inputs.securityGroupIds).to.have.length(1);
            expect(endpoint.dependencies, "the endpoint's only group is the endpoints group").to.include(group.urn);
        }
        expect(group.inputs.ingress).to.deep.equal([
            { description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [VPC_CIDRS.prod] },
        ]);
        expect(group.inputs.egress).to.deep.equal([]);
    });

    it("sends all VPC flow logs to a KMS-encrypted log group kept as long as the stack file says", () => {
        const flowLog = prod.one("aws:ec2/flowLog:FlowLog");
        expect(flowLog.inputs).to.include({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        const logGroup = prod.one("aws:cloudwatch/logGroup:LogGroup", "prod-vpc-flow-logs");
        expect(flowLog.dependencies).to.include(logGroup.urn);
        expect(logGroup.inputs.retentionInDays).to.equal(365);
        expect(test.one("aws:cloudwatch/logGroup:LogGroup", "test-vpc-flow-logs").inputs.retentionInDays).to.equal(30);
        expect(String(logGroup.inputs.kmsKeyId)).to.match(/^arn:aws:kms:us-east-1:444444444444:key\//);
        const keyPolicy = JSON.parse(String(prod.one("aws:kms/key:Key", "prod-logs-key").inputs.policy));
        const logs = keyPolicy.Statement.find(
            (s: { Principal: { Service?: string } }) => s.Principal.Service === "logs.us-east-1.amazonaws.com",
        );
        expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.equal("arn:aws:logs:us-east-1:444444444444:log-group:*");
    });

    it("strips every rule from the default security group", () => {
        const group = prod.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(group.inputs.ingress).to.deep.equal([]);
        expect(group.inputs.egress).to.deep.equal([]);
    });
});

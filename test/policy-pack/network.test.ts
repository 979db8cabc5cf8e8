import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const AWSX_VPC = "awsx:ec2:Vpc";

/** A public ALB whose security group takes 80/443 from anywhere, as the edge must. */
function edge(b: StackBuilder): void {
    const sg = b.add(SG, "test-alb-public-sg", { vpcId: UNKNOWN });
    b.add(
        RULE,
        "test-alb-https",
        { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        { dependsOn: [sg] },
    );
    b.add(
        RULE,
        "test-alb-http",
        { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" },
        { dependsOn: [sg] },
    );
    b.add(LB, "test-alb-public", { internal: false, loadBalancerType: "application", securityGroups: [UNKNOWN] }, { dependsOn: [sg] });
}

describe("policy-pack network", () => {
    describe("sg-no-public-ingress", () => {
        it("passes 80/443 from anywhere on the public ALB's group and VPC-only rules elsewhere", () => {
            const b = new StackBuilder("test", "platform");
            edge(b);
            b.add(SG, "test-endpoints-sg", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.10.0.0/16"] }] });
            expectCompliant("sg-no-public-ingress", b);
        });
        it("flags 443 from anywhere on an internal ALB's group and all traffic from anywhere inline", () => {
            const b = new StackBuilder("test", "platform");
            const sg = b.add(SG, "test-alb-internal-sg", {});
            b.add(
                RULE,
                "test-internal-https",
                { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
                { dependsOn: [sg] },
            );
            b.add(LB, "test-alb-internal", { internal: true, securityGroups: [UNKNOWN] }, { dependsOn: [sg] });
            b.add(SG, "test-open-sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
            expectViolation("sg-no-public-ingress", b, ["test-internal-https", "test-open-sg"], /from 0\.0\.0\.0\/0/);
        });
        it("flags 8080 from anywhere even on the public ALB's group", () => {
            const b = new StackBuilder("test", "platform");
            edge(b);
            const sg = b.resources.find((r) => r.name === "test-alb-public-sg")!;
            b.add(
                LEGACY_RULE,
                "test-alb-8080",
                { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] },
                { dependsOn: [sg] },
            );
            expectViolation("sg-no-public-ingress", b, ["test-alb-8080"], /port 8080/);
        });
        it("cannot verify a rule whose CIDR is unknown", () => {
            const b = new StackBuilder("test", "platform");
            b.add(RULE, "test-rule", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: UNKNOWN });
            expectCannotVerify("sg-no-public-ingress", b);
        });
    });

    describe("sg-no-admin-ports", () => {
        it("passes HTTPS from the VPN CIDR", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add(RULE, "mgmt-https", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
            expectCompliant("sg-no-admin-ports", b);
        });
        it("flags SSH from a private CIDR and a range covering RDP", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add(RULE, "mgmt-ssh", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" });
            b.add(SG, "mgmt-wide", { ingress: [{ protocol: "tcp", fromPort: 3000, toPort: 4000, cidrBlocks: ["10.0.0.0/16"] }] });
            expectViolation("sg-no-admin-ports", b, ["mgmt-ssh", "mgmt-wide"], /opens (22|3389)/);
        });
    });

    describe("ec2-imdsv2", () => {
        it("passes instances and launch templates requiring tokens", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add("aws:ec2/instance:Instance", "mgmt-router", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
            b.add("aws:ec2/launchTemplate:LaunchTemplate", "mgmt-nodes", { metadataOptions: { httpTokens: "required" } });
            expectCompliant("ec2-imdsv2", b);
        });
        it("flags optional tokens and unset metadata options", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add("aws:ec2/instance:Instance", "mgmt-router", { metadataOptions: { httpTokens: "optional" } });
            b.add("aws:ec2/launchTemplate:LaunchTemplate", "mgmt-nodes", {});
            expectViolation("ec2-imdsv2", b, ["mgmt-router", "mgmt-nodes"], /IMDSv2/);
        });
        it("cannot verify unknown metadata options", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add("aws:ec2/instance:Instance", "mgmt-router", { metadataOptions: UNKNOWN });
            expectCannotVerify("ec2-imdsv2", b);
        });
    });

    describe("ec2-no-public-ip", () => {
        it("passes a private instance", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add("aws:ec2/instance:Instance", "mgmt-router", { associatePublicIpAddress: false });
            expectCompliant("ec2-no-public-ip", b);
        });
        it("flags a public IP on an instance and in a launch template interface", () => {
            const b = new StackBuilder("mgmt", "platform");
            b.add("aws:ec2/instance:Instance", "mgmt-router", { associatePublicIpAddress: true });
            b.add("aws:ec2/launchTemplate:LaunchTemplate", "mgmt-nodes", { networkInterfaces: [{ associatePublicIpAddress: "true" }] });
            expectViolation("ec2-no-public-ip", b, ["mgmt-router", "mgmt-nodes"], /public IP/);
        });
    });

    describe("vpc-flow-logs and vpc-default-sg-closed", () => {
        function network(flowLog: boolean, defaultSg: Record<string, unknown> | null): StackBuilder {
            const b = new StackBuilder("prod", "platform");
            const vpc = b.add(AWSX_VPC, "prod-vpc", { cidrBlock: "10.30.0.0/16" });
            if (flowLog) {
                b.add("aws:ec2/flowLog:FlowLog", "prod-flow-logs", { vpcId: "vpc-0abc", trafficType: "ALL" }, { dependsOn: [vpc] });
            }
            if (defaultSg) {
                b.add(
                    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                    "prod-default-sg",
                    { vpcId: "vpc-0abc", ...defaultSg },
                    { dependsOn: [vpc] },
                );
            }
            return b;
        }
        it("passes an awsx VPC with a flow log and a closed default security group", () => {
            expectCompliant("vpc-flow-logs", network(true, {}));
            expectCompliant("vpc-default-sg-closed", network(true, { ingress: [], egress: [] }));
        });
        it("counts a flow log on the awsx VPC's aws child for the component", () => {
            const b = new StackBuilder("prod", "platform");
            const component = b.add(AWSX_VPC, "prod-vpc", {});
            const child = b.add("aws:ec2/vpc:Vpc", "prod-vpc", { cidrBlock: "10.30.0.0/16" }, { parent: component });
            b.add("aws:ec2/flowLog:FlowLog", "prod-flow-logs", { vpcId: "vpc-0abc" }, { dependsOn: [child] });
            expectCompliant("vpc-flow-logs", b);
        });
        it("flags a VPC without flow logs", () => expectViolation("vpc-flow-logs", network(false, null), ["prod-vpc"], /no flow log/));
        it("flags an unmanaged default group and one with rules", () => {
            expectViolation("vpc-default-sg-closed", network(true, null), ["prod-vpc"], /not managed/);
            expectViolation(
                "vpc-default-sg-closed",
                network(true, { ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }] }),
                ["prod-vpc"],
                /has rules/,
            );
        });
    });
});

describe("policy-pack network (v2 classes)", () => {
    it("sg-no-unrestricted-egress: flags all-traffic egress to the internet, passes 443 out", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.ec2.SecurityGroup, "prod-open", {
            vpcId: "vpc-1",
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        });
        b.resource(aws.vpc.SecurityGroupEgressRule, "prod-open-rule", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" });
        b.resource(aws.vpc.SecurityGroupEgressRule, "prod-https", {
            securityGroupId: "sg-1",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
        });
        expectViolation("sg-no-unrestricted-egress", b, ["prod-open", "prod-open-rule"], /all traffic out/);
    });
    it("ec2-imdsv2: a hop limit above 1 lets containers use the node's role", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.ec2.LaunchTemplate, "prod-nodes", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
        b.resource(aws.ec2.LaunchTemplate, "prod-hoppy", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } });
        expectViolation("ec2-imdsv2", b, ["prod-hoppy"], /travel 2 hops/);
    });
    it("sg-descriptions: the group and every rule say what they allow", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.ec2.SecurityGroup, "prod-db-sg", {
            vpcId: "vpc-1",
            description: "PostgreSQL: 5432 from named clients",
            ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-1"], description: "worker" }],
        });
        b.resource(aws.ec2.SecurityGroup, "prod-bare-sg", {
            vpcId: "vpc-1",
            description: "Managed by Pulumi",
            egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.30.0.0/16"] }],
        });
        b.resource(aws.vpc.SecurityGroupIngressRule, "prod-rule", {
            securityGroupId: "sg-1",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "10.30.0.0/16",
            description: "HTTPS from the VPC",
        });
        b.resource(aws.vpc.SecurityGroupEgressRule, "prod-bare-rule", {
            securityGroupId: "sg-1",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "10.30.0.0/16",
        });
        expectViolation(
            "sg-descriptions",
            b,
            ["prod-bare-sg", "prod-bare-rule"],
            /no description for the group, egress #1|rule prod-bare-rule has no description/,
        );
    });
    it("ec2-detailed-monitoring: launch templates and instances enable 1-minute metrics", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.ec2.LaunchTemplate, "prod-nodes", { monitoring: { enabled: true } });
        b.resource(aws.ec2.LaunchTemplate, "prod-coarse", {});
        b.resource(aws.ec2.Instance, "prod-box", { ami: "ami-1", instanceType: "t3.micro", monitoring: false });
        expectViolation("ec2-detailed-monitoring", b, ["prod-coarse", "prod-box"], /detailed monitoring/);
    });
    it("multi-az-placement: load balancers and VPC functions in at least two subnets", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.lb.LoadBalancer, "prod-alb", { subnets: ["subnet-a", "subnet-b", "subnet-c"] });
        b.resource(aws.lb.LoadBalancer, "prod-lonely-alb", { subnets: ["subnet-a"] });
        b.resource(aws.lambda.Function, "prod-fn", {
            role: "arn:aws:iam::1:role/r",
            vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
        });
        b.resource(aws.lambda.Function, "prod-one-az-fn", {
            role: "arn:aws:iam::1:role/r",
            vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] },
        });
        b.resource(aws.lambda.Function, "prod-no-vpc-fn", { role: "arn:aws:iam::1:role/r" });
        expectViolation("multi-az-placement", b, ["prod-lonely-alb", "prod-one-az-fn"], /1 subnet\(s\)/);
    });
});

describe("policy-pack route53", () => {
    it("route53-alias-records: A/AAAA records alias a resource; literal addresses are flagged, other types pass", () => {
        const b = new StackBuilder("prod", "platform");
        b.resource(aws.route53.Record, "prod-dns-origin", {
            zoneId: "Z1",
            name: "origin.prod.payments.example.com",
            type: "A",
            aliases: [{ name: "prod-alb-1.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: false }],
        });
        b.resource(aws.route53.Record, "prod-dns-legacy", {
            zoneId: "Z1",
            name: "legacy.prod.payments.example.com",
            type: "A",
            ttl: 300,
            records: ["203.0.113.10"],
        });
        b.resource(aws.route53.Record, "prod-dkim", {
            zoneId: "Z1",
            name: "x._domainkey.prod.payments.example.com",
            type: "CNAME",
            ttl: 300,
            records: ["x.dkim.amazonses.com"],
        });
        expectViolation("route53-alias-records", b, ["prod-dns-legacy"], /literal addresses/);
    });
});

describe("policy-pack route53 query logging", () => {
    it("route53-query-logging: public zones log queries; private zones are not required to", () => {
        const b = new StackBuilder("prod", "platform");
        const logged = b.resource(aws.route53.Zone, "prod-public-zone", { name: "prod.payments.example.com" });
        b.resource(
            aws.route53.QueryLog,
            "prod-dns-query-logs",
            { zoneId: "Z1", cloudwatchLogGroupArn: "arn:aws:logs:us-east-1:1:log-group:/aws/route53/prod.payments.example.com" },
            { dependsOn: [logged] },
        );
        b.resource(aws.route53.Zone, "prod-quiet-zone", { name: "quiet.payments.example.com" });
        b.resource(aws.route53.Zone, "prod-private-zone", { name: "internal.prod.payments.example.com", vpcs: [{ vpcId: "vpc-1" }] });
        expectViolation("route53-query-logging", b, ["prod-quiet-zone"], /does not log DNS queries/);
    });
});

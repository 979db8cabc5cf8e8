import { expect } from "chai";
import { PlanDocument } from "../../../plan-model/types";
import { estimatePlan, estimateStack, renderEstimates, renderStackEstimateMarkdown } from "../../../plan-model/estimates";
import { EC2_HOURLY, HOURS_PER_MONTH, RDS_POSTGRES_HOURLY, UNIT_PRICES } from "../../../plan-model/estimates/prices";
import { names, resource, stackOf } from "./fixtures";

const monthly = (usdPerHour: number) => usdPerHour * HOURS_PER_MONTH;
const cents = (value: number) => Math.round(value * 100) / 100;

describe("estimates: cost model", () => {
    it("doubles a Multi-AZ instance and its storage, and prices a replica as its own instance with its source's storage", () => {
        const stack = stackOf("workloads", "prod", [
            resource("db", "aws:rds/instance:Instance", {
                inputs: {
                    instanceClass: "db.r6g.large",
                    multiAz: true,
                    allocatedStorage: 100,
                    storageType: "gp3",
                    manageMasterUserPassword: true,
                },
            }),
            resource("replica", "aws:rds/instance:Instance", {
                inputs: { instanceClass: "db.r6g.large", replicateSourceDb: "prod-db" },
                dependsOn: ["db"],
            }),
        ]);
        const est = estimateStack(stack);
        const perHour = RDS_POSTGRES_HOURLY["db.r6g.large"];
        const primary = 2 * monthly(perHour) + 2 * 100 * UNIT_PRICES.rdsGp3GbMonth.usd + UNIT_PRICES.secretMonth.usd;
        const replica = monthly(perHour) + 100 * UNIT_PRICES.rdsGp3GbMonth.usd;
        expect(est.monthlyUsd).to.equal(cents(primary + replica));
        expect(est.topCosts[0]).to.include({ item: "RDS db.r6g.large Multi-AZ (db)", monthlyUsd: cents(2 * monthly(perHour)) });
        expect(est.topCosts[0].urn).to.equal(stack.resources[0].urn);
        expect(est.topCosts.map((c) => c.item)).to.include("RDS db.r6g.large read replica (replica)");
    });

    it("counts NAT gateways by the awsx strategy: one per AZ, a single one, or none", () => {
        const cost = (natGateways: unknown, extra: Record<string, unknown> = {}) =>
            estimateStack(
                stackOf("platform", "test", [resource("vpc", "awsx:ec2:Vpc", { custom: false, inputs: { natGateways, ...extra } })]),
            ).monthlyUsd;
        const perNat = monthly(UNIT_PRICES.natGatewayHour.usd + UNIT_PRICES.publicIpv4Hour.usd);
        expect(cost({ strategy: "OnePerAz" })).to.equal(cents(3 * perNat));
        expect(cost(undefined)).to.equal(cents(3 * perNat)); // awsx default: one per AZ over 3 AZs
        expect(cost({ strategy: "OnePerAz" }, { availabilityZoneNames: ["us-east-1a", "us-east-1b"] })).to.equal(cents(2 * perNat));
        expect(cost({ strategy: "Single" })).to.equal(cents(perNat));
        expect(cost({ strategy: "None" })).to.equal(0);
    });

    it("prices interface endpoints per AZ and leaves gateway endpoints free", () => {
        const est = estimateStack(
            stackOf("platform", "test", [
                resource("vpc", "awsx:ec2:Vpc", {
                    custom: false,
                    inputs: {
                        natGateways: { strategy: "None" },
                        vpcEndpointSpecs: [
                            { serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" },
                            { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface" },
                        ],
                    },
                }),
                resource("ecr", "aws:ec2/vpcEndpoint:VpcEndpoint", { inputs: { vpcEndpointType: "Interface", subnetIds: ["a", "b"] } }),
                resource("dynamo", "aws:ec2/vpcEndpoint:VpcEndpoint", { inputs: { vpcEndpointType: "Gateway" } }),
            ]),
        );
        expect(est.monthlyUsd).to.equal(cents((3 + 2) * monthly(UNIT_PRICES.interfaceEndpointAzHour.usd)));
    });

    it("prices node groups at desired size x instance type plus their volumes, spot at the on-demand ceiling", () => {
        const est = estimateStack(
            stackOf("platform", "prod", [
                resource("general", "eks:index:ManagedNodeGroup", {
                    custom: false,
                    inputs: { instanceTypes: ["m7i.large"], scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 6 } },
                }),
                resource("spot", "aws:eks/nodeGroup:NodeGroup", {
                    inputs: { instanceTypes: ["m7g.large"], capacityType: "SPOT", diskSize: 50, scalingConfig: { desiredSize: 1 } },
                }),
                resource("cluster", "eks:index:Cluster", { custom: false, inputs: { skipDefaultNodeGroup: true } }),
            ]),
        );
        const expected =
            3 * monthly(EC2_HOURLY["m7i.large"]) +
            3 * 20 * UNIT_PRICES.ebsGp3GbMonth.usd +
            monthly(EC2_HOURLY["m7g.large"]) +
            50 * UNIT_PRICES.ebsGp3GbMonth.usd +
            monthly(UNIT_PRICES.eksClusterHour.usd);
        expect(est.monthlyUsd).to.equal(cents(expected));
        expect(est.topCosts.map((c) => c.item)).to.deep.equal([
            "3 x m7i.large nodes (general)",
            "EKS control plane (cluster)",
            "1 x m7g.large spot (on-demand ceiling) nodes (spot)",
        ]);
    });

    it("reports the daily cost as 24 hours of the monthly one", () => {
        const est = estimateStack(
            stackOf("platform", "test", [resource("key", "aws:kms/key:Key"), resource("zone", "aws:route53/zone:Zone")]),
        );
        expect(est.monthlyUsd).to.equal(1.5);
        expect(est.dailyUsd).to.equal(cents((1.5 / HOURS_PER_MONTH) * 24));
    });

    it("names usage-based costs it leaves out instead of pricing them", () => {
        const est = estimateStack(
            stackOf("workloads", "pr-7", [
                resource("queue", "aws:sqs/queue:Queue"),
                resource("table", "aws:dynamodb/table:Table", { inputs: { billingMode: "PAY_PER_REQUEST" } }),
                resource("alb", "aws:lb/loadBalancer:LoadBalancer", { inputs: { internal: true } }),
            ]),
        );
        expect(est.monthlyUsd).to.equal(cents(monthly(UNIT_PRICES.albHour.usd)));
        expect(est.unpricedUsageBased.join("\n"))
            .to.match(/SQS requests/)
            .and.match(/DynamoDB on-demand/)
            .and.match(/LCU/);
    });

    it("reports unknown types and prices without crashing or counting them as free", () => {
        const est = estimateStack(
            stackOf("platform", "test", [
                resource("mystery", "aws:foo/bar:Baz"),
                resource("odd", "aws:ec2/instance:Instance", { inputs: { instanceType: "x9.huge" } }),
            ]),
        );
        expect(est.unknownTypes).to.deep.equal(["aws:foo/bar:Baz"]);
        expect(est.unknownPrices).to.deep.equal(["EC2 instance type x9.huge"]);
    });
});

describe("estimates: time model on resources", () => {
    it("uses the Multi-AZ and replica figures and chains the replica after its source", () => {
        const est = estimateStack(
            stackOf("workloads", "prod", [
                resource("subnets", "aws:rds/subnetGroup:SubnetGroup"),
                resource("db", "aws:rds/instance:Instance", {
                    inputs: { instanceClass: "db.r6g.large", multiAz: true },
                    dependsOn: ["subnets"],
                }),
                resource("replica", "aws:rds/instance:Instance", {
                    inputs: { instanceClass: "db.r6g.large", replicateSourceDb: "db" },
                    dependsOn: ["db"],
                }),
            ]),
        );
        expect(est.spinUpMinutes).to.equal(23.1); // 0.1 + 15 + 8
        expect(names(est.criticalPath)).to.deep.equal(["subnets", "db", "replica"]);
        expect(names(est.teardownPath)).to.deep.equal(["replica", "db", "subnets"]);
    });

    it("spends no delete time on retained resources and says protected ones block destroy", () => {
        const est = estimateStack(
            stackOf("workloads", "prod", [resource("domain", "aws:opensearch/domain:Domain", { protect: true, retainOnDelete: true })]),
        );
        expect(est.teardownMinutes).to.equal(0);
        expect(est.notes.join("\n"))
            .to.match(/1 protected/)
            .and.match(/retained/);
    });
});

describe("estimates: environment", () => {
    const reference = (name: string, target: string, stack: string) =>
        resource(name, "pulumi:pulumi:StackReference", { inputs: { name: `organization/${target}` } }, stack);
    const doc: PlanDocument = {
        env: "test",
        stacks: [
            stackOf("platform", "mgmt", [resource("hub", "aws:ec2transitgateway/transitGateway:TransitGateway", {}, "mgmt")]),
            stackOf("platform", "test", [
                reference("mgmt-ref", "platform/mgmt", "test"),
                resource("cluster", "aws:eks/cluster:Cluster", {}, "test"),
            ]),
            stackOf("workloads", "test", [
                reference("platform-ref", "platform/test", "test"),
                resource("db", "aws:rds/instance:Instance", { inputs: { instanceClass: "db.t4g.micro" } }, "test"),
            ]),
        ],
        summary: { stacks: 3, resources: 5, mandatory: 0, advisory: 0 },
    };

    it("counts only the environment's own stacks and runs them one after another along their references", () => {
        const est = estimatePlan(doc);
        expect(est.counted).to.deep.equal(["platform/test", "workloads/test"]);
        expect(est.stacks.map((s) => s.shared)).to.deep.equal([true, false, false]);
        expect(est.environment.spinUpMinutes).to.equal(16); // EKS 10 then RDS 6
        expect(names(est.environment.criticalPath)).to.deep.equal(["cluster", "db"]);
        expect(names(est.environment.teardownPath)).to.deep.equal(["db", "cluster"]);
        expect(est.environment.monthlyUsd).to.equal(
            cents(monthly(UNIT_PRICES.eksClusterHour.usd) + monthly(RDS_POSTGRES_HOURLY["db.t4g.micro"])),
        );
    });

    it("renders one aligned row per stack and one for the environment", () => {
        const text = renderEstimates(estimatePlan(doc));
        const rows = text.split("\n").filter((l) => /min/.test(l));
        expect(rows).to.have.length(4);
        expect(rows[0]).to.match(/^ {2}platform\/mgmt \(shared\)/);
        expect(rows[3]).to.match(/^ {2}environment test +16\.0 min/);
        expect(new Set(rows.map((r) => r.indexOf("min")))).to.have.property("size", 1);
        expect(text).to.match(/critical path \(up\): +cluster > db/);
    });

    it("renders a stack's estimate as Markdown for the PR summary", () => {
        const markdown = renderStackEstimateMarkdown(estimatePlan(doc).stacks[2]);
        expect(markdown).to.contain("| 6.0 min | 5.0 min | $11.68 | $0.38 |");
        expect(markdown).to.contain("- Critical path: `db`");
    });
});

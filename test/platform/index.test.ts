import { expect } from "chai";
import { FULL_ENVIRONMENTS, FullEnvironment } from "../../lib/environments";
import { HUB_OUTPUT_KEYS, PLATFORM_OUTPUT_KEYS } from "../../platform/outputs";
import { Inventory } from "../harness";
import { providerOf, synthesizePlatform, within } from "./fixtures";

describe("platform stacks", () => {
    const stacks = {} as Record<FullEnvironment, Inventory>;
    before(async () => {
        for (const env of FULL_ENVIRONMENTS) {
            stacks[env] = await synthesizePlatform(env);
        }
    });

    for (const env of FULL_ENVIRONMENTS) {
        it(`${env} exports exactly its contract (${env === "mgmt" ? "HubOutputs" : "PlatformOutputs"})`, () => {
            expect(Object.keys(stacks[env].outputs).sort()).to.deep.equal(
                [...(env === "mgmt" ? HUB_OUTPUT_KEYS : PLATFORM_OUTPUT_KEYS)].sort(),
            );
            expect(stacks[env].outputs.environment).to.equal(env);
            expect(stacks[env].outputs.kubeconfig).to.equal("[secret]");
        });

        it(`${env} gives every AWS resource an explicit provider that assumes a deployment role and tags for the platform layer`, () => {
            const inventory = stacks[env];
            const awsResources = inventory.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(awsResources.length).to.be.greaterThan(20);
            for (const resource of awsResources) {
                expect(providerOf(inventory, resource).roleArn, resource.name).to.match(/^arn:aws:iam::\d{12}:role\/payments-deployment$/);
            }
            for (const provider of inventory.ofType("pulumi:providers:aws")) {
                expect(JSON.parse(String(provider.inputs.defaultTags)).tags, provider.name).to.include({
                    Environment: env,
                    Layer: "platform",
                    Project: "payments",
                    ManagedBy: "pulumi",
                });
            }
        });
    }

    it("re-exports the Argo CD hub's kubeconfig and the Transit Gateway from platform/mgmt in every env stack", () => {
        for (const env of ["test", "preprod", "prod"] as const) {
            expect(stacks[env].outputs.argocdHubKubeconfig, env).to.equal("[secret]");
            expect(stacks[env].outputs.argocdHubRoleArn).to.equal(stacks.mgmt.outputs.argocdHubRoleArn);
            expect(stacks[env].outputs.transitGatewayId).to.equal(stacks.mgmt.outputs.transitGatewayId);
        }
    });

    it("keeps the hub free of public ingress: no ALB, CloudFront or shared data in mgmt, and no empty exports for them", () => {
        const mgmt = stacks.mgmt;
        expect(mgmt.ofType("aws:cloudfront/distribution:Distribution")).to.have.length(0);
        expect(within(mgmt, "payments:platform:Network").resources.length).to.be.greaterThan(0);
        expect(mgmt.resources.filter((r) => r.type === "payments:platform:Edge")).to.have.length(0);
        expect(mgmt.outputs).not.to.have.any.keys("publicAlbArn", "targetGroupArns", "sharedData", "pullRequestWorkerSecurityGroupId");
        expect(Object.values(mgmt.outputs).filter((value) => value === "" || value === null)).to.deep.equal([]);
    });

    it("sizes each environment from its stack file", () => {
        const sizing = (env: FullEnvironment) => {
            const inventory = stacks[env];
            const edge = env === "mgmt" ? undefined : within(inventory, "payments:platform:Edge");
            return {
                nat: inventory.outputs.natGatewayStrategy,
                flowLogDays: inventory.one("aws:cloudwatch/logGroup:LogGroup", `${env}-vpc-flow-logs`).inputs.retentionInDays,
                albDeletionProtection: edge?.one("aws:lb/loadBalancer:LoadBalancer", `${env}-alb-public`).inputs.enableDeletionProtection,
                priceClass: edge?.one("aws:cloudfront/distribution:Distribution").inputs.priceClass,
                sharedData: inventory.outputs.sharedData !== undefined && inventory.outputs.sharedData !== null,
            };
        };
        expect(sizing("prod")).to.deep.equal({
            nat: "onePerAz",
            flowLogDays: 365,
            albDeletionProtection: true,
            priceClass: "PriceClass_All",
            sharedData: false,
        });
        expect(sizing("preprod")).to.deep.equal({
            nat: "onePerAz",
            flowLogDays: 90,
            albDeletionProtection: false,
            priceClass: "PriceClass_100",
            sharedData: false,
        });
        expect(sizing("test")).to.deep.equal({
            nat: "single",
            flowLogDays: 30,
            albDeletionProtection: false,
            priceClass: "PriceClass_100",
            sharedData: true,
        });
        // mgmt is held to prod levels (it deploys prod): a year of flow logs, as PCI DSS 10.5.1 asks.
        expect(sizing("mgmt")).to.deep.include({ nat: "onePerAz", flowLogDays: 365 });
    });

    it("hosts the shared PostgreSQL and OpenSearch in test, in the data and private tiers, for pr-<n> environments", () => {
        const test = stacks.test;
        const shared = test.outputs.sharedData as Record<string, unknown>;
        expect(shared.postgresEndpoint)
            .to.be.a("string")
            .and.match(/\.rds\.amazonaws\.com$/);
        expect(shared.postgresPort).to.equal(5432);
        expect(shared.opensearchEndpoint).to.be.a("string").and.not.equal("");
        const data = within(test, "payments:platform:SharedData");
        expect(data.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).to.deep.equal(test.outputs.isolatedSubnetIds);
        expect(data.one("aws:rds/instance:Instance").inputs.instanceClass).to.equal("db.t4g.large");
        expect(data.one("aws:opensearch/domain:Domain").inputs.clusterConfig).to.deep.include({
            instanceType: "t3.medium.search",
            instanceCount: 1,
        });
    });
});

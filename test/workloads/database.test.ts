import { expect } from "chai";
import { PostgresDatabase, postgresDefaultsFor } from "../../lib/data/database";
import { SearchDomain, searchDefaultsFor } from "../../lib/data/search-domain";
import { sharedDataServices } from "../../lib/data/shared-data";
import { synthesize } from "../harness";

const network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] };
const sizing = {
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 50,
    maxAllocatedStorageGb: 200,
    databaseName: "payments",
    readReplicaCount: 0,
};
const search = {
    instanceType: "t3.medium.search",
    instanceCount: 1,
    volumeSizeGb: 20,
    createServiceLinkedRole: true,
    accountId: "902105368459",
    region: "us-east-1",
    masterRoleTrustedPrincipalArns: ["arn:aws:iam::902105368459:role/payments-deployment"],
};

describe("workloads data-service components (as platform/test uses them)", () => {
    it("shares test's PostgreSQL and OpenSearch with the VPC by CIDR, and exports what PRs need", async () => {
        let shared: unknown;
        const stack = await synthesize(
            () => {
                const database = new PostgresDatabase("db", {
                    env: "test",
                    ...network,
                    allowedCidrBlocks: ["10.10.0.0/16"],
                    ...sizing,
                    ...postgresDefaultsFor("test"),
                });
                const domain = new SearchDomain("search", {
                    env: "test",
                    ...network,
                    allowedCidrBlocks: ["10.10.0.0/16"],
                    ...search,
                    ...searchDefaultsFor("test"),
                });
                sharedDataServices(database, domain).apply((value) => (shared = value));
            },
            { project: "platform", stack: "test" },
        );
        const rules = stack.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort])).to.have.deep.members([
            ["test-postgres-sg-from-cidr-0", "10.10.0.0/16", 5432],
            ["test-search-sg-from-cidr-0", "10.10.0.0/16", 443],
        ]);
        expect(stack.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).to.have.length(0);
        const db = stack.one("aws:rds/instance:Instance");
        expect(stack.input(db, "multiAz")).to.equal(false);
        expect(stack.input(db, "backupRetentionPeriod")).to.equal(7);
        expect(stack.input(db, "skipFinalSnapshot")).to.equal(true);
        expect(stack.one("aws:iam/serviceLinkedRole:ServiceLinkedRole").inputs.awsServiceName).to.equal("opensearchservice.amazonaws.com");
        expect(shared).to.have.all.keys(
            "postgresEndpoint",
            "postgresPort",
            "postgresInstanceArn",
            "postgresResourceId",
            "postgresSecretArn",
            "opensearchEndpoint",
            "opensearchDomainArn",
        );
        expect((shared as Record<string, string>).postgresSecretArn).to.match(/^arn:aws:secretsmanager:/);
    });

    it("refuses a zone-aware domain whose data nodes cannot spread evenly over 3 AZs", async () => {
        let failure: Error | undefined;
        await synthesize(
            () => {
                try {
                    new SearchDomain("search", { env: "prod", ...network, ...search, instanceCount: 4, ...searchDefaultsFor("prod") });
                } catch (error) {
                    failure = error as Error;
                }
            },
            { project: "workloads", stack: "prod" },
        );
        expect(failure?.message).to.contain("must be a multiple of 3, got 4");
    });
});

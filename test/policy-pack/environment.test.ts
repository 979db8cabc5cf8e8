import { expect } from "chai";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation, violationsOf } from "./helpers";

describe("policy-pack environment", () => {
    describe("region-allow-list", () => {
        it("passes us-east-1 providers and resources", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "q", { region: "us-east-1" });
            expectCompliant("region-allow-list", b);
        });
        it("flags a provider in another region, one without a region and a resource override", () => {
            const b = new StackBuilder("test", "workloads", { region: "eu-west-1" });
            b.add("pulumi:providers:aws", "no-region", {}, { provider: null });
            b.add("aws:sqs/queue:Queue", "q", { region: "ap-south-1" });
            b.add("aws:sqs/queue:Queue", "q2", {});
            expectViolation("region-allow-list", b, ["test-aws", "no-region", "q", "q2"], /eu-west-1|does not set a region|ap-south-1/);
        });
        it("takes the allow-list from config", () => {
            const b = new StackBuilder("test", "workloads", { region: "eu-west-1" });
            expectCompliant("region-allow-list", b, { allowedRegions: ["us-east-1", "eu-west-1"] });
        });
        it("cannot verify an unknown provider region", () => {
            const b = new StackBuilder("test", "workloads", { region: UNKNOWN });
            expectCannotVerify("region-allow-list", b);
        });
    });

    describe("explicit-provider", () => {
        it("passes resources on the account provider and components", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "q", {});
            b.add("payments:workloads:Pipeline", "pipeline", {}, { provider: null });
            expectCompliant("explicit-provider", b);
        });
        it("flags a resource on the default provider", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "q", {}, { provider: null });
            const fallback = b.add("pulumi:providers:aws", "default_7_48_0", { region: "us-east-1" }, { provider: null });
            b.add("aws:sqs/queue:Queue", "q2", {}, { provider: fallback });
            expectViolation("explicit-provider", b, ["q", "q2"], /default AWS provider/);
        });
    });

    describe("prod-stateful-protected", () => {
        it("passes protected prod data stores and ignores test", () => {
            const prod = new StackBuilder("prod");
            prod.add("aws:dynamodb/table:Table", "prod-payments", {}, { protect: true });
            prod.add("aws:sqs/queue:Queue", "prod-q", {});
            expectCompliant("prod-stateful-protected", prod);
            const test = new StackBuilder("test");
            test.add("aws:dynamodb/table:Table", "test-payments", {});
            expectCompliant("prod-stateful-protected", test);
        });
        it("flags unprotected prod buckets, databases and keys", () => {
            const prod = new StackBuilder("prod");
            prod.add("aws:s3/bucket:Bucket", "prod-raw", {});
            prod.add("aws:rds/instance:Instance", "prod-db", {});
            prod.add("aws:kms/key:Key", "prod-key", {});
            expectViolation("prod-stateful-protected", prod, ["prod-raw", "prod-db", "prod-key"], /not protected/);
        });
    });

    describe("pr-forbidden-resources", () => {
        it("passes a PR footprint of fast, per-request resources", () => {
            const pr = new StackBuilder("pr-42");
            pr.add("aws:dynamodb/table:Table", "pr-42-payments", { billingMode: "PAY_PER_REQUEST" });
            pr.add("aws:sqs/queue:Queue", "pr-42-q", {});
            pr.add("aws:lambda/function:Function", "pr-42-worker", {});
            pr.add("awsx:ec2:Vpc", "pr-42-vpc", { natGateways: { strategy: "None" } });
            expectCompliant("pr-forbidden-resources", pr);
        });
        it("flags clusters, NAT gateways (also awsx defaults), databases, domains, distributions and provisioned tables", () => {
            const pr = new StackBuilder("pr-42");
            pr.add("eks:index:Cluster", "pr-eks", {});
            pr.add("aws:ec2/natGateway:NatGateway", "pr-nat", {});
            pr.add("awsx:ec2:Vpc", "pr-vpc", {});
            pr.add("aws:rds/instance:Instance", "pr-db", {});
            pr.add("aws:opensearch/domain:Domain", "pr-search", {});
            pr.add("aws:cloudfront/distribution:Distribution", "pr-cdn", {});
            pr.add("aws:dynamodb/table:Table", "pr-table", {});
            expectViolation(
                "pr-forbidden-resources",
                pr,
                ["pr-eks", "pr-nat", "pr-vpc", "pr-db", "pr-search", "pr-cdn", "pr-table"],
                /PR|NAT|provisioned/,
            );
        });
        it("ignores the same resources outside PR stacks", () => {
            const test = new StackBuilder("test");
            test.add("aws:rds/instance:Instance", "test-db", {});
            expectCompliant("pr-forbidden-resources", test);
        });
        it("cannot verify an unknown billing mode", () => {
            const pr = new StackBuilder("pr-42");
            pr.add("aws:dynamodb/table:Table", "pr-42-payments", { billingMode: UNKNOWN });
            expectCannotVerify("pr-forbidden-resources", pr);
        });
    });

    describe("pr-nothing-protected", () => {
        it("passes unprotected PR resources and protected prod ones", () => {
            const pr = new StackBuilder("pr-42");
            pr.add("aws:sqs/queue:Queue", "pr-42-q", {});
            expectCompliant("pr-nothing-protected", pr);
            const prod = new StackBuilder("prod");
            prod.add("aws:sqs/queue:Queue", "prod-q", {}, { protect: true });
            expectCompliant("pr-nothing-protected", prod);
        });
        it("flags a protected PR resource", () => {
            const pr = new StackBuilder("pr-42");
            pr.add("aws:dynamodb/table:Table", "pr-42-payments", {}, { protect: true });
            expectViolation("pr-nothing-protected", pr, ["pr-42-payments"], /protected in a PR/);
        });
    });

    describe("policy-exemptions-valid", () => {
        it("passes a current exemption and reports an expired and an over-long one", () => {
            const b = new StackBuilder("test");
            const q = b.add("aws:sqs/queue:Queue", "q", {});
            const base = {
                policy: "sqs-encryption",
                owner: "payments-team",
                urn: q.urn,
                reason: "migrating to the shared data key in PR #12",
            };
            expectCompliant("policy-exemptions-valid", b, { exemptions: [{ ...base, expires: "2026-12-31" }], asOf: "2026-11-22" });
            const found = violationsOf("policy-exemptions-valid", b, {
                exemptions: [
                    { ...base, expires: "2026-11-01" },
                    { ...base, expires: "2028-01-01" },
                ],
                asOf: "2026-11-22",
            });
            expect(found.map((v) => v.message)).to.have.length(2);
            expect(found[0].message).to.match(/expired on 2026-11-01/);
            expect(found[1].message).to.match(/more than 180 days ahead/);
            expect(found.every((v) => v.enforcementLevel === "advisory" && v.urn === q.urn)).to.equal(true);
        });
        it("reports an exemption that names no owner", () => {
            const b = new StackBuilder("test");
            const q = b.add("aws:sqs/queue:Queue", "q", {});
            const found = violationsOf("policy-exemptions-valid", b, {
                exemptions: [
                    { policy: "sqs-encryption", owner: " ", urn: q.urn, reason: "migrating to the shared data key", expires: "2026-12-31" },
                ],
                asOf: "2026-11-22",
            });
            expect(found.map((v) => v.message)).to.deep.equal([`The exemption from sqs-encryption for ${q.urn} names no owner.`]);
        });
        it("ignores exemptions for other stacks", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "q", {});
            const other = {
                policy: "sqs-encryption",
                owner: "payments-team",
                urn: "urn:pulumi:prod::workloads::aws:sqs/queue:Queue::q",
                reason: "another stack's business",
                expires: "2020-01-01",
            };
            expectCompliant("policy-exemptions-valid", b, { exemptions: [other], asOf: "2026-11-22" });
        });
    });
});

describe("policy-pack environment: pr-environment-budget", () => {
    function prWith(add: (b: StackBuilder) => void): StackBuilder {
        const b = new StackBuilder("pr-42");
        const table = b.add("aws:dynamodb/table:Table", "pr-42-payments", { billingMode: "PAY_PER_REQUEST", hashKey: "id" });
        b.add("aws:sqs/queue:Queue", "pr-42-q", {}, { dependsOn: [table] });
        add(b);
        return b;
    }
    it("passes a PR footprint of seconds-to-create, per-request resources", () => {
        expectCompliant(
            "pr-environment-budget",
            prWith(() => undefined),
        );
    });
    it("flags a PR stack whose estimate exceeds the spin-up and cost budgets (advisory by default)", () => {
        const b = prWith((s) => {
            const vpc = s.add("aws:ec2/vpc:Vpc", "pr-42-vpc", { cidrBlock: "10.99.0.0/16" });
            s.add("aws:ec2/natGateway:NatGateway", "pr-42-nat", { subnetId: "subnet-1" }, { dependsOn: [vpc] });
            s.add(
                "aws:rds/instance:Instance",
                "pr-42-db",
                { instanceClass: "db.r6g.large", engine: "postgres", allocatedStorage: 100, multiAz: true },
                { dependsOn: [vpc] },
            );
        });
        const found = violationsOf("pr-environment-budget", b);
        expect(found.map((v) => v.message).join("\n"))
            .to.match(/Estimated spin-up is [\d.]+ min .*budget is 10 min/)
            .and.match(/\$[\d.]+\/day/);
        expect(found.every((v) => v.enforcementLevel === "advisory" && v.urn === null)).to.equal(true);
    });
    it("takes the thresholds from config, and ignores full environments", () => {
        const b = prWith(
            (s) =>
                void s.add("aws:rds/instance:Instance", "pr-42-db", {
                    instanceClass: "db.r6g.large",
                    engine: "postgres",
                    allocatedStorage: 100,
                }),
        );
        expectCompliant("pr-environment-budget", b, {
            policies: { "pr-environment-budget": { maxSpinUpMinutes: 120, maxDailyUsd: 1000 } },
        });
        const test = new StackBuilder("test");
        test.add("aws:rds/instance:Instance", "test-db", { instanceClass: "db.r6g.large", engine: "postgres", allocatedStorage: 100 });
        expectCompliant("pr-environment-budget", test);
    });
});

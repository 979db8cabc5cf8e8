import * as aws from "@pulumi/aws";
import type * as eks from "@pulumi/eks";
import { expect } from "chai";
import { EKS_VERSIONS, eksSupport } from "../../policy-pack/data/eks-versions";
import { StackBuilder, expectCompliant, expectViolation } from "./helpers";

const ROLE_ARN = "arn:aws:iam::206217865489:role/prod-worker";

describe("policy-pack versions", () => {
    it("versions-current", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.lambda.Function, "prod-old", { role: ROLE_ARN, runtime: "nodejs16.x" });
        b.resource(aws.lambda.Function, "prod-ok", { role: ROLE_ARN, runtime: "nodejs22.x" });
        b.resource(aws.rds.Instance, "prod-frozen", { instanceClass: "db.r6g.large", autoMinorVersionUpgrade: false });
        b.resource(aws.lb.LoadBalancer, "prod-alb", { desyncMitigationMode: "monitor" });
        expectViolation("versions-current", b, ["prod-old", "prod-frozen", "prod-alb"], /deprecated runtime|minor version|desync/);
    });

    describe("EKS version currency (policy-pack/data/eks-versions.ts)", () => {
        const cluster = (b: StackBuilder, name: string, version?: string) => {
            const args: eks.ClusterArgs = { version, endpointPrivateAccess: true, endpointPublicAccess: false };
            return b.add("eks:index:Cluster", name, args as Record<string, unknown>);
        };
        const nodes = (b: StackBuilder, name: string, version?: string) =>
            b.resource(aws.eks.NodeGroup, name, {
                clusterName: "prod-eks",
                nodeRoleArn: ROLE_ARN,
                subnetIds: ["subnet-a"],
                scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 },
                version,
            });

        it("knows each version's windows and treats a version newer than the list as supported", () => {
            expect(EKS_VERSIONS.every((v) => v.endOfStandardSupport < v.endOfExtendedSupport)).to.equal(true);
            expect(eksSupport("1.34", "2026-11-30").state).to.equal("standard");
            expect(eksSupport("1.34", "2026-12-03").state).to.equal("extended");
            expect(eksSupport("1.34.2", "2027-12-03").state).to.equal("unsupported");
            expect(eksSupport("1.99", "2026-11-30").state).to.equal("standard");
            expect(eksSupport("1.20", "2026-11-30").state).to.equal("unsupported");
        });

        it("eks-version-supported: blocks a cluster or node group past the end of extended support, passes standard and extended", () => {
            const b = new StackBuilder("prod");
            cluster(b, "prod-eks", "1.34");
            cluster(b, "prod-old-eks", "1.30");
            nodes(b, "prod-nodes", "1.34");
            nodes(b, "prod-stale-nodes", "1.29");
            nodes(b, "prod-follow-nodes");
            expectViolation(
                "eks-version-supported",
                b,
                ["prod-old-eks", "prod-stale-nodes"],
                /no longer supports \(extended support ended 2026-0[37]-23\)/,
                { asOf: "2026-11-30" },
            );
            const extended = new StackBuilder("prod");
            cluster(extended, "prod-eks", "1.32");
            expectCompliant("eks-version-supported", extended, { asOf: "2026-11-30" });
        });

        it("eks-version-standard-support: warns on extended support, the last 60 days of standard support and an unpinned cluster", () => {
            const b = new StackBuilder("prod");
            cluster(b, "prod-eks", "1.35");
            cluster(b, "prod-ending-eks", "1.34");
            cluster(b, "prod-extended-eks", "1.32");
            cluster(b, "prod-floating-eks");
            nodes(b, "prod-follow-nodes");
            const found = expectViolation(
                "eks-version-standard-support",
                b,
                ["prod-ending-eks", "prod-extended-eks", "prod-floating-eks"],
                /ends 2026-12-02 \(in 2 days\)|extended support|does not pin/,
                { asOf: "2026-11-30" },
            );
            expect(found.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
            const early = new StackBuilder("prod");
            cluster(early, "prod-eks", "1.34");
            expectCompliant("eks-version-standard-support", early, { asOf: "2026-09-01" });
        });
    });
});

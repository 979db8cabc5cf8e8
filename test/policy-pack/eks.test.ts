import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const AWS_CLUSTER = "aws:eks/cluster:Cluster";
const COMPONENT = "eks:index:Cluster";
const LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const GOOD_COMPONENT = {
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    encryptionConfigKeyArn: UNKNOWN,
    enabledClusterLogTypes: LOGS,
};
const GOOD_AWS = {
    roleArn: UNKNOWN,
    vpcConfig: { subnetIds: [UNKNOWN], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } },
    enabledClusterLogTypes: LOGS,
};

/** A real preview shows the component and its aws child; offline only the component. */
function clusters(component: Record<string, unknown>, child: Record<string, unknown>): StackBuilder {
    const b = new StackBuilder("prod", "platform");
    const parent = b.add(COMPONENT, "prod-eks", component);
    b.add(AWS_CLUSTER, "prod-eks-eksCluster", child, { parent });
    return b;
}

const ROLE_ARN = "arn:aws:iam::206217865489:role/prod-worker";

describe("policy-pack eks", () => {
    it("passes compliant clusters (component and aws resource) on every EKS policy", () => {
        for (const policy of ["eks-private-endpoint", "eks-secrets-encryption", "eks-control-plane-logs"]) {
            expectCompliant(policy, clusters(GOOD_COMPONENT, GOOD_AWS));
        }
    });

    describe("eks-private-endpoint", () => {
        it("flags the defaults (public endpoint, no private) on both types", () => {
            const b = clusters(
                { ...GOOD_COMPONENT, endpointPrivateAccess: undefined, endpointPublicAccess: undefined },
                { ...GOOD_AWS, vpcConfig: { subnetIds: [UNKNOWN] } },
            );
            const found = expectViolation(
                "eks-private-endpoint",
                b,
                ["prod-eks", "prod-eks", "prod-eks-eksCluster", "prod-eks-eksCluster"],
                /public API endpoint|private API endpoint/,
            );
            if (found.length !== 4) {
                throw new Error("expected public and private findings on both");
            }
        });
        it("cannot verify an unknown endpoint flag", () => {
            const b = new StackBuilder("prod", "platform");
            b.add(COMPONENT, "prod-eks", { ...GOOD_COMPONENT, endpointPublicAccess: UNKNOWN });
            expectCannotVerify("eks-private-endpoint", b);
        });
        it("skips a cluster exempted by URN until the exemption expires", () => {
            const b = new StackBuilder("mgmt", "platform");
            const cluster = b.add(COMPONENT, "mgmt-eks", {
                ...GOOD_COMPONENT,
                endpointPublicAccess: true,
                publicAccessCidrs: ["203.0.113.0/24"],
            });
            const exemption = {
                policy: "eks-private-endpoint",
                owner: "platform-team",
                urn: cluster.urn,
                reason: "bootstrap run before the mgmt runners exist",
                expires: "2026-12-01",
            };
            expectCompliant("eks-private-endpoint", b, { exemptions: [exemption], asOf: "2026-11-22" });
            expectViolation("eks-private-endpoint", b, ["mgmt-eks"], /expired on 2026-12-01/, {
                exemptions: [exemption],
                asOf: "2026-12-02",
            });
        });
    });

    describe("eks-secrets-encryption", () => {
        it("flags clusters without a KMS key for secrets", () => {
            const b = clusters({ ...GOOD_COMPONENT, encryptionConfigKeyArn: undefined }, { ...GOOD_AWS, encryptionConfig: undefined });
            expectViolation("eks-secrets-encryption", b, ["prod-eks", "prod-eks-eksCluster"], /secrets/);
        });
    });

    describe("eks-control-plane-logs", () => {
        it("names the missing log types", () => {
            const b = clusters({ ...GOOD_COMPONENT, enabledClusterLogTypes: ["api"] }, { ...GOOD_AWS, enabledClusterLogTypes: undefined });
            expectViolation(
                "eks-control-plane-logs",
                b,
                ["prod-eks", "prod-eks-eksCluster"],
                /audit, authenticator, controllerManager, scheduler/,
            );
        });
        it("cannot verify unknown log types", () => {
            const b = new StackBuilder("prod", "platform");
            b.add(COMPONENT, "prod-eks", { ...GOOD_COMPONENT, enabledClusterLogTypes: UNKNOWN });
            expectCannotVerify("eks-control-plane-logs", b);
        });
    });
});

describe("policy-pack eks (v2 classes)", () => {
    it("eks-node-group-no-remote-access", () => {
        const b = new StackBuilder("prod");
        const base = {
            clusterName: "prod-eks",
            nodeRoleArn: ROLE_ARN,
            subnetIds: ["subnet-1"],
            scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 },
        };
        b.resource(aws.eks.NodeGroup, "prod-ssh", { ...base, remoteAccess: { ec2SshKey: "ops" } });
        b.resource(aws.eks.NodeGroup, "prod-ok", base);
        expectViolation("eks-node-group-no-remote-access", b, ["prod-ssh"], /SSH/);
    });
});

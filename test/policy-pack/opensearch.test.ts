import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const DOMAIN = "aws:opensearch/domain:Domain";
const GOOD = {
    vpcOptions: { subnetIds: [UNKNOWN, UNKNOWN, UNKNOWN], securityGroupIds: [UNKNOWN] },
    encryptAtRest: { enabled: true, kmsKeyId: UNKNOWN },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
};

function withDomain(inputs: Record<string, unknown>): StackBuilder {
    const b = new StackBuilder("test");
    b.add(DOMAIN, "test-search", { ...GOOD, ...inputs });
    return b;
}

describe("policy-pack opensearch", () => {
    it("passes a compliant domain on every OpenSearch policy", () => {
        for (const policy of [
            "opensearch-in-vpc",
            "opensearch-encryption-at-rest",
            "opensearch-node-to-node-encryption",
            "opensearch-https-tls12",
        ]) {
            expectCompliant(policy, withDomain({}));
        }
    });
    it("opensearch-in-vpc flags a public domain", () =>
        expectViolation("opensearch-in-vpc", withDomain({ vpcOptions: undefined }), ["test-search"], /not in a VPC/));
    it("opensearch-in-vpc cannot verify unknown vpc options", () =>
        expectCannotVerify("opensearch-in-vpc", withDomain({ vpcOptions: UNKNOWN })));
    it("opensearch-encryption-at-rest flags it off", () =>
        expectViolation("opensearch-encryption-at-rest", withDomain({ encryptAtRest: { enabled: false } }), ["test-search"], /at rest/));
    it("opensearch-node-to-node-encryption flags it missing", () =>
        expectViolation(
            "opensearch-node-to-node-encryption",
            withDomain({ nodeToNodeEncryption: undefined }),
            ["test-search"],
            /node-to-node/,
        ));
    it("opensearch-https-tls12 flags HTTP and the TLS 1.0 policy", () => {
        const found = expectViolation(
            "opensearch-https-tls12",
            withDomain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }),
            ["test-search", "test-search"],
            /HTTPS|TLS/,
        );
        if (found.length !== 2) {
            throw new Error("expected both problems");
        }
    });
    describe("v2", () => {
        const domain = (b: StackBuilder, name: string, args: Partial<aws.opensearch.DomainArgs>) =>
            b.resource(aws.opensearch.Domain, name, { domainName: name, ...args });
        it("opensearch-fine-grained-access: enabled, no anonymous access, no internal users", () => {
            const b = new StackBuilder("test");
            domain(b, "test-search", {
                advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false },
            });
            domain(b, "test-open", { advancedSecurityOptions: { enabled: false } });
            domain(b, "test-anonymous", { advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } });
            expectViolation(
                "opensearch-fine-grained-access",
                b,
                ["test-open", "test-anonymous"],
                /fine-grained access control|anonymous access/,
            );
        });
        it("opensearch-ha-prod: three masters, three data nodes, zone awareness; advisory outside prod levels", () => {
            const ha = {
                clusterConfig: { dedicatedMasterEnabled: true, dedicatedMasterCount: 3, instanceCount: 3, zoneAwarenessEnabled: true },
            };
            const prod = new StackBuilder("prod");
            domain(prod, "prod-search", ha);
            domain(prod, "prod-single", { clusterConfig: { instanceCount: 1 } });
            const [found] = expectViolation(
                "opensearch-ha-prod",
                prod,
                ["prod-single"],
                /three dedicated master nodes, three data nodes, zone awareness/,
            );
            expect(found.enforcementLevel).to.equal("mandatory");
            const test = new StackBuilder("test");
            domain(test, "test-search", { clusterConfig: { instanceCount: 1 } });
            const [advisory] = expectViolation("opensearch-ha-prod", test, ["test-search"], /lacks/);
            expect(advisory.enforcementLevel).to.equal("advisory");
        });
    });
});

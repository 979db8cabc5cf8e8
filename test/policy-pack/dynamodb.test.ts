import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const TABLE = "aws:dynamodb/table:Table";
const GOOD = {
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/k" },
    deletionProtectionEnabled: true,
};

describe("policy-pack dynamodb", () => {
    describe("dynamodb-pitr", () => {
        it("passes PITR, and does not require it of a PR table", () => {
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", GOOD);
            expectCompliant("dynamodb-pitr", prod);
            const pr = new StackBuilder("pr-42");
            pr.add(TABLE, "pr-42-payments", { billingMode: "PAY_PER_REQUEST" });
            expectCompliant("dynamodb-pitr", pr);
        });
        it("flags a table without PITR", () => {
            const b = new StackBuilder("test");
            b.add(TABLE, "test-payments", { ...GOOD, pointInTimeRecovery: { enabled: false } });
            expectViolation("dynamodb-pitr", b, ["test-payments"], /point-in-time/);
        });
    });

    describe("dynamodb-kms", () => {
        it("passes a customer-managed key in prod and the AWS managed key in test", () => {
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", GOOD);
            expectCompliant("dynamodb-kms", prod);
            const test = new StackBuilder("test");
            test.add(TABLE, "test-payments", { serverSideEncryption: { enabled: true } });
            expectCompliant("dynamodb-kms", test);
        });
        it("flags a table without SSE, and the AWS managed key in prod (stricter prod default)", () => {
            const test = new StackBuilder("test");
            test.add(TABLE, "test-payments", {});
            expectViolation("dynamodb-kms", test, ["test-payments"], /does not enable KMS/);
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", { serverSideEncryption: { enabled: true } });
            expectViolation("dynamodb-kms", prod, ["prod-payments"], /customer-managed/);
        });
        it("lets config relax the prod default", () => {
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", { serverSideEncryption: { enabled: true } });
            expectCompliant("dynamodb-kms", prod, { policies: { "dynamodb-kms": { requireCustomerManagedKey: false } } });
        });
        it("cannot verify unknown encryption settings", () => {
            const b = new StackBuilder("prod");
            b.add(TABLE, "prod-payments", { serverSideEncryption: UNKNOWN });
            expectCannotVerify("dynamodb-kms", b);
        });
    });

    describe("dynamodb-deletion-protection-prod", () => {
        it("passes in prod with protection and ignores test", () => {
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", GOOD);
            expectCompliant("dynamodb-deletion-protection-prod", prod);
            const test = new StackBuilder("test");
            test.add(TABLE, "test-payments", {});
            expectCompliant("dynamodb-deletion-protection-prod", test);
        });
        it("flags a prod table without deletion protection", () => {
            const prod = new StackBuilder("prod");
            prod.add(TABLE, "prod-payments", { ...GOOD, deletionProtectionEnabled: false });
            const [v] = expectViolation("dynamodb-deletion-protection-prod", prod, ["prod-payments"], /deletion protection/);
            expect(v.enforcementLevel).to.equal("mandatory");
        });
    });
    it("dynamodb-capacity-scales: on-demand tables pass, provisioned capacity is flagged", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.dynamodb.Table, "prod-payments", {
            hashKey: "id",
            attributes: [{ name: "id", type: "S" }],
            billingMode: "PAY_PER_REQUEST",
        });
        b.resource(aws.dynamodb.Table, "prod-fixed", {
            hashKey: "id",
            attributes: [{ name: "id", type: "S" }],
            readCapacity: 5,
            writeCapacity: 5,
        });
        expectViolation("dynamodb-capacity-scales", b, ["prod-fixed"], /provisioned capacity \(billingMode PROVISIONED\)/);
    });
});

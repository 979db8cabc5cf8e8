import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const KEY = "aws:kms/key:Key";

describe("policy-pack kms", () => {
    describe("kms-key-rotation", () => {
        it("passes a rotating symmetric key and skips an asymmetric signing key", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", { enableKeyRotation: true });
            b.add(KEY, "prod-signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
            expectCompliant("kms-key-rotation", b);
        });
        it("flags a symmetric key without rotation", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", {});
            expectViolation("kms-key-rotation", b, ["prod-data"], /rotation/);
        });
        it("cannot verify an unknown rotation flag", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", { enableKeyRotation: UNKNOWN });
            expectCannotVerify("kms-key-rotation", b);
        });
    });

    describe("kms-deletion-window", () => {
        it("passes the default and a 30-day window", () => {
            const b = new StackBuilder("test");
            b.add(KEY, "test-a", {});
            b.add(KEY, "test-b", { deletionWindowInDays: 30 });
            expectCompliant("kms-deletion-window", b);
        });
        it("flags a 7-day window", () => {
            const b = new StackBuilder("test");
            b.add(KEY, "test-a", { deletionWindowInDays: 7 });
            expectViolation("kms-deletion-window", b, ["test-a"], /7-day deletion window/);
        });
    });
});

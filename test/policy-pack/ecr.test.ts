import * as aws from "@pulumi/aws";
import { StackBuilder, expectViolation } from "./helpers";

describe("policy-pack ecr", () => {
    it("ecr-scan-and-encrypt", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.ecr.Repository, "org-lax", { name: "lax" });
        b.resource(aws.ecr.Repository, "org-ok", { name: "ok", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS" }] });
        expectViolation("ecr-scan-and-encrypt", b, ["org-lax"], /scan on push, immutable tags, KMS encryption/);
    });
});

import * as aws from "@pulumi/aws";
import { StackBuilder, expectViolation } from "./helpers";

describe("policy-pack ecr", () => {
    it("ecr-scan-and-encrypt", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.ecr.Repository, "org-lax", { name: "lax" });
        b.resource(aws.ecr.Repository, "org-ok", {
            name: "ok",
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "KMS" }],
        });
        expectViolation("ecr-scan-and-encrypt", b, ["org-lax"], /scan on push, immutable tags, KMS encryption/);
    });
    it("ecr-lifecycle-policy: every repository has a lifecycle policy", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.ecr.Repository, "org-api", { name: "payments-api" });
        b.resource(aws.ecr.LifecyclePolicy, "org-api-lifecycle", { repository: "payments-api", policy: JSON.stringify({ rules: [] }) });
        b.resource(aws.ecr.Repository, "org-hoard", { name: "payments-hoard" });
        expectViolation("ecr-lifecycle-policy", b, ["org-hoard"], /no lifecycle policy/);
    });
});

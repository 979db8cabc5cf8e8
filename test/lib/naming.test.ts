import { expect } from "chai";
import { NAME_LIMITS, Namer, physicalName } from "../../lib/naming";

describe("physicalName", () => {
    it("builds <env>-<component>[-<suffix>] in lower case", () => {
        expect(physicalName("prod", "Payments_API")).to.equal("prod-payments-api");
        expect(physicalName("pr-42", "payments-processing", { suffix: "dlq" })).to.equal("pr-42-payments-processing-dlq");
        expect(new Namer("test").name("vpc")).to.equal("test-vpc");
    });

    it("keeps names within the AWS limit of their kind, uniquely and repeatably", () => {
        const long = "a-very-long-component-name-that-goes-on-and-on-past-any-reasonable-limit";
        const bucket = physicalName("preprod", long, { kind: "s3Bucket" });
        expect(bucket).to.have.length.at.most(NAME_LIMITS.s3Bucket);
        expect(bucket).to.equal(physicalName("preprod", long, { kind: "s3Bucket" }));
        expect(bucket).not.to.equal(physicalName("preprod", `${long}-2`, { kind: "s3Bucket" }));
        expect(physicalName("prod", long, { kind: "iamRole" })).to.have.length.at.most(64);
        expect(physicalName("prod", long, { kind: "sqsQueue" })).to.have.length.at.most(80);
        expect(physicalName("prod", long, { kind: "opensearchDomain" })).to.match(/^[a-z0-9-]{1,28}$/);
    });

    it("refuses a name with nothing in it", () => {
        expect(() => physicalName("", "--")).to.throw(/empty name/);
    });
});

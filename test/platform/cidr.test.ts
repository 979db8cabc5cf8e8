import { expect } from "chai";
import { cidrsOverlap, parseCidr } from "../../platform/cidr";

describe("platform CIDR checks", () => {
    it("accepts only canonical IPv4 CIDRs", () => {
        expect(parseCidr("10.30.0.0/16")).to.deep.include({
            first: 10 * 2 ** 24 + 30 * 2 ** 16,
            last: 10 * 2 ** 24 + 30 * 2 ** 16 + 65535,
        });
        expect(parseCidr("10.30.0.1/16"), "host bits set").to.equal(undefined);
        expect(parseCidr("10.300.0.0/16")).to.equal(undefined);
        expect(parseCidr("10.30.0.0/33")).to.equal(undefined);
        expect(parseCidr("10.30.0.0")).to.equal(undefined);
    });

    it("detects overlap in either direction and adjacency as disjoint", () => {
        const prod = parseCidr("10.30.0.0/16")!;
        expect(cidrsOverlap(prod, parseCidr("10.30.128.0/17")!)).to.equal(true);
        expect(cidrsOverlap(parseCidr("10.0.0.0/8")!, prod)).to.equal(true);
        expect(cidrsOverlap(prod, parseCidr("10.31.0.0/16")!)).to.equal(false);
        expect(cidrsOverlap(prod, parseCidr("10.29.0.0/16")!)).to.equal(false);
    });
});

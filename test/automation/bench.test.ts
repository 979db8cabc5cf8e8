import { expect } from "chai";

import { verdict } from "../../automation/bench";

describe("npm run bench's verdict (#17 item 15)", () => {
    it("exits 1 when a measured ratio misses its target, 0 when it meets it, and says which", () => {
        const lines: string[] = [];
        expect(verdict("review", "planning once", 2.6, 2.5, (l) => lines.push(l))).to.equal(1);
        expect(verdict("review", "planning once", 2.5, 2.5, (l) => lines.push(l))).to.equal(0);
        expect(lines).to.deep.equal([
            "\nreview: 2.60x planning once, MISSES the target of <= 2.5x",
            "\nreview: 2.50x planning once, meets the target of <= 2.5x",
        ]);
    });
});

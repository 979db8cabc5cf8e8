import { expect } from "chai";
import * as path from "path";

import { REPO_ROOT } from "../../../lib/repository";
import { StackRegistry, synthesizeStack } from "../../../automation/plan/plan";

/**
 * The offline engine decides "no changes" by comparing a stack's recorded resources with a new
 * synthesis (automation/driver/offline-engine.ts `diff`): a synthesis that is not a function of the
 * programs, the stack files and the referenced outputs would show every preview as an update.
 * (The stand-in end to end, test/automation/driver/stand-in.test.ts, checks the same across processes.)
 */
describe("synthesis is deterministic", function () {
    this.timeout(600_000);

    it("synthesizes platform/test twice, from references read back as the stand-in reads them, into identical plans", async () => {
        const registry = new StackRegistry();
        await synthesizeStack(path.join(REPO_ROOT, "foundation"), "org", { registry });
        await synthesizeStack(path.join(REPO_ROOT, "platform"), "mgmt", { registry });
        // Each synthesis gets its own copy of the references, round-tripped through JSON like a stack record on disk.
        const fromDisk = (): StackRegistry => {
            const copy = new StackRegistry();
            for (const name of ["organization/foundation/org", "organization/platform/mgmt"]) {
                copy.add(name, JSON.parse(JSON.stringify(registry.get(name))) as NonNullable<ReturnType<StackRegistry["get"]>>);
            }
            return copy;
        };
        const first = await synthesizeStack(path.join(REPO_ROOT, "platform"), "test", { registry: fromDisk() });
        const second = await synthesizeStack(path.join(REPO_ROOT, "platform"), "test", { registry: fromDisk() });
        expect(first.resources.length).to.be.greaterThan(100);
        const byUrn = (result: typeof first) => new Map(result.resources.map((r) => [r.urn, r]));
        const [a, b] = [byUrn(first), byUrn(second)];
        expect([...b.keys()].sort()).to.deep.equal([...a.keys()].sort());
        const differing = [...a.keys()].filter((urn) => JSON.stringify(a.get(urn)) !== JSON.stringify(b.get(urn)));
        expect(differing, "resources whose second synthesis differs").to.deep.equal([]);
        expect(second.outputs).to.deep.equal(first.outputs);
    });
});

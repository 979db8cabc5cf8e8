import { expect } from "chai";
import * as fs from "fs";
import { CHECKS, NO_ANCHOR_CHECKS } from "../../policy-pack/coverage/checks";
import { renderCoverage } from "../../policy-pack/coverage/render";
import { POLICIES } from "../../policy-pack/policies";
import { COVERAGE_FILE } from "../../policy-pack/scripts/generate";
import { planOf } from "../harness";
import { probePlan } from "./probe";

/** Types the AWS rule sets judge: the AWS provider's resources and the remote components policies look at. */
const judged = (type: string) => type.startsWith("aws:") || type === "eks:index:Cluster" || type === "awsx:ec2:Vpc";

describe("policy-pack coverage table (policy-pack/coverage/checks.ts)", function () {
    this.timeout(600_000);

    it("has a row for every AWS resource type in every environment's plan", async () => {
        const named = new Set([...CHECKS.flatMap((c) => c.types), ...Object.keys(NO_ANCHOR_CHECKS)]);
        const missing = new Set<string>();
        for (const env of ["mgmt", "test", "preprod", "prod", "pr-42"]) {
            for (const stack of (await planOf(env)).stacks) {
                stack.resources.filter((r) => judged(r.type) && !named.has(r.type)).forEach((r) => missing.add(`${r.type} (${env})`));
            }
        }
        expect([...missing].sort(), "add a check naming the type, or a NO_ANCHOR_CHECKS line with the reason").to.deep.equal([]);
    });

    it("names only policies that exist, and lists every anchor id a policy claims", async () => {
        const names = new Set(POLICIES.map((p) => p.meta.name));
        const unknown = CHECKS.flatMap((c) =>
            (c.by ?? "")
                .split(", ")
                .filter((n) => n !== "" && !names.has(n))
                .map((n) => `${c.id}: ${n}`),
        );
        expect(unknown).to.deep.equal([]);
        const ids = new Set(CHECKS.map((c) => c.id));
        const unlisted = POLICIES.flatMap((p) =>
            [p.meta.checkov, p.meta.trivy, ...(p.meta.securityHub ?? [])]
                .filter((id): id is string => id !== undefined && !ids.has(id))
                .map((id) => `${p.meta.name}: ${id}`),
        );
        expect(unlisted).to.deep.equal([]);
        const wrongCoverer = POLICIES.flatMap((p) =>
            [p.meta.checkov, p.meta.trivy]
                .filter((id): id is string => id !== undefined)
                .filter((id) => !CHECKS.some((c) => c.id === id && (c.by ?? "").split(", ").includes(p.meta.name)))
                .map((id) => `${p.meta.name}: ${id}`),
        );
        expect(wrongCoverer, "the table row of a policy's own id names the policy").to.deep.equal([]);
        expect(
            CHECKS.filter((c) => c.status !== "covered" && c.status !== "partial" && !c.note).map((c) => c.id),
            "gaps and not-applicable rows say why",
        ).to.deep.equal([]);
        expect((await probePlan()).stacks.length).to.be.greaterThan(0);
    });

    it("keeps docs/policy-coverage.md generated from the table (run policy-pack/scripts/generate.ts)", () => {
        expect(fs.readFileSync(COVERAGE_FILE, "utf8")).to.equal(renderCoverage());
    });
});

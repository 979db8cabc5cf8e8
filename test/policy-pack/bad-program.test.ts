import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { PlanDocument } from "../../plan-model/types";
import { REPO_ROOT } from "../../lib/repository";
import { planProgram } from "../../automation/plan/plan";

const FIXTURE = path.join(__dirname, "..", "fixtures", "bad-program");

/** What the deliberately bad program must be blocked for: "<policy> <resource>". */
const EXPECTED_MANDATORY = [
    "s3-public-access-block public-uploads",
    "s3-encryption public-uploads",
    "s3-tls-only public-uploads",
    "s3-acls-disabled public-uploads",
    "sg-no-public-ingress bastion",
    "sg-no-admin-ports bastion",
    "rds-not-public orders-db",
    "rds-encrypted orders-db",
    "rds-backup-retention orders-db",
    "rds-iam-auth orders-db",
    "vpc-flow-logs dev-vpc",
    "tagging-required-tags public-uploads",
    "tagging-required-tags bastion",
    "tagging-required-tags orders-db",
    "explicit-provider orders-db",
];

function found(doc: PlanDocument, level: string): string[] {
    return doc.stacks.flatMap((s) =>
        s.violations.filter((v) => v.enforcementLevel === level).map((v) => `${v.policy} ${v.urn?.split("::").pop()}`),
    );
}

describe("policy-pack on a deliberately bad program (test/fixtures/bad-program)", function () {
    this.timeout(300_000);
    it("finds the public bucket, open SSH/RDP, public unencrypted database and missing tags", async () => {
        const doc = await planProgram(FIXTURE, "dev");
        expect(found(doc, "mandatory")).to.include.members(EXPECTED_MANDATORY);
        expect(found(doc, "advisory")).to.include("s3-versioning public-uploads");
        expect(doc.summary.mandatory).to.equal(found(doc, "mandatory").length);
    });

    it("makes `npm run plan -- --program <fixture> --stack dev --json` exit 1 with the violations in the JSON", () => {
        const run = spawnSync(
            process.execPath,
            [
                "-r",
                path.join(REPO_ROOT, "automation", "register.js"),
                path.join(REPO_ROOT, "automation", "cli", "plan.ts"),
                "--program",
                FIXTURE,
                "--stack",
                "dev",
                "--json",
            ],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
            },
        );
        expect(run.status, run.stderr).to.equal(1);
        const doc = JSON.parse(run.stdout) as PlanDocument;
        expect(found(doc, "mandatory")).to.include.members(EXPECTED_MANDATORY);
        expect(doc.summary.mandatory).to.be.greaterThan(0);
    });
});

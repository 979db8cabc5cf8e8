import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli } from "../../automation/cli/plan";
import { PlanDocument } from "../../plan-model/types";
import { buildPciReport, renderPciHtml, renderPciMarkdown } from "../../policy-pack/report/pci";
import { planOf } from "../harness";

const REQUIREMENTS = [
    "1.2",
    "1.3",
    "1.4",
    "2.2",
    "3.5",
    "3.6",
    "3.7",
    "4.2",
    "6.4",
    "7.2",
    "8.2",
    "8.3",
    "8.4",
    "8.5",
    "8.6",
    "10.2",
    "10.3",
    "10.4",
    "10.5",
    "10.6",
    "10.7",
    "11.5",
    "12.10",
];

describe("PCI DSS v4.0.1 evidence report (--report)", function () {
    this.timeout(600_000);

    for (const env of ["mgmt", "test", "preprod", "prod", "pr-42"]) {
        it(`renders for ${env}: every requirement, its evidence and results, HTML without network`, async () => {
            const report = buildPciReport(await planOf(env));
            expect(report.requirements.map((r) => r.id)).to.deep.equal(REQUIREMENTS);
            expect(
                report.requirements.every((r) => r.result !== "fail"),
                "0 mandatory violations in every env",
            ).to.equal(true);
            const scps = report.requirements.flatMap((r) => r.evidence).filter((e) => e.kind === "SCP" || e.kind === "RCP");
            expect(
                scps.every((e) => e.result === "pass"),
                JSON.stringify(scps),
            ).to.equal(true);
            const markdown = renderPciMarkdown(report);
            for (const id of REQUIREMENTS) {
                expect(markdown).to.include(`## ${id} `);
            }
            expect(markdown).to.match(
                /## 12\.10 [^\n]*\n\nResult: \*\*not evidenced by infrastructure\*\*\n\nInfrastructure cannot evidence: the incident response plan/,
            );
            const html = renderPciHtml(report);
            expect(html).to.match(/^<!DOCTYPE html>/);
            expect(html, "self-contained").to.not.match(/<script|<link|src=|https?:\/\//i);
        });
    }

    it("reports a failing policy as a failed requirement", async () => {
        const prod = await planOf("prod");
        const broken: PlanDocument = JSON.parse(JSON.stringify(prod));
        broken.stacks[0].violations.push({
            policy: "rds-force-ssl",
            enforcementLevel: "mandatory",
            urn: null,
            message: "Database x has no parameter group setting rds.force_ssl = 1.",
        });
        const requirement = buildPciReport(broken).requirements.find((r) => r.id === "4.2");
        expect(requirement?.result).to.equal("fail");
        expect(requirement?.evidence.find((e) => e.name === "rds-force-ssl")?.detail).to.match(/1 mandatory/);
    });

    it("writes FILE.md and FILE.html from npm run plan, and refuses another extension before planning", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pci-"));
        const out: string[] = [];
        const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
        expect(await runPlanCli(["--env", "prod", "--report", path.join(dir, "report.txt")], io)).to.equal(2);
        expect(out.join("")).to.match(/--report takes a \.md or \.html file/);
        const fixture = path.join(__dirname, "..", "fixtures", "probe-program");
        for (const file of ["r.md", "r.html"]) {
            await runPlanCli(["--program", fixture, "--stack", "prod", "--json", "--report", path.join(dir, file)], io);
            expect(fs.readFileSync(path.join(dir, file), "utf8")).to.match(
                file.endsWith(".md") ? /^# PCI DSS v4\.0\.1 evidence/ : /^<!DOCTYPE html>/,
            );
        }
        expect(fs.readFileSync(path.join(dir, "r.md"), "utf8"), "the probe program's mistakes fail requirements").to.match(
            /\| 4\.2 [^|]*\| fail \|/,
        );
    });
});

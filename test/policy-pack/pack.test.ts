import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { EXEMPTIONS } from "../../policy-pack/exemptions";
import { POLICIES } from "../../policy-pack/policies";
import { CONFIG_DIR, DOC_FILE, docSection, renderConfigs, renderDocs } from "../../policy-pack/scripts/generate";

const PACK_DIR = path.join(__dirname, "..", "..", "policy-pack");
const DOMAINS = [
    "s3",
    "kms",
    "dynamodb",
    "sqs",
    "lambda",
    "rds",
    "opensearch",
    "eks",
    "network",
    "elb",
    "cloudfront-waf",
    "iam",
    "organizations",
    "tagging",
    "environment",
    "resource-access",
    "logging",
    "audit",
    "ecr",
    "versions",
];

function sourceFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("policy-pack structure", () => {
    it("has at least 40 uniquely named policies, each with the metadata the manual and Pulumi need", () => {
        expect(POLICIES.length).to.be.at.least(40);
        const names = POLICIES.map((p) => p.meta.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const { meta, policy } of POLICIES) {
            expect(meta.name, "names Pulumi accepts")
                .to.match(/^[a-z0-9-]+$/)
                .and.not.equal("all");
            expect(policy.name).to.equal(meta.name);
            expect(policy.description, meta.name).to.have.length.greaterThan(20);
            expect(meta.prevents, meta.name).to.have.length.greaterThan(10);
            expect(policy.remediationSteps, meta.name).to.have.length.greaterThan(10);
            expect(["low", "medium", "high", "critical"]).to.include(policy.severity);
            expect(["advisory", "mandatory"]).to.include(policy.enforcementLevel);
            if (meta.prodLevel !== undefined && meta.prodLevel !== meta.level) {
                expect(meta.levelReason, `${meta.name} says why prod levels differ`).to.be.a("string").with.length.greaterThan(20);
            }
            // The analyzer server exits when a schema declares enforcementLevel itself.
            expect(policy.configSchema?.properties).to.not.have.property("enforcementLevel");
        }
    });

    it("covers every domain of the issue, one policy module per domain", () => {
        expect([...new Set(POLICIES.map((p) => p.meta.domain))].sort()).to.deep.equal([...DOMAINS].sort());
        for (const domain of DOMAINS) {
            expect(fs.existsSync(path.join(PACK_DIR, "policies", `${domain}.ts`)), domain).to.equal(true);
        }
    });

    it("constructs the PolicyPack only in policy-pack/index.ts, next to the package.json and PulumiPolicy.yaml it needs", () => {
        const constructing = sourceFiles(PACK_DIR).filter((f) => /new PolicyPack\(/.test(fs.readFileSync(f, "utf8")));
        expect(constructing.map((f) => path.relative(PACK_DIR, f))).to.deep.equal(["index.ts"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        expect(pkg.name).to.match(/^[a-zA-Z0-9-_.]{1,100}$/);
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
        expect(pkg.dependencies ?? {}, "nothing to install: @pulumi/policy resolves from the repository root").to.deep.equal({});
        expect(parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")).runtime).to.equal("nodejs");
        expect(fs.readFileSync(path.join(PACK_DIR, "index.ts"), "utf8")).to.match(/policies: POLICIES\.map\(\(p\) => p\.policy\)/);
    });

    it("starts as Pulumi starts it (node in policy-pack/): the analyzer validates the pack and prints its port", async () => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: PACK_DIR,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += String(chunk)));
        try {
            const firstLine = await new Promise<string>((resolve, reject) => {
                let stdout = "";
                child.stdout.on("data", (chunk) => {
                    stdout += String(chunk);
                    if (stdout.includes("\n")) {
                        resolve(stdout.split("\n")[0]);
                    }
                });
                child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
            });
            expect(firstLine, stderr).to.match(/^\d+$/);
        } finally {
            child.kill();
        }
    });

    it("has a test naming every policy in the test file of its domain", () => {
        for (const { meta } of POLICIES) {
            const testFile = path.join(__dirname, `${meta.domain}.test.ts`);
            expect(fs.readFileSync(testFile, "utf8"), `${meta.name} in ${testFile}`).to.include(`"${meta.name}"`);
        }
    });

    it("lists only well-formed exemptions for known policies", () => {
        for (const e of EXEMPTIONS) {
            expect(POLICIES.map((p) => p.meta.name)).to.include(e.policy);
            expect(e.urn).to.match(/^urn:pulumi:/);
            expect(e.expires).to.match(/^\d{4}-\d{2}-\d{2}$/);
            expect(e.reason.trim()).to.have.length.greaterThan(10);
        }
    });

    it("keeps docs/policy-pack.md's generated section and policy-pack/config/*.json in sync with the metadata (run policy-pack/scripts/generate.ts)", () => {
        expect(docSection(fs.readFileSync(DOC_FILE, "utf8"))).to.equal(renderDocs());
        for (const [file, text] of Object.entries(renderConfigs())) {
            expect(fs.readFileSync(path.join(CONFIG_DIR, file), "utf8"), file).to.equal(text);
        }
        const docs = renderDocs();
        for (const { meta } of POLICIES) {
            expect(docs).to.include(`| \`${meta.name}\` | ${meta.domain} |`);
        }
    });

    it("makes prod stricter than test in the generated configs", () => {
        const prod = JSON.parse(renderConfigs()["prod.json"]);
        const test = JSON.parse(renderConfigs()["test.json"]);
        expect(prod["s3-versioning"].enforcementLevel).to.equal("mandatory");
        expect(test["s3-versioning"].enforcementLevel).to.equal("advisory");
        for (const name of Object.keys(test)) {
            if (test[name].enforcementLevel === "mandatory") {
                expect(prod[name].enforcementLevel, name).to.equal("mandatory");
            }
        }
    });
});

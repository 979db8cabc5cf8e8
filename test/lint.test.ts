import { expect } from "chai";
import { ESLint } from "eslint";
import * as fs from "fs";
import * as path from "path";

/**
 * The import boundaries of eslint.config.js (which `npm test` runs over the whole tree) really
 * reject what they are meant to: these lint files that break them, as a developer would write them.
 */
const ROOT = path.resolve(__dirname, "..");

/** A module that imports `specifier`, as a developer would add it. */
const probe = (specifier: string) => `import * as imported from "${specifier}";\nexport const probe = imported;\n`;

/** Lints `source` as the file `folder/<probe>.ts` (written for the run: the cycle rule reads files from disk). */
async function ruleIdsFor(folder: string, source: string): Promise<(string | null)[]> {
    const file = path.join(ROOT, folder, `lint-probe-${process.pid}.ts`);
    fs.writeFileSync(file, source);
    try {
        const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
        return result.messages.map((message) => message.ruleId);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

describe("lint: dependency direction", () => {
    const cases: [string, string][] = [
        ["platform", probe("../workloads/app-namespace")],
        ["platform", probe("../workloads/config")],
        ["lib", probe("../platform/outputs")],
        ["policy-pack", probe("../automation/plan/plan")],
        ["plan-model", probe("../policy-pack/offline")],
        ["workloads", probe("../platform/shared-data")],
    ];
    for (const [folder, source] of cases) {
        const imported = /from "([^"]+)"/.exec(source)?.[1];
        it(`rejects ${imported} in ${folder}/`, async function () {
            this.timeout(60_000);
            expect(await ruleIdsFor(folder, source)).to.include("import/no-restricted-paths");
        });
    }

    it("allows a later layer to read an earlier layer's contract", async function () {
        this.timeout(60_000);
        const source = probe("../platform/outputs");
        expect(await ruleIdsFor("workloads", source)).to.deep.equal([]);
    });

    it("rejects an import cycle", async function () {
        this.timeout(60_000);
        const dir = fs.mkdtempSync(path.join(ROOT, "lib", "cycle-probe-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b;\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = () => a;\n');
            const results = await new ESLint({ cwd: ROOT }).lintFiles([path.join(dir, "a.ts")]);
            expect(results[0].messages.map((message) => message.ruleId)).to.include("import/no-cycle");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("rejects an eslint-disable comment without a reason", async function () {
        this.timeout(60_000);
        const source = "// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const probe: any = 1;\n";
        expect(await ruleIdsFor("lib", source)).to.include("@eslint-community/eslint-comments/require-description");
    });
});

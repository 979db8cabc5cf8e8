import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { planProgram } from "../../automation/plan/plan";
import { REPO_ROOT } from "../../lib/repository";
import { planOf } from "../harness";

const SCHEMA_FILE = path.join(REPO_ROOT, "plan-model", "plan.schema.json");
let validate: ReturnType<Ajv2020["compile"]>;

function problems(document: unknown): string[] {
    // Through JSON, as a consumer of --json or --out reads it.
    return validate(JSON.parse(JSON.stringify(document))) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

describe("the plan JSON format (plan-model/plan.schema.json)", function () {
    it("is a valid JSON Schema (ajv, strict)", function () {
        validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as object);
    });

    for (const env of ["mgmt", "test", "preprod", "prod", "pr-42"]) {
        it(`describes the plan of ${env}`, async function () {
            expect(problems(await planOf(env))).to.deep.equal([]);
        });
    }

    it("describes the plan of any program (--program)", async function () {
        expect(problems(await planProgram(path.join(REPO_ROOT, "test", "fixtures", "engine", "basic"), "dev"))).to.deep.equal([]);
    });

    it("rejects a document that breaks the contract", async function () {
        const doc = JSON.parse(JSON.stringify(await planOf("mgmt"))) as {
            stacks: { resources: Record<string, unknown>[]; violations: Record<string, unknown>[] }[];
        };
        delete doc.stacks[0].resources[0].dependencies;
        doc.stacks[0].violations.push({ policy: "p", enforcementLevel: "warning", urn: null, message: "m" });
        expect(problems(doc).join("\n"))
            .to.include("must have required property 'dependencies'")
            .and.to.include("enforcementLevel must be equal to one of the allowed values");
    });

    it("is where the README and the docs send readers", function () {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        expect(readme).to.include("plan-model/plan.schema.json");
        expect(readme).not.to.match(/\.\.\/shared\/CONVENTIONS/);
    });
});

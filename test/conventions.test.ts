import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "../lib/repository";
import { planOf } from "./harness";

/** shared/CONVENTIONS.md, "What the offline engine cannot catch", pinned down as tests. */
const LAYER_STACKS: Record<string, string[]> = {
    foundation: ["org"],
    platform: ["mgmt", "test", "preprod", "prod"],
    workloads: ["test", "preprod", "prod", "pr"],
};
const ENVIRONMENTS = ["mgmt", "test", "preprod", "prod", "pr-42"];

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : sourceFiles(full);
        }
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

describe("repository conventions", () => {
    for (const [layer, stacks] of Object.entries(LAYER_STACKS)) {
        it(`${layer} is a TypeScript Pulumi project with a stack file for every stack`, () => {
            const manifest = parse(fs.readFileSync(path.join(REPO_ROOT, layer, "Pulumi.yaml"), "utf8"));
            expect(manifest.name).to.equal(layer);
            expect(manifest.runtime).to.deep.equal({ name: "nodejs", options: { typescript: true } });
            for (const stack of stacks) {
                expect(fs.existsSync(path.join(REPO_ROOT, layer, `Pulumi.${stack}.yaml`)), `${layer}/Pulumi.${stack}.yaml`).to.equal(true);
            }
        });
    }

    it("builds file paths from __dirname, never from the working directory", () => {
        const offenders = ["bootstrap", "foundation", "platform", "workloads", "policy-pack", "lib"]
            .flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir)))
            .filter((file) => /process\.cwd\(\)/.test(fs.readFileSync(file, "utf8")));
        expect(offenders.map((f) => path.relative(REPO_ROOT, f))).to.deep.equal([]);
    });

    it("constructs the PolicyPack only in policy-pack/index.ts, next to its own package.json", () => {
        const constructing = sourceFiles(path.join(REPO_ROOT, "policy-pack"))
            .concat(sourceFiles(path.join(REPO_ROOT, "automation")), sourceFiles(path.join(REPO_ROOT, "test")))
            .filter((file) => /new PolicyPack\(/.test(fs.readFileSync(file, "utf8")) && !file.endsWith("conventions.test.ts"));
        expect(constructing.map((f) => path.relative(REPO_ROOT, f))).to.deep.equal(["policy-pack/index.ts"]);
        const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "package.json"), "utf8"));
        expect(pack.name).to.be.a("string").and.not.equal("");
        expect(pack.version).to.match(/^\d+\.\d+\.\d+/);
    });

    it("pins the remote-component SDKs exactly, so the plugin versions are pinned too", () => {
        const { dependencies } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        for (const name of ["@pulumi/awsx", "@pulumi/eks", "@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/policy"]) {
            expect(dependencies[name], name).to.match(/^\d+\.\d+\.\d+$/);
        }
    });

    for (const env of ENVIRONMENTS) {
        it(`names in ${env} only parents, providers and dependencies that the plan itself holds`, async () => {
            const plan = await planOf(env);
            const dangling = plan.stacks.flatMap((stack) => {
                const urns = new Set(stack.resources.map((r) => r.urn));
                return stack.resources.flatMap((r) =>
                    [r.parent, r.provider, ...r.dependencies]
                        .filter((urn): urn is string => urn !== null && !urns.has(urn))
                        .map((urn) => `${r.urn} -> ${urn}`),
                );
            });
            expect(dangling).to.deep.equal([]);
        });

        it(`gives every resource in ${env} an explicit provider`, async () => {
            const plan = await planOf(env);
            const defaults = plan.stacks.flatMap((stack) =>
                // Providers and stack references are the engine's own: they take no provider.
                stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:") && r.provider === null).map((r) => r.urn),
            );
            expect(defaults).to.deep.equal([]);
        });
    }
});

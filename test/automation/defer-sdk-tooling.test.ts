import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { deferredModulePaths } from "../../automation/defer-sdk-tooling";
import { REPO_ROOT } from "../../lib/repository";

const REGISTER = path.join(REPO_ROOT, "automation", "register.js");
const TYPESCRIPT = require.resolve("typescript");
const [SHIM, ARBORIST] = deferredModulePaths();

/** Runs `script` in a fresh process with the require hook; returns what it printed as JSON. */
function probe(script: string): Record<string, unknown> {
    const run = spawnSync(process.execPath, ["-r", REGISTER, "-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).to.equal(0);
    return JSON.parse(run.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

/** Whether the process has loaded TypeScript's compiler (the stand-in in front of it is not the compiler). */
const COMPILER_LOADED = `const compiler = () => Object.keys(require.cache).includes(${JSON.stringify(TYPESCRIPT)});`;

describe("the SDK's function-serialization tooling is loaded on first use (automation/defer-sdk-tooling.js)", function () {
    this.timeout(120_000);

    it("a process that loads @pulumi/pulumi and @pulumi/aws through the hook loads neither TypeScript's compiler nor Arborist", function () {
        const result = probe(`${COMPILER_LOADED}
            require("@pulumi/pulumi"); require("@pulumi/aws");
            console.log(JSON.stringify({ compiler: compiler(), arborist: Object.keys(require.cache).some((f) => f.includes("/@npmcli/arborist/lib/arborist/")) }));`);
        expect(result).to.deep.equal({ compiler: false, arborist: false });
    });

    it("serializeFunction still works: it loads the compiler then, and the serialized closure returns what the original did", function () {
        const result = probe(`${COMPILER_LOADED}
            const pulumi = require("@pulumi/pulumi");
            const rate = 42;
            pulumi.runtime.serializeFunction(() => rate * 2).then((serialized) => {
                const exported = {};
                new Function("exports", "require", serialized.text)(exported, require);
                console.log(JSON.stringify({ compiler: compiler(), value: exported[serialized.exportName]() }));
            });`);
        expect(result).to.deep.equal({ compiler: true, value: 84 });
    });

    it("the deferred Arborist is the real class once read", function () {
        const result = probe(`
            const deferred = require(${JSON.stringify(ARBORIST)});
            const arborist = new deferred.Arborist({ path: ${JSON.stringify(REPO_ROOT)} });
            const real = require(${JSON.stringify(ARBORIST)});
            console.log(JSON.stringify({ isClass: typeof deferred.Arborist, sameClass: arborist instanceof real.Arborist, path: arborist.path }));`);
        expect(result).to.deep.equal({ isClass: "function", sameClass: true, path: REPO_ROOT });
        expect(SHIM).to.match(/@pulumi\/pulumi\/typescript-shim\.js$/);
    });
});

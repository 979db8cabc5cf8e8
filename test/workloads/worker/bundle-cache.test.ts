import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_DIR_VARIABLE } from "../../../lib/disk-cache";
import { REPO_ROOT } from "../../../lib/repository";
import type { WorkerBundle } from "../../../lib/lambda-bundle";

const BUNDLE_CACHE = Symbol.for("payments.workloads.workerBundle");

/**
 * A copy of the worker, lib/ and the lockfile in a scratch checkout (node_modules linked), so the
 * tests can change sources, lockfile and build options the way a developer would.
 */
describe("worker bundle cache", () => {
    let checkout: string;
    let bundleModule: string;
    let previousDir: string | undefined;
    let previousMemory: unknown;
    const memory = globalThis as unknown as Record<symbol, unknown>;

    /** The bundle as a fresh process would get it: this process's copy forgotten, the disk cache kept. */
    const freshBundle = (): WorkerBundle => {
        delete memory[BUNDLE_CACHE];
        for (const cached of Object.keys(require.cache).filter((file) => file.startsWith(checkout))) {
            delete require.cache[cached];
        }
        return (require(bundleModule) as typeof import("../../../lib/lambda-bundle")).workerBundle();
    };
    const edit = (relative: string, change: (text: string) => string) => {
        const file = path.join(checkout, relative);
        fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
    };

    before(() => {
        checkout = fs.mkdtempSync(path.join(os.tmpdir(), "worker-bundle-cache-"));
        for (const dir of ["lib", path.join("workloads", "worker")]) {
            fs.cpSync(path.join(REPO_ROOT, dir), path.join(checkout, dir), { recursive: true });
        }
        fs.copyFileSync(path.join(REPO_ROOT, "package-lock.json"), path.join(checkout, "package-lock.json"));
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(checkout, "node_modules"));
        bundleModule = path.join(checkout, "lib", "lambda-bundle.ts");
        previousDir = process.env[CACHE_DIR_VARIABLE];
        process.env[CACHE_DIR_VARIABLE] = path.join(checkout, "cache");
        previousMemory = memory[BUNDLE_CACHE];
    });
    after(() => {
        memory[BUNDLE_CACHE] = previousMemory;
        if (previousDir === undefined) {
            delete process.env[CACHE_DIR_VARIABLE];
        } else {
            process.env[CACHE_DIR_VARIABLE] = previousDir;
        }
        fs.rmSync(checkout, { recursive: true, force: true });
    });

    it("serves a later process from the cache, and rebuilds on a change to a source, the lockfile or the build options", function () {
        this.timeout(300_000);
        const first = freshBundle();
        expect(first.inputs)
            .to.include("index.ts")
            .and.to.include(path.join("..", "..", "lib", "naming.ts"));
        expect(first.inputs.some((input) => input.includes("node_modules"))).to.equal(false);

        // Served from disk: the same bundle, not a rebuild (a rebuild would also have rewritten the entry).
        const entryFiles = () =>
            fs
                .readdirSync(path.join(checkout, "cache", "worker-bundle"), { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".json"))
                .map((f) => [f, fs.statSync(path.join(checkout, "cache", "worker-bundle", f)).mtimeMs]);
        const before = entryFiles();
        expect(freshBundle()).to.deep.equal(first);
        expect(entryFiles()).to.deep.equal(before);

        edit("workloads/worker/contract.ts", (text) => `${text}\nexport const CACHE_PROBE = "source change";\n`);
        edit("workloads/worker/index.ts", (text) => `${text}\nexport { CACHE_PROBE } from "./contract";\n`);
        const afterSource = freshBundle();
        expect(afterSource.key).not.to.equal(first.key);
        expect(afterSource.code).to.include("source change");

        edit("package-lock.json", (text) => `${text}\n`);
        const afterLockfile = freshBundle();
        expect(afterLockfile.key).not.to.equal(afterSource.key);
        expect(afterLockfile.code).to.equal(afterSource.code);

        edit("lib/lambda-bundle.ts", (text) => text.replace("minify: true", "minify: false"));
        const afterOptions = freshBundle();
        expect(afterOptions.key).not.to.equal(afterLockfile.key);
        expect(afterOptions.code.length).to.be.greaterThan(afterLockfile.code.length);
        expect(freshBundle()).to.deep.equal(afterOptions);
    });
});

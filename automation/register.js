"use strict";
/**
 * Runs the repository's TypeScript with esbuild's transpiler: the plan, the CLIs and the tests
 * load hundreds of modules (and the offline engine re-evaluates programs per stack), where
 * TypeScript's own transpiler dominated the run time. Type-checking stays with `npm run build`.
 * Use: `node -r ./automation/register.js <file.ts>`.
 *
 * Compiled modules persist in lib/disk-cache.js, keyed by the source, the file's name, esbuild's
 * version and the options below, so a process transpiles only what changed since any earlier run
 * (and esbuild itself is loaded only then).
 *
 * It also defers the SDK's function-serialization tooling (./defer-sdk-tooling.js), which every
 * process that runs the repository's code would otherwise load and never use.
 */
const path = require("path");
const fs = require("fs");
const { digest, readEntry, writeEntry } = require("../lib/disk-cache");
const { deferSdkTooling } = require("./defer-sdk-tooling");

deferSdkTooling();

const NAMESPACE = "transpile";
const ESBUILD_VERSION = require("esbuild/package.json").version;
/**
 * The source map names the file by its base name, which the runtime resolves next to the module:
 * the output then does not depend on where the checkout lives, so a second worktree of the same
 * repository (the base revision of `npm run plan -- --base`) reuses the entries of unchanged files.
 */
const OPTIONS = Object.freeze({ loader: "ts", format: "cjs", target: "node20", sourcemap: "inline" });

// Re-evaluating an unchanged module in the same process (the offline engine does, per stack) skips the disk.
const compiled = new Map();

/** What decides esbuild's output: its version, the options, the name the source map gives, the source. */
function transpileKey(sourcefile, source, options = OPTIONS, esbuildVersion = ESBUILD_VERSION) {
    return digest(esbuildVersion, JSON.stringify(options), sourcefile, source);
}

/** The CommonJS for a TypeScript file's source, from the cache when any process compiled it before. */
function transpile(filename, source, options = OPTIONS) {
    const sourcefile = path.basename(filename);
    const key = transpileKey(sourcefile, source, options);
    let code = compiled.get(key) ?? readEntry(NAMESPACE, key);
    if (typeof code !== "string") {
        code = require("esbuild").transformSync(source, { ...options, sourcefile }).code;
        writeEntry(NAMESPACE, key, code);
    }
    compiled.set(key, code);
    return code;
}

require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

module.exports = { NAMESPACE, OPTIONS, transpile, transpileKey };

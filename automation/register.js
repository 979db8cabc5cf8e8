"use strict";
/**
 * Runs the repository's TypeScript with SWC's transpiler: the plan, the CLIs and the tests load
 * hundreds of modules (and the offline engine re-evaluates programs per stack), where TypeScript's
 * own transpiler dominated the run time. SWC strips types in this process (a native addon), about
 * four times faster than esbuild's transform service, which pays a round trip per file; esbuild
 * still bundles the Lambda code. Type-checking stays with `npm run build`.
 * Use: `node -r ./automation/register.js <file.ts>`.
 *
 * Compiled modules persist in lib/disk-cache.js, keyed by the source, the file's name, SWC's
 * version and the options below, so a process transpiles only what changed since any earlier run
 * (and SWC itself is loaded only then).
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
const SWC_VERSION = require("@swc/core/package.json").version;
/**
 * The source map names the file by its base name, which the runtime resolves next to the module:
 * the output then does not depend on where the checkout lives, so a second worktree of the same
 * repository (the base revision of `npm run plan -- --base`) reuses the entries of unchanged files.
 * The rest is tsconfig.json's semantics (ES2022 class fields, CommonJS with esModuleInterop); no
 * `.swcrc` is read, so nothing outside the key decides the output.
 */
const OPTIONS = Object.freeze({
    swcrc: false,
    sourceMaps: "inline",
    inlineSourcesContent: true,
    jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: true } },
    module: { type: "commonjs" },
});

// Re-evaluating an unchanged module in the same process (the offline engine does, per stack) skips the disk.
const compiled = new Map();

/** What decides SWC's output: its version, the options, the name the source map gives, the source. */
function transpileKey(sourcefile, source, options = OPTIONS, swcVersion = SWC_VERSION) {
    return digest(swcVersion, JSON.stringify(options), sourcefile, source);
}

/** The CommonJS for a TypeScript file's source, from the cache when any process compiled it before. */
function transpile(filename, source, options = OPTIONS) {
    const sourcefile = path.basename(filename);
    const key = transpileKey(sourcefile, source, options);
    let code = compiled.get(key) ?? readEntry(NAMESPACE, key);
    if (typeof code !== "string") {
        code = require("@swc/core").transformSync(source, { ...options, filename: sourcefile }).code;
        writeEntry(NAMESPACE, key, code);
    }
    compiled.set(key, code);
    return code;
}

require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

module.exports = { NAMESPACE, OPTIONS, transpile, transpileKey };

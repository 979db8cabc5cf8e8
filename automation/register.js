"use strict";
/**
 * Runs the repository's TypeScript with esbuild's transpiler: the plan, the CLIs and the tests
 * load hundreds of modules (and the offline engine re-evaluates programs per stack), where
 * TypeScript's own transpiler dominated the run time. Type-checking stays with `npm run build`.
 * Use: `node -r ./automation/register.js <file.ts>`.
 */
const { transformSync } = require("esbuild");
const fs = require("fs");

// Keyed by file and source: re-evaluating an unchanged module reuses its compiled text.
const compiled = new Map();

require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const key = `${filename}\0${source}`;
    let code = compiled.get(key);
    if (code === undefined) {
        code = transformSync(source, { loader: "ts", format: "cjs", target: "node20", sourcefile: filename, sourcemap: "inline" }).code;
        compiled.set(key, code);
    }
    module._compile(code, filename);
};

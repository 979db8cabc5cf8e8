"use strict";
/**
 * Defers two modules that `require("@pulumi/pulumi")` loads eagerly but that only function
 * serialization needs (`pulumi.runtime.serializeFunction`, `computeCodePaths`, the magic Lambda
 * callbacks): TypeScript's compiler (9 MB, parsed to read a closure's source) and npm's Arborist (to
 * walk node_modules for a closure's packages). The estate bundles its Lambda code with esbuild and
 * never serializes a function, yet each plan, CLI call and test process paid about 0.7 s to load
 * both, more than half of the SDK's load time. Each is now a stand-in that loads the real module the
 * first time anything reads from it, so a program that does serialize a function behaves as before.
 *
 * Only the SDK's own entry points are replaced (its TypeScript shim, the Arborist it resolves):
 * TypeScript as eslint or tsc load it is untouched.
 */
const path = require("path");
const Module = require("module");

/**
 * The modules `@pulumi/pulumi` requires at load time for function serialization only; one that an
 * SDK version no longer has is simply not deferred (a missing SDK is left for its importer to report).
 */
function deferredModulePaths() {
    const resolved = (request, paths) => {
        try {
            return require.resolve(request, paths && { paths });
        } catch {
            return undefined;
        }
    };
    const manifest = resolved("@pulumi/pulumi/package.json");
    if (manifest === undefined) {
        return [];
    }
    const pulumiDir = path.dirname(manifest);
    return [resolved(path.join(pulumiDir, "typescript-shim.js")), resolved("@npmcli/arborist", [pulumiDir])].filter(Boolean);
}

/** Puts a stand-in for `filename` into the module cache; the first read through it loads the real module. */
function defer(filename) {
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[filename];
            real = require(filename);
        }
        return real;
    };
    const standIn = new Module(filename, module);
    standIn.filename = filename;
    standIn.loaded = true;
    standIn.exports = new Proxy(
        {},
        {
            // Compiled `import * as x` (__importStar) copies every key of a CommonJS module, which would
            // load it at once; a module that says it is an ES module is used as it is.
            get: (_, key) => (key === "__esModule" ? true : load()[key]),
            has: (_, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
                // A proxy may not report a non-configurable property its (empty) target lacks.
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
    require.cache[filename] = standIn;
}

/** Defers the SDK's serialization tooling, unless the SDK is already loaded (then it is too late to matter). */
function deferSdkTooling() {
    const paths = deferredModulePaths();
    if (paths.some((filename) => require.cache[filename])) {
        return;
    }
    paths.forEach(defer);
}

module.exports = { deferSdkTooling, deferredModulePaths };

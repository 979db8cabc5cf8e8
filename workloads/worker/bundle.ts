import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import * as fs from "fs";
import * as path from "path";

interface CachedBundle {
    code: string;
    sourceMap: string;
    /** Every file esbuild read, with its modification time then. */
    inputs: [string, number][];
}

/**
 * Process-wide, not module-level: the offline engine re-evaluates program modules for every
 * stack it synthesizes, and rebuilding an unchanged worker each time would dominate a plan.
 */
const BUNDLE_CACHE = Symbol.for("payments.workloads.workerBundle");
const PROVISIONER_CACHE = Symbol.for("payments.workloads.provisionerBundle");
const WORKER_ENTRY = path.join(__dirname, "index.ts");
const PROVISIONER_ENTRY = path.join(__dirname, "..", "provisioner", "index.ts");

function mtime(file: string): number {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return -1;
    }
}

/** A Lambda entry point and its dependencies as one CommonJS file plus its source map (not written to disk). */
function buildBundle(entryPoint: string): CachedBundle {
    const result = buildSync({
        metafile: true,
        // Metafile input paths are relative to this directory, whatever the process's working directory.
        absWorkingDir: __dirname,
        entryPoints: [entryPoint],
        // Names the outputs and anchors the map's relative source paths; nothing is written.
        outfile: path.join(__dirname, "dist", "index.js"),
        write: false,
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        // Stack traces resolve through NODE_OPTIONS=--enable-source-maps; sources stay out of the asset.
        sourcemap: "external",
        sourcesContent: false,
        legalComments: "none",
        // pg's optional native binding, which the worker never loads.
        external: ["pg-native"],
        logLevel: "silent",
    });
    const file = (suffix: string) => {
        const output = result.outputFiles.find((f) => f.path.endsWith(suffix));
        if (output === undefined) {
            throw new Error(`esbuild produced no ${suffix} for ${entryPoint}`);
        }
        return output.text;
    };
    const inputs = Object.keys(result.metafile.inputs).map((input): [string, number] => {
        const absolute = path.resolve(__dirname, input);
        return [absolute, mtime(absolute)];
    });
    return { code: file("index.js"), sourceMap: file("index.js.map"), inputs };
}

/** The worker's bundle (handler `index.handler`). */
export function buildWorkerBundle(): CachedBundle {
    return buildBundle(WORKER_ENTRY);
}

/**
 * A Lambda `code` archive (handler `index.handler`). Built once per process while none of its
 * inputs change: esbuild's output is deterministic, so every stack gets the same archive and a
 * rebuild only changes the asset when the code changed.
 */
function bundleLambda(entryPoint: string, cacheKey: symbol): pulumi.asset.AssetArchive {
    const cache = globalThis as unknown as Record<symbol, CachedBundle | undefined>;
    let bundle = cache[cacheKey];
    if (bundle === undefined || bundle.inputs.some(([file, modified]) => mtime(file) !== modified)) {
        bundle = buildBundle(entryPoint);
        cache[cacheKey] = bundle;
    }
    return new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(bundle.code),
        "index.js.map": new pulumi.asset.StringAsset(bundle.sourceMap),
    });
}

/** The worker's Lambda code. */
export function bundleWorker(): pulumi.asset.AssetArchive {
    return bundleLambda(WORKER_ENTRY, BUNDLE_CACHE);
}

/** The provisioning function's Lambda code (workloads/provisioner). */
export function bundleProvisioner(): pulumi.asset.AssetArchive {
    return bundleLambda(PROVISIONER_ENTRY, PROVISIONER_CACHE);
}

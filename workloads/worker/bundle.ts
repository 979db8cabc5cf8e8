import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import * as path from "path";

let bundled: pulumi.asset.AssetArchive | undefined;

/** The worker and its dependencies as one CommonJS file plus its source map (not written to disk). */
export function buildWorkerBundle(): { code: string; sourceMap: string } {
    const result = buildSync({
        entryPoints: [path.join(__dirname, "index.ts")],
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
            throw new Error(`esbuild produced no ${suffix} for the worker`);
        }
        return output.text;
    };
    return { code: file("index.js"), sourceMap: file("index.js.map") };
}

/**
 * The Lambda `code` for the worker (handler `index.handler`). Built once per process: the offline
 * plan synthesizes several stacks in one process, and esbuild's output is deterministic, so every
 * stack gets the same archive and a rebuild only changes the asset when the code changed.
 */
export function bundleWorker(): pulumi.asset.AssetArchive {
    if (bundled === undefined) {
        const { code, sourceMap } = buildWorkerBundle();
        bundled = new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.StringAsset(code),
            "index.js.map": new pulumi.asset.StringAsset(sourceMap),
        });
    }
    return bundled;
}

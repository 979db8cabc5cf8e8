import * as pulumi from "@pulumi/pulumi";
import type { BuildOptions } from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { digest, readEntry, writeEntry } from "./disk-cache";

export interface WorkerBundle {
    code: string;
    sourceMap: string;
    /** The repository's files esbuild read (relative to LAMBDA_DIR); node_modules are covered by the lockfile. */
    inputs: string[];
    /** Digest of esbuild's version, the options, the lockfile and every input's content. */
    key: string;
}

/**
 * The repository's Lambda functions, each bundled from one entry point (relative to LAMBDA_DIR): the
 * worker (deployed by workloads) and the provisioner (deployed by workloads for full environments and
 * by platform/test for every pull request, which must never hold the shared database's master secret).
 * The builder lives here so that both layers deploy the same code without importing each other.
 */
interface LambdaEntry {
    entry: string;
    /** Persistent cache namespace. */
    namespace: string;
    /**
     * Process-wide, not module-level: the offline engine re-evaluates program modules for every
     * stack it synthesizes; the persistent cache (lib/disk-cache.js) spares the build across processes.
     */
    memory: symbol;
}

const WORKER: LambdaEntry = { entry: "index.ts", namespace: "worker-bundle", memory: Symbol.for("payments.workloads.workerBundle") };
const PROVISIONER: LambdaEntry = {
    entry: path.join("..", "provisioner", "index.ts"),
    namespace: "provisioner-bundle",
    memory: Symbol.for("payments.workloads.provisionerBundle"),
};
const LOCKFILE = path.resolve(__dirname, "..", "package-lock.json");
/** Build paths are relative to the worker's folder, whichever module builds. */
const LAMBDA_DIR = path.join(__dirname, "..", "workloads", "worker");

/** How every bundle runs (handler `index.handler` inside the archive). */
export const LAMBDA_HANDLER = "index.handler";
export const LAMBDA_RUNTIME = "nodejs22.x";
export const LAMBDA_ARCHITECTURE = "arm64";
/**
 * Set these on every function too: Node.js 20+ Lambda runtimes no longer trust the RDS CA bundle
 * unless told to, and the functions verify the PostgreSQL certificate; source maps make stack traces
 * in the logs point at the TypeScript.
 */
export const LAMBDA_RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
    NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
    NODE_OPTIONS: "--enable-source-maps",
};

function buildOptions(entry: string) {
    return {
        // Metafile input paths are relative to LAMBDA_DIR, whatever the process's working directory.
        absWorkingDir: LAMBDA_DIR,
        entryPoints: [path.join(LAMBDA_DIR, entry)],
        // Names the outputs and anchors the map's relative source paths; nothing is written.
        outfile: path.join(LAMBDA_DIR, "dist", "index.js"),
        metafile: true,
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
    } satisfies BuildOptions;
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return "";
    }
}

/**
 * What decides the output besides the repository's own sources. Paths are relative to
 * LAMBDA_DIR, so another checkout of the same revision (e.g. `plan --base`'s worktree) shares it.
 */
function toolchainKey(lambda: LambdaEntry): string {
    const relativeOptions = {
        ...buildOptions(lambda.entry),
        absWorkingDir: ".",
        entryPoints: [lambda.entry],
        outfile: path.join("dist", "index.js"),
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the version only, not esbuild itself
    return digest(require("esbuild/package.json").version, JSON.stringify(relativeOptions), readOrEmpty(LOCKFILE));
}

function bundleKey(toolchain: string, inputs: string[]): string {
    return digest(toolchain, ...inputs.flatMap((input) => [input, readOrEmpty(path.resolve(LAMBDA_DIR, input))]));
}

/** Builds a Lambda entry point and its dependencies as one CommonJS file plus its source map (nothing written to disk). */
function buildBundle(lambda: LambdaEntry): WorkerBundle {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the cache misses
    const result = (require("esbuild") as typeof import("esbuild")).buildSync(buildOptions(lambda.entry));
    const file = (suffix: string) => {
        const output = result.outputFiles.find((f) => f.path.endsWith(suffix));
        if (output === undefined) {
            throw new Error(`esbuild produced no ${suffix} for ${lambda.entry}`);
        }
        return output.text;
    };
    const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.split(/[\\/]/).includes("node_modules"));
    return { code: file("index.js"), sourceMap: file("index.js.map"), inputs, key: bundleKey(toolchainKey(lambda), inputs) };
}

/** Builds the worker (handler `index.handler`), bypassing every cache. */
export function buildWorkerBundle(): WorkerBundle {
    return buildBundle(WORKER);
}

/**
 * The bundle for the current sources: from this process, else from the persistent cache (found
 * through the input list the last build recorded under the toolchain's key; a changed input
 * changes the bundle key, and a new import is a change to an existing input), else built.
 */
function cachedBundle(lambda: LambdaEntry): WorkerBundle {
    const memory = globalThis as unknown as Record<symbol, WorkerBundle | undefined>;
    const toolchain = toolchainKey(lambda);
    // This process's own build answers when the cache cannot be written (another revision's
    // copy of this module, in the same process, keeps its bundle under the same symbol: check the shape).
    const own = typeof memory[lambda.memory]?.key === "string" ? memory[lambda.memory] : undefined;
    const recordedInputs = readEntry<string[]>(lambda.namespace, toolchain) ?? own?.inputs;
    const key = recordedInputs ? bundleKey(toolchain, recordedInputs) : undefined;
    if (key !== undefined && own?.key === key) {
        return own;
    }
    const cached = key !== undefined ? readEntry<WorkerBundle>(lambda.namespace, key) : undefined;
    const bundle = cached !== undefined && cached.key === key ? cached : buildBundle(lambda);
    if (bundle !== cached) {
        writeEntry(lambda.namespace, bundle.key, bundle);
        writeEntry(lambda.namespace, toolchain, bundle.inputs);
    }
    memory[lambda.memory] = bundle;
    return bundle;
}

/** The worker bundle for the current sources (see cachedBundle). */
export function workerBundle(): WorkerBundle {
    return cachedBundle(WORKER);
}

/**
 * A Lambda `code` archive (handler `index.handler`). esbuild's output is deterministic, so every
 * stack gets the same archive and the asset changes only when the code does.
 */
function archive(bundle: WorkerBundle): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(bundle.code),
        "index.js.map": new pulumi.asset.StringAsset(bundle.sourceMap),
    });
}

/** The worker's Lambda code. */
export function bundleWorker(): pulumi.asset.AssetArchive {
    return archive(workerBundle());
}

/** The provisioning function's Lambda code (workloads/provisioner). */
export function bundleProvisioner(): pulumi.asset.AssetArchive {
    return archive(cachedBundle(PROVISIONER));
}

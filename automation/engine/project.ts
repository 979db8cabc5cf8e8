import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { UserError } from "../../lib/errors";
import { hexFrom } from "./identifiers";

/** Bad usage or invalid input the user must fix: `npm run plan` exits 2 with this message. */
export class PlanUsageError extends UserError {}

export interface PulumiProject {
    dir: string;
    name: string;
    /** The program file the CLI would run. */
    entry: string;
    /** Project-level config defaults (`config:` in Pulumi.yaml), full keys. */
    defaults: Record<string, unknown>;
}

export interface StackConfig {
    /** Full keys (`ns:key`) to the strings the runtime receives (structured values as JSON). */
    values: Record<string, string>;
    secretKeys: string[];
}

/** A YAML file that must hold a mapping; any problem is a PlanUsageError naming the file and the lines. */
export function readYaml(file: string, what: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PlanUsageError(`${what} not found: ${file}`);
    }
    const document = parseDocument(text, { prettyErrors: true });
    if (document.errors.length > 0) {
        const details = document.errors.map((e) => `  - ${e.message.split("\n")[0]} (line ${e.linePos?.[0].line ?? "?"})`).join("\n");
        throw new PlanUsageError(`${what} is not valid YAML: ${file}\n${details}\nFix the YAML syntax at the lines shown.`);
    }
    const value = document.toJS() ?? {};
    if (typeof value !== "object" || Array.isArray(value)) {
        throw new PlanUsageError(`${what} must be a YAML mapping: ${file}`);
    }
    return value as Record<string, unknown>;
}

function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

export function loadProject(dir: string): PulumiProject {
    const absolute = path.resolve(dir);
    const manifest = readYaml(path.join(absolute, "Pulumi.yaml"), "Pulumi project file");
    if (typeof manifest.name !== "string" || manifest.name === "") {
        throw new PlanUsageError(`${path.join(absolute, "Pulumi.yaml")} has no "name"; add name: <project>.`);
    }
    const main = typeof manifest.main === "string" ? manifest.main : ".";
    const mainPath = path.resolve(absolute, main);
    const entry = fs.existsSync(mainPath) && fs.statSync(mainPath).isDirectory() ? path.join(mainPath, "index.ts") : mainPath;
    if (!fs.existsSync(entry)) {
        throw new PlanUsageError(`Program entry not found for project ${manifest.name}: ${entry}`);
    }
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries((manifest.config as Record<string, unknown>) ?? {})) {
        const value = spec !== null && typeof spec === "object" && !Array.isArray(spec) ? (spec as { default?: unknown }).default : spec;
        if (value !== undefined) {
            defaults[fullKey(manifest.name, key)] = value;
        }
    }
    return { dir: absolute, name: manifest.name, entry, defaults };
}

export function stackFilePath(project: PulumiProject, stack: string): string {
    return path.join(project.dir, `Pulumi.${stack}.yaml`);
}

function isSecure(value: unknown): value is { secure: string } {
    return value !== null && typeof value === "object" && typeof (value as { secure?: unknown }).secure === "string";
}

function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The `config:` mapping of a stack file as written (full or short keys, structured and `secure:` values kept). */
export function readStackFile(file: string, what: string): Record<string, unknown> {
    const raw = readYaml(file, what).config ?? {};
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new PlanUsageError(`${file}: "config" must be a mapping of keys to values.`);
    }
    return raw as Record<string, unknown>;
}

/**
 * A stack's configuration as the CLI would hand it to the program. Encrypted (`secure:`) values
 * cannot be decrypted offline: each becomes a stable stand-in that stays secret end to end.
 */
export function loadStackConfig(
    project: PulumiProject,
    stack: string,
    overrides: Record<string, unknown> = {},
    file = stackFilePath(project, stack),
): StackConfig {
    const raw = readStackFile(file, `Stack file for ${project.name}/${stack}`);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const set = (key: string, value: unknown) => {
        const full = fullKey(project.name, key);
        if (isSecure(value)) {
            values[full] = `offline-secret-${hexFrom(`${full}:${value.secure}`, 16)}`;
            secretKeys.push(full);
        } else {
            values[full] = toConfigString(value);
        }
    };
    for (const [key, value] of Object.entries(project.defaults)) {
        set(key, value);
    }
    for (const [key, value] of Object.entries(raw)) {
        set(key, value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        set(key, value);
    }
    return { values, secretKeys: [...new Set(secretKeys)] };
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const ENGINE_DIR = __dirname + path.sep;

/**
 * Runs a program's entry module afresh: program modules are evicted from the require cache
 * first, so module-level state never leaks between syntheses, while the SDKs (everything in
 * node_modules) stay loaded, which is what keeps consecutive plans fast.
 */
export function requireProgram(entry: string): unknown {
    for (const cached of Object.keys(require.cache)) {
        if (!cached.includes(NODE_MODULES) && !cached.startsWith(ENGINE_DIR)) {
            delete require.cache[cached];
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program entry is only known at run time
    return require(entry);
}

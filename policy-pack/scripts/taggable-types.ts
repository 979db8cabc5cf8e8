import * as fs from "fs";
import * as path from "path";

/**
 * Lists the @pulumi/aws resource types whose args take `tags`: the ones the tagging policy judges.
 * Derived from the installed SDK so a provider upgrade that makes a type taggable is picked up by
 * re-running this script (a test fails until the list is regenerated).
 */
export const TAGGABLE_TYPES_FILE = path.join(__dirname, "..", "policies", "taggable-types.json");

export function taggableAwsTypes(): string[] {
    const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const types = new Set<string>();
    for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
        if (!dir.isDirectory() || dir.name === "types" || dir.name === "config" || dir.name === "node_modules") {
            continue;
        }
        for (const file of fs.readdirSync(path.join(root, dir.name))) {
            if (!file.endsWith(".d.ts")) {
                continue;
            }
            const declaration = fs.readFileSync(path.join(root, dir.name, file), "utf8");
            const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(declaration);
            if (!args || !/\n {4}tags\?: /.test(args[1])) {
                continue;
            }
            const js = path.join(root, dir.name, file.replace(/\.d\.ts$/, ".js"));
            const token = fs.existsSync(js) ? /__pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8")) : null;
            if (token) {
                types.add(token[1]);
            }
        }
    }
    return [...types].sort();
}

if (require.main === module) {
    fs.writeFileSync(TAGGABLE_TYPES_FILE, JSON.stringify(taggableAwsTypes(), null, 1) + "\n");
    console.log(`wrote ${TAGGABLE_TYPES_FILE}`);
}

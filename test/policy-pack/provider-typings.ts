import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * Reads the AWS provider's own typings (node_modules/@pulumi/aws) to answer whether a property path
 * exists on a resource's Args type, so a policy cannot read an input the provider does not have.
 */
const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));

type Members = Map<string, string>; // property name -> its type as written

function membersOf(node: ts.InterfaceDeclaration, source: ts.SourceFile): Members {
    const members: Members = new Map();
    for (const m of node.members) {
        if (ts.isPropertySignature(m) && m.name && m.type) {
            members.set(m.name.getText(source), m.type.getText(source));
        }
    }
    return members;
}

function interfaces(file: string): { source: ts.SourceFile; byName: Map<string, Members>; byNamespace: Map<string, Map<string, Members>> } {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const byName = new Map<string, Members>();
    const byNamespace = new Map<string, Map<string, Members>>();
    const visit = (node: ts.Node, namespace: string[]): void => {
        if (ts.isModuleDeclaration(node)) {
            const inner = [...namespace, node.name.getText(source)];
            node.body?.forEachChild((child) => visit(child, inner));
            return;
        }
        if (ts.isModuleBlock(node)) {
            node.forEachChild((child) => visit(child, namespace));
            return;
        }
        if (ts.isInterfaceDeclaration(node)) {
            const members = membersOf(node, source);
            byName.set(node.name.text, members);
            const key = namespace.join(".");
            if (!byNamespace.has(key)) {
                byNamespace.set(key, new Map());
            }
            byNamespace.get(key)!.set(node.name.text, members);
        }
    };
    source.forEachChild((node) => visit(node, []));
    return { source, byName, byNamespace };
}

let inputTypes: Map<string, Map<string, Members>> | undefined;

function nestedInputType(typeText: string): Members | undefined {
    const match = /inputs\.([A-Za-z0-9_.]+)\.([A-Za-z0-9_]+)/.exec(typeText);
    if (!match) {
        return undefined;
    }
    inputTypes ??= interfaces(path.join(AWS_DIR, "types", "input.d.ts")).byNamespace;
    return inputTypes.get(match[1])?.get(match[2]);
}

const EKS_DIR = path.dirname(require.resolve("@pulumi/eks/package.json"));
/** Component resources the policies read (offline only their inputs are visible): their Args interfaces. */
const COMPONENT_ARGS: Record<string, { file: string; name: string }> = {
    "eks:index:Cluster": { file: path.join(EKS_DIR, "cluster.d.ts"), name: "ClusterArgs" },
};

/** The Args members of an `aws:<module>/<file>:<Class>` resource type (or a known component), or an error text. */
export function argsOf(token: string): Members | string {
    const component = COMPONENT_ARGS[token];
    if (component) {
        return interfaces(component.file).byName.get(component.name) ?? `${token}: ${component.file} declares no ${component.name}`;
    }
    const match = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(token);
    if (!match) {
        return `${token} is not an AWS resource type token`;
    }
    const file = path.join(AWS_DIR, match[1], `${match[2]}.d.ts`);
    if (!fs.existsSync(file)) {
        return `${token}: the provider has no ${path.relative(AWS_DIR, file)}`;
    }
    return interfaces(file).byName.get(`${match[3]}Args`) ?? `${token}: ${path.relative(AWS_DIR, file)} declares no ${match[3]}Args`;
}

/** Undefined when `dotted` (e.g. `destinationConfig.onFailure.destination`) exists on the type's Args; else why not. */
export function missingPath(token: string, dotted: string): string | undefined {
    let members = argsOf(token);
    if (typeof members === "string") {
        return members;
    }
    const segments = dotted.split(".");
    for (const [i, segment] of segments.entries()) {
        const typeText = members.get(segment);
        if (typeText === undefined) {
            return `${token} has no input ${segments.slice(0, i + 1).join(".")} (known here: ${[...members.keys()].join(", ")})`;
        }
        if (i < segments.length - 1) {
            const nested = nestedInputType(typeText);
            if (!nested) {
                return `${token} input ${segments.slice(0, i + 1).join(".")} is ${typeText}, not a nested block`;
            }
            members = nested;
        }
    }
    return undefined;
}

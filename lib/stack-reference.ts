import * as pulumi from "@pulumi/pulumi";
import { UserError } from "./errors";

/** `<org>/<project>/<stack>`, with `<org>` from config `stackOrg` (shared/CONVENTIONS.md). */
export function stackReferenceName(org: string, project: string, stack: string): string {
    return `${org}/${project}/${stack}`;
}

export class MissingStackOutputError extends UserError {
    constructor(
        readonly stack: string,
        readonly missing: string[],
        readonly consumer: string,
    ) {
        super(
            `Stack ${stack} does not export ${missing.map((m) => `"${m}"`).join(", ")}, which ${consumer} requires. ` +
                `Update that stack (pulumi up) so it exports its full contract, or check the stack name and the contract interface.`,
        );
    }
}

/**
 * The one way a layer reads another layer's outputs: a stack reference checked against the
 * producer's typed contract. Every missing key is reported at once, naming the stack.
 */
export class ContractReference<T extends object> {
    private readonly reference: pulumi.StackReference;
    private readonly contractSatisfied: pulumi.Output<true>;

    constructor(
        logicalName: string,
        readonly stackName: string,
        keys: readonly (keyof T & string)[],
        opts?: pulumi.CustomResourceOptions,
    ) {
        this.reference = new pulumi.StackReference(logicalName, { name: stackName }, opts);
        const consumer = `${pulumi.getProject()}/${pulumi.getStack()}`;
        // unsecret: only key presence is inspected, and a secret anywhere in the map must not
        // make every value read through this reference secret.
        this.contractSatisfied = pulumi.unsecret(this.reference.outputs).apply((outputs) => {
            const missing = keys.filter((key) => !Object.prototype.hasOwnProperty.call(outputs, key));
            if (missing.length > 0) {
                throw new MissingStackOutputError(stackName, missing, consumer);
            }
            return true as const;
        });
    }

    require<K extends keyof T & string>(key: K): pulumi.Output<T[K]> {
        return pulumi.all([this.contractSatisfied, this.reference.requireOutput(key)]).apply(([, value]) => value as T[K]);
    }
}

/**
 * Stack references: a program's `new StackReference(name)` is answered with the outputs of a
 * stack this plan synthesized before it, secrets still marked secret.
 */
import { StackReferenceError } from "./synthesis-errors";

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** Outputs of a stack another stack can reference: real values plus which names are secret. */
export interface StackOutputs {
    values: Record<string, unknown>;
    secretNames: string[];
}

/** Answers `resolve(name)` undefined when no such stack was synthesized. */
export type StackReferenceResolver = (name: string) => StackOutputs | undefined;

/** The state the SDK's StackReference resource reads (`outputs`, `secretOutputNames`). */
export function stackReferenceState(
    label: string,
    name: string,
    resolve: StackReferenceResolver | undefined,
): { id: string; state: Record<string, unknown> } {
    const outputs = resolve?.(name);
    if (!outputs) {
        throw new StackReferenceError(
            `${label}: stack reference "${name}" names no stack that this plan synthesized before it. ` +
                `Check the stack name (<stackOrg>/<project>/<stack>) and that the referenced stack is earlier in the chain.`,
        );
    }
    return { id: name, state: { name, outputs: outputs.values, secretOutputNames: outputs.secretNames } };
}

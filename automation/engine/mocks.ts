/**
 * The mock runtime's answers: stack references from the stacks planned before, realistic outputs
 * for every resource (automation/engine/resource-outputs.ts) in the account its provider deploys
 * to, and the invokes the estate calls.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { partitionOf } from "../../lib/arn";
import { plainOutputs, type RegistrationCapture } from "./capture";
import { hexFrom } from "./identifiers";
import { INVOKE_MOCKS, MockContext, MockProps, RESOURCE_MOCKS } from "./resource-outputs";
import { STACK_REFERENCE_TYPE, stackReferenceState, type StackReferenceResolver } from "./stack-references";
import type { StackReferenceError } from "./synthesis-errors";
import { unwrapSecrets } from "./wire-values";

export interface MockOptions {
    /** `<project>/<stack>`, for messages. */
    label: string;
    capture: RegistrationCapture;
    resolveStackReference: StackReferenceResolver | undefined;
    /** Keeps what the mocks throw, so its SDK-wrapped copies can be traced back to it. */
    remember(error: StackReferenceError): void;
    /** Serializations of child resources a remote component reports, awaited before the synthesis ends. */
    pendingReferences: Promise<void>[];
}

export function offlineMocks({ label, capture, resolveStackReference, remember, pendingReferences }: MockOptions): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: MockProps } {
            if (args.type === STACK_REFERENCE_TYPE) {
                try {
                    return stackReferenceState(label, String(args.inputs.name), resolveStackReference);
                } catch (error) {
                    remember(error as StackReferenceError);
                    throw error;
                }
            }
            const inputs = unwrapSecrets(args.inputs) as MockProps;
            // Set by the registration wrapper; reads (`Resource.get`) come without it.
            const registering = capture.registering;
            const where = registering?.where ?? capture.accountFor(args.provider);
            const urn = `${label}::${args.type}::${args.name}`;
            const ctx: MockContext = {
                type: args.type,
                name: args.name,
                urn,
                inputs,
                account: where.account,
                region: where.region,
                partition: partitionOf(where.region),
                physicalName: typeof inputs.name === "string" && inputs.name !== "" ? inputs.name : `${args.name}-${hexFrom(urn, 7)}`,
                hex: (length, salt = "") => hexFrom(`${urn}#${salt}`, length),
                reference: (type, name, id, state) => {
                    const monitor = capture.monitor;
                    const childUrn = monitor.newUrn("", `${args.type}$${type}`, name);
                    capture.recordSyntheticChild(childUrn);
                    pendingReferences.push(
                        rpc.serializeProperties("", state).then((serialized) => {
                            monitor.resources.set(childUrn, { urn: childUrn, id, state: serialized });
                        }),
                    );
                    return { [rpc.specialSigKey]: rpc.specialResourceSig, urn: childUrn, id };
                },
            };
            const mock = RESOURCE_MOCKS[args.type];
            const id = args.custom ? args.id || (mock?.id ?? ((c: MockContext) => c.physicalName))(ctx) : undefined;
            const computed = mock?.outputs?.(ctx, id ?? "") ?? {};
            if (registering && id !== undefined) {
                capture.recordPhysical(registering.urn, {
                    id,
                    account: where.account,
                    ...(typeof computed.arn === "string" ? { arn: computed.arn } : {}),
                });
            } else if (registering && mock?.outputs) {
                capture.recordPhysical(registering.urn, { account: where.account, outputs: plainOutputs(computed) });
            }
            const generic =
                args.custom && !args.type.startsWith("pulumi:providers:") && !("name" in inputs) ? { name: ctx.physicalName } : {};
            return { id, state: { ...generic, ...args.inputs, ...computed } };
        },
        call(args: pulumi.runtime.MockCallArgs): MockProps {
            const invoke = INVOKE_MOCKS[args.token];
            if (!invoke) {
                throw new Error(
                    `${label}: the offline engine has no outputs for invoke ${args.token}. ` +
                        `Prefer plain typed objects over invokes, or add the invoke to automation/engine/resource-outputs.ts.`,
                );
            }
            const where = capture.accountFor(args.provider);
            return invoke({
                token: args.token,
                inputs: args.inputs,
                account: where.account,
                region: where.region,
                partition: partitionOf(where.region),
            });
        },
    };
}

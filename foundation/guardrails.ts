import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { GuardrailParameters, minified, ORGANIZATION_POLICY_SPECS, PolicyTarget } from "./policies";

export interface GuardrailsArgs {
    organizationId: pulumi.Input<string>;
    parameters: Omit<GuardrailParameters, "organizationId">;
    targetIds: Record<PolicyTarget, pulumi.Input<string>>;
}

/** The SCPs and RCPs of foundation/policies, created and attached where the attachment plan says. */
export class Guardrails extends pulumi.ComponentResource {
    readonly policyIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: GuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:Guardrails", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        for (const spec of ORGANIZATION_POLICY_SPECS) {
            const policyName = namer.name(spec.key);
            const policy = new aws.organizations.Policy(
                policyName,
                {
                    name: policyName,
                    description: spec.description,
                    type: spec.type,
                    content: pulumi
                        .output(args.organizationId)
                        .apply((organizationId) => minified(spec.build({ ...args.parameters, organizationId }))),
                },
                child,
            );
            for (const target of spec.targets) {
                new aws.organizations.PolicyAttachment(
                    namer.name(spec.key, { suffix: target }),
                    { policyId: policy.id, targetId: args.targetIds[target] },
                    child,
                );
            }
            this.policyIds[spec.key] = policy.id;
        }
        this.registerOutputs({ policyIds: this.policyIds });
    }
}

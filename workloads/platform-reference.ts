import * as pulumi from "@pulumi/pulumi";
import { ContractReference, stackReferenceName } from "../lib/stack-reference";
import { PLATFORM_OUTPUT_KEYS, PlatformOutputs } from "../platform/outputs";

/** The keys a platform stack exports as null where they do not apply (sharedData outside test, ...). */
type NullableKey = { [K in keyof PlatformOutputs]: null extends PlatformOutputs[K] ? K : never }[keyof PlatformOutputs];

/**
 * The platform stack a workloads stack runs on, read through its contract (PlatformOutputs), with
 * the checks a workloads stack needs beyond the contract: an output that must be set here, and the
 * target group of each service. Every failure names the platform stack and what to do there.
 */
export class PlatformReference {
    readonly stackName: string;
    private readonly reference: ContractReference<PlatformOutputs>;

    constructor(
        stackOrg: string,
        platformEnv: string,
        private readonly consumer: string,
    ) {
        this.stackName = stackReferenceName(stackOrg, "platform", platformEnv);
        this.reference = new ContractReference<PlatformOutputs>(`platform-${platformEnv}`, this.stackName, PLATFORM_OUTPUT_KEYS);
    }

    require<K extends keyof PlatformOutputs>(key: K): pulumi.Output<PlatformOutputs[K]> {
        return this.reference.require(key);
    }

    /** An output the platform may export as null: this stack needs it set (`fix` says how). */
    requireSet<K extends NullableKey>(key: K, fix: string): pulumi.Output<NonNullable<PlatformOutputs[K]>> {
        return this.reference.require(key).apply((value) => {
            if (value === null) {
                throw new Error(`${this.stackName} exports no ${key}: ${fix}, then re-run ${this.consumer}`);
            }
            return value as NonNullable<PlatformOutputs[K]>;
        });
    }

    /** The platform's target group for a service (TargetGroupBinding). */
    targetGroupArn(service: string): pulumi.Output<string> {
        return this.reference.require("targetGroupArns").apply((groups) => {
            const arn = groups?.[service];
            if (arn === undefined) {
                throw new Error(
                    `${this.stackName} exports no target group for ${service} (targetGroupArns): add it to platform/edge SERVICE_TARGETS`,
                );
            }
            return arn;
        });
    }
}

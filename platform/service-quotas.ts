import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";

/** A quota the platform needs at least at this value, requested through Service Quotas. */
export interface QuotaRequest {
    /** What the quota is for, for names and reviews. */
    purpose: string;
    serviceCode: string;
    quotaCode: string;
    value: number;
}

/**
 * Quotas the PR environments on the test platform rely on. New accounts start with a reduced Lambda
 * concurrency ("New AWS accounts have reduced concurrency and memory quotas", Lambda quotas): every
 * PR reserves 2, so the platform asks for the documented default explicitly instead of finding out
 * at the first PR's apply. automation/estimates/capacity.ts uses requested values as the limits.
 */
export const PULL_REQUEST_QUOTAS: readonly QuotaRequest[] = [
    { purpose: "lambda-concurrency", serviceCode: "lambda", quotaCode: "L-B99A9384", value: 1000 },
];

export class ServiceQuotaRequests extends pulumi.ComponentResource {
    constructor(name: string, args: { namer: Namer; requests: readonly QuotaRequest[] }, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ServiceQuotaRequests", name, {}, opts);
        for (const request of args.requests) {
            // Requesting no more than the applied value is a no-op; a larger one opens a request AWS approves later.
            new aws.servicequotas.ServiceQuota(
                args.namer.name("quota", { suffix: request.purpose }),
                { serviceCode: request.serviceCode, quotaCode: request.quotaCode, value: request.value },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}

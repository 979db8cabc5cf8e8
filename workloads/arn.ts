/** The parts of `arn:<partition>:<service>:<region>:<account>:<resource>` that policies need. */
export interface ArnParts {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

/**
 * Splits an ARN a resource already has, so policies can name its account, region and partition
 * without an invoke or extra arguments.
 */
export function arnParts(arn: string): ArnParts {
    const [prefix, partition, service, region, account, ...resource] = arn.split(":");
    if (prefix !== "arn" || resource.length === 0) {
        throw new Error(`"${arn}" is not an ARN`);
    }
    return { partition, service, region, account, resource: resource.join(":") };
}

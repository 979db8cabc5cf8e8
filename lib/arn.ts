/** An AWS region name: us-east-1, eu-central-1, us-gov-west-1. */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/;
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;
/** An IAM role ARN (no wildcards), in any partition. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;

/** The ARN partition of a region, computed instead of invoked so plans need no credentials. */
export function partitionOf(region: string): string {
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return region.startsWith("cn-") ? "aws-cn" : "aws";
}

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

/** The 12-digit account id of an ARN, or undefined when it names none (e.g. an S3 bucket). */
export function accountFromArn(arn: string): string | undefined {
    const account = arn.split(":")[4];
    return account !== undefined && ACCOUNT_ID_PATTERN.test(account) ? account : undefined;
}

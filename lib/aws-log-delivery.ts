/**
 * The accounts Elastic Load Balancing writes ALB access logs from, in regions older than August
 * 2022 (newer ones use the log-delivery service principal). Source: Elastic Load Balancing user
 * guide, "Enable access logs for your Application Load Balancer". One home for the fact: the
 * edge's bucket policy, the organization's RCP and the flows check all read it.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-central-1": "054676820928",
};

/** The ELB log-delivery accounts of the given regions (regions with a service principal have none). */
export function elbLogDeliveryAccounts(regions: readonly string[]): string[] {
    return regions.map((r) => ELB_LOG_DELIVERY_ACCOUNTS[r]).filter((a): a is string => a !== undefined);
}

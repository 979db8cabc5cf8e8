import type { PackExemption } from "./lib/settings";

/**
 * Resources allowed to break one policy for a while. Every entry needs a reason a reviewer can
 * judge and an expiry date (`YYYY-MM-DD`, inclusive); after it the policy applies again and the
 * `policy-exemptions-valid` policy reports the stale entry. Example:
 *
 *   { policy: "eks-private-endpoint", urn: "urn:pulumi:mgmt::platform::...::mgmt-eks",
 *     reason: "bootstrap run before the mgmt runners exist (CONVENTIONS: Reaching private clusters)",
 *     expires: "2026-12-01" }
 */
export const EXEMPTIONS: readonly PackExemption[] = [
    {
        policy: "logs-kms",
        urn: "urn:pulumi:prod::workloads::payments:workloads:WorkerFunction$aws:cloudwatch/logGroup:LogGroup::prod-payments-worker",
        owner: "payments-team (issue #14, worker lifecycle)",
        reason: "The worker's log group gets the workloads logs key when WorkerFunction is reworked under issue #14; its events carry payment ids, no card data.",
        expires: "2027-01-31",
    },
    {
        policy: "logs-kms",
        urn: "urn:pulumi:prod::workloads::payments:workloads:DataProvisioning$aws:cloudwatch/logGroup:LogGroup::prod-payments-provisioner",
        owner: "payments-team (issue #14, worker lifecycle)",
        reason: "The provisioner's log group gets the workloads logs key together with the worker's; it logs database, role and index names only.",
        expires: "2027-01-31",
    },
];

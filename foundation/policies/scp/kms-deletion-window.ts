import { policyDocument, StaticPolicyDocument } from "../document";

/** AWS allows 7 to 30 days; requiring 30 gives the most time to notice and cancel a deletion. */
export const MINIMUM_KEY_DELETION_WINDOW_DAYS = 30;

export function kmsDeletionWindowPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyShortKeyDeletionWindow",
        Effect: "Deny",
        Action: "kms:ScheduleKeyDeletion",
        Resource: "*",
        Condition: { NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": String(MINIMUM_KEY_DELETION_WINDOW_DAYS) } },
    });
}

import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/** Production data stores survive a bad change or a stolen session: deleting them takes break-glass. */
export function prodDataProtectionPolicy(params: Pick<GuardrailParameters, "breakGlassRoleName">): StaticPolicyDocument {
    return policyDocument({
        Sid: "ProtectProdDataStores",
        Effect: "Deny",
        Action: [
            "rds:DeleteDBCluster",
            "rds:DeleteDBInstance",
            "rds:DeleteGlobalCluster",
            "rds:DeleteDBClusterSnapshot",
            "rds:DeleteDBSnapshot",
            "dynamodb:DeleteTable",
            "dynamodb:DeleteBackup",
            "s3:DeleteBucket",
        ],
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.breakGlassRoleName)] } },
    });
}

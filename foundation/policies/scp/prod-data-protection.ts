import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * Production data stores and the prod VPCs' flow logs survive a bad change or a stolen session:
 * deleting them takes break-glass (non-prod environments replace flow logs and tear down freely).
 */
export function prodDataProtectionPolicy(params: Pick<GuardrailParameters, "breakGlassRoleName">): StaticPolicyDocument {
    const breakGlassOnly = { ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.breakGlassRoleName)] } };
    return policyDocument(
        {
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
            Condition: breakGlassOnly,
        },
        { Sid: "ProtectProdFlowLogs", Effect: "Deny", Action: ["ec2:DeleteFlowLogs"], Resource: "*", Condition: breakGlassOnly },
    );
}

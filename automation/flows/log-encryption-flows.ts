import { Flow } from "../../plan-model/flows";
import { Estate } from "./estate";
import { judge } from "./flow";
import { authorize, servicePrincipal } from "./iam/authorize";

/**
 * Every log group encrypted with a KMS key: CloudWatch Logs of its region may use that key for it
 * (the key policy admits the service with the log group's encryption context). A key that does not
 * fails the log group's creation on real AWS, which a plan alone never shows.
 */
export function logEncryptionFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const group of estate.ofType("aws:cloudwatch/logGroup:LogGroup")) {
        const key = group.inputs.kmsKeyId;
        if (typeof key !== "string" || !group.account) {
            continue;
        }
        const region = key.split(":")[3] || "us-east-1";
        const logGroupArn = `arn:aws:logs:${region}:${group.account}:log-group:${String(group.inputs.name ?? group.name)}`;
        const logs = servicePrincipal(`logs.${region}.amazonaws.com`, {
            "aws:SourceAccount": group.account,
            "aws:SourceOrgID": estate.organizationId,
        });
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: `CloudWatch Logs (${region})`,
                        action,
                        target: `key of log group ${group.inputs.name ?? group.name}`,
                        expect: "allowed",
                        stack: group.stack,
                    },
                    authorize(estate, logs, action, key, { "kms:EncryptionContext:aws:logs:arn": logGroupArn }),
                ),
            );
        }
    }
    return flows;
}

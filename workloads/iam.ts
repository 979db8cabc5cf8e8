import * as aws from "@pulumi/aws";

/** A trust policy letting one AWS service assume a role. */
export function serviceAssumeRolePolicy(service: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    };
}

import * as aws from "@pulumi/aws";

/** A trust policy letting one AWS service assume a role. */
export function serviceAssumeRolePolicy(service: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    };
}

/** The one statement of a traced VPC Lambda whose actions have no resource-level permissions (its ENIs, X-Ray). */
export const UNSCOPED_STATEMENT_SID = "NoResourceLevelPermissions";
export function vpcFunctionUnscopedStatement(): aws.iam.PolicyStatement {
    return {
        Sid: UNSCOPED_STATEMENT_SID,
        Effect: "Allow",
        Action: [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
        ],
        Resource: "*",
    };
}

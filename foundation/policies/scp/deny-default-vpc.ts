import { policyDocument, StaticPolicyDocument } from "../document";

/** Default VPCs have public subnets and no flow logs; every network is made by the platform layer. */
export function denyDefaultVpcPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "DenyDefaultVpc",
        Effect: "Deny",
        Action: ["ec2:CreateDefaultVpc", "ec2:CreateDefaultSubnet"],
        Resource: "*",
    });
}

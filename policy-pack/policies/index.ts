import type { PolicyDefinition } from "../lib/definition";
import { CLOUDFRONT_WAF_POLICIES } from "./cloudfront-waf";
import { DYNAMODB_POLICIES } from "./dynamodb";
import { EKS_POLICIES } from "./eks";
import { ELB_POLICIES } from "./elb";
import { ENVIRONMENT_POLICIES } from "./environment";
import { IAM_POLICIES } from "./iam";
import { KMS_POLICIES } from "./kms";
import { LAMBDA_POLICIES } from "./lambda";
import { NETWORK_POLICIES } from "./network";
import { OPENSEARCH_POLICIES } from "./opensearch";
import { ORGANIZATIONS_POLICIES } from "./organizations";
import { RDS_POLICIES } from "./rds";
import { S3_POLICIES } from "./s3";
import { SQS_POLICIES } from "./sqs";
import { TAGGING_POLICIES } from "./tagging";

/** Every policy of the pack, in the order docs/policy-pack.md lists them. */
export const POLICIES: readonly PolicyDefinition[] = [
    ...S3_POLICIES,
    ...KMS_POLICIES,
    ...DYNAMODB_POLICIES,
    ...SQS_POLICIES,
    ...LAMBDA_POLICIES,
    ...RDS_POLICIES,
    ...OPENSEARCH_POLICIES,
    ...EKS_POLICIES,
    ...NETWORK_POLICIES,
    ...ELB_POLICIES,
    ...CLOUDFRONT_WAF_POLICIES,
    ...IAM_POLICIES,
    ...ORGANIZATIONS_POLICIES,
    ...TAGGING_POLICIES,
    ...ENVIRONMENT_POLICIES,
];

export function policyNamed(name: string): PolicyDefinition {
    const found = POLICIES.find((p) => p.meta.name === name);
    if (!found) {
        throw new Error(`No policy named ${name}; known: ${POLICIES.map((p) => p.meta.name).join(", ")}`);
    }
    return found;
}

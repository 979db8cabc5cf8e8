import type { PolicyDefinition } from "../lib/definition";
import { AUDIT_POLICIES } from "./audit";
import { CLOUDFRONT_WAF_POLICIES } from "./cloudfront-waf";
import { DYNAMODB_POLICIES } from "./dynamodb";
import { ECR_POLICIES } from "./ecr";
import { EKS_POLICIES } from "./eks";
import { ELB_POLICIES } from "./elb";
import { ENVIRONMENT_POLICIES } from "./environment";
import { IAM_POLICIES } from "./iam";
import { KMS_POLICIES } from "./kms";
import { LOGGING_POLICIES } from "./logging";
import { LAMBDA_POLICIES } from "./lambda";
import { NETWORK_POLICIES } from "./network";
import { OPENSEARCH_POLICIES } from "./opensearch";
import { ORGANIZATIONS_POLICIES } from "./organizations";
import { RDS_POLICIES } from "./rds";
import { RESOURCE_ACCESS_POLICIES } from "./resource-access";
import { S3_POLICIES } from "./s3";
import { SQS_POLICIES } from "./sqs";
import { TAGGING_POLICIES } from "./tagging";
import { VERSIONS_POLICIES } from "./versions";

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
    ...RESOURCE_ACCESS_POLICIES,
    ...LOGGING_POLICIES,
    ...AUDIT_POLICIES,
    ...ECR_POLICIES,
    ...VERSIONS_POLICIES,
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

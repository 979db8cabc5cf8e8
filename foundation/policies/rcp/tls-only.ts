import { policyDocument, StaticPolicyDocument } from "../document";

/** The services whose resources hold payment data or the credentials to reach it. */
export const TLS_ONLY_SERVICES = ["s3", "sqs", "kms", "secretsmanager", "dynamodb", "ecr", "sts", "logs"];

/** No request to these services travels in clear text, whoever sends it. */
export function tlsOnlyPolicy(): StaticPolicyDocument {
    return policyDocument({
        Sid: "EnforceSecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: TLS_ONLY_SERVICES.map((service) => `${service}:*`),
        Resource: "*",
        Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
    });
}

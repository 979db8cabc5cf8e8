import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { S3ServiceException } from "@aws-sdk/client-s3";
import { SESv2ServiceException } from "@aws-sdk/client-sesv2";
import { expect } from "chai";
import { classify, FailureClass, Service } from "../../../workloads/worker/errors";

const aws = (Exception: typeof SESv2ServiceException, name: string, httpStatusCode: number) =>
    new Exception({ name, $fault: httpStatusCode >= 500 ? "server" : "client", message: name, $metadata: { httpStatusCode } });

describe("worker failure taxonomy", () => {
    const cases: Array<[string, Service, unknown, FailureClass]> = [
        ["SES throttling (429)", "ses", aws(SESv2ServiceException, "TooManyRequestsException", 429), "transient"],
        ["SES 5xx", "ses", aws(SESv2ServiceException, "InternalFailure", 500), "transient"],
        ["SES refusing an address (400 MessageRejected)", "ses", aws(SESv2ServiceException, "MessageRejected", 400), "poison"],
        ["SES sending paused for the account", "ses", aws(SESv2ServiceException, "SendingPausedException", 400), "configuration"],
        ["SES denying the role (403)", "ses", aws(SESv2ServiceException, "AccessDeniedException", 403), "configuration"],
        ["DynamoDB throttling", "dynamodb", aws(DynamoDBServiceException, "ProvisionedThroughputExceededException", 400), "transient"],
        ["a missing DynamoDB table", "dynamodb", aws(DynamoDBServiceException, "ResourceNotFoundException", 400), "configuration"],
        [
            "a DynamoDB condition the worker did not expect",
            "dynamodb",
            aws(DynamoDBServiceException, "ConditionalCheckFailedException", 400),
            "configuration",
        ],
        ["a payload object that is gone", "s3", aws(S3ServiceException, "NoSuchKey", 404), "poison"],
        ["S3 slowing down", "s3", aws(S3ServiceException, "SlowDown", 503), "transient"],
        ["S3 denying the role", "s3", aws(S3ServiceException, "AccessDenied", 403), "configuration"],
        ["PostgreSQL invalid byte sequence / NUL (22021)", "postgres", { code: "22021" }, "poison"],
        ["PostgreSQL check violation (23514)", "postgres", { code: "23514" }, "poison"],
        ["PostgreSQL missing database (3D000)", "postgres", { code: "3D000" }, "configuration"],
        ["PostgreSQL authentication failure (28000, 28P01)", "postgres", { code: "28P01" }, "configuration"],
        ["PostgreSQL missing privilege (42501)", "postgres", { code: "42501" }, "configuration"],
        ["PostgreSQL missing table (42P01)", "postgres", { code: "42P01" }, "configuration"],
        ["PostgreSQL serialization failure (40001)", "postgres", { code: "40001" }, "transient"],
        ["PostgreSQL admin shutdown (57P01)", "postgres", { code: "57P01" }, "transient"],
        ["PostgreSQL too many connections (53300)", "postgres", { code: "53300" }, "transient"],
        ["a reset connection", "postgres", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "transient"],
        ["OpenSearch 429", "opensearch", { meta: { statusCode: 429 } }, "transient"],
        ["OpenSearch 503", "opensearch", { meta: { statusCode: 503 } }, "transient"],
        ["OpenSearch 403 (no role mapping)", "opensearch", { meta: { statusCode: 403 } }, "configuration"],
        [
            "OpenSearch 400 (mapping conflict)",
            "opensearch",
            { meta: { statusCode: 400, body: { error: { type: "mapper_parsing_exception" } } } },
            "poison",
        ],
        ["OpenSearch unreachable", "opensearch", Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" }), "transient"],
    ];
    for (const [what, service, error, expected] of cases) {
        it(`${what} is ${expected}`, () => {
            expect(classify(error, service).failureClass).to.equal(expected);
        });
    }

    it("names the reason after the service's own code", () => {
        expect(classify({ code: "42501" }, "postgres").reason).to.equal("sqlstate-42501");
        expect(classify(aws(SESv2ServiceException, "MessageRejected", 400), "ses").reason).to.equal("ses-MessageRejected");
        expect(
            classify({ meta: { statusCode: 400, body: { error: { type: "mapper_parsing_exception" } } } }, "opensearch").reason,
        ).to.equal("opensearch-mapper_parsing_exception");
    });
});

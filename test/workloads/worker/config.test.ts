import { expect } from "chai";
import { readWorkerConfig, WorkerConfigError } from "../../../workloads/worker/config";
import { WORKER_ENVIRONMENT_VARIABLES } from "../../../workloads/worker/contract";

describe("worker configuration", () => {
    const env = {
        TABLE_NAME: "prod-payments",
        DB_HOST: "prod-postgres.abc.us-east-1.rds.amazonaws.com",
        DB_PORT: "5432",
        DB_NAME: "payments",
        DB_USER: "payments_worker",
        OPENSEARCH_ENDPOINT: "https://vpc-prod-search.us-east-1.es.amazonaws.com",
        OPENSEARCH_INDEX_PREFIX: "prod",
        SES_FROM_ADDRESS: "receipts@payments.example.com",
        SES_CONFIGURATION_SET: "prod-payments",
        DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/222222222222/prod-payments-processing-dlq",
        ALARM_TOPIC_ARN: "arn:aws:sns:us-east-1:222222222222:prod-payments-alarms",
        AWS_REGION: "us-east-1",
    };

    it("reads every variable into a typed configuration", () => {
        expect(readWorkerConfig(env)).to.deep.equal({
            region: "us-east-1",
            tableName: "prod-payments",
            database: { host: env.DB_HOST, port: 5432, name: "payments", user: "payments_worker" },
            openSearch: { endpoint: env.OPENSEARCH_ENDPOINT, indexPrefix: "prod" },
            email: { fromAddress: env.SES_FROM_ADDRESS, configurationSet: "prod-payments" },
            deadLetterQueueUrl: env.DEAD_LETTER_QUEUE_URL,
            alarmTopicArn: env.ALARM_TOPIC_ARN,
        });
    });

    it("names every missing or malformed variable at once", () => {
        try {
            readWorkerConfig({ DB_PORT: "postgres", OPENSEARCH_ENDPOINT: "http://plain", OPENSEARCH_INDEX_PREFIX: "PR_42" });
            expect.fail("expected a WorkerConfigError");
        } catch (error) {
            expect(error).to.be.instanceOf(WorkerConfigError);
            const problems = (error as WorkerConfigError).problems.join("\n");
            for (const name of WORKER_ENVIRONMENT_VARIABLES.filter((n) => !n.startsWith("OPENSEARCH") && n !== "DB_PORT")) {
                expect(problems).to.contain(`${name} is not set`);
            }
            expect(problems)
                .to.contain("AWS_REGION is not set")
                .and.contain("DB_PORT")
                .and.contain("https://")
                .and.contain("OPENSEARCH_INDEX_PREFIX");
        }
    });
});

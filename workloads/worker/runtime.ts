import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { readWorkerConfig } from "./config";
import { PaymentLedger } from "./ledger";
import { OpenSearchIndexer, openSearchClient } from "./opensearch";
import { SnsAlarms, SqsDeadLetters } from "./notify";
import { jsonLogger } from "./ports";
import { iamConnection, PostgresDatabase } from "./postgres";
import { WorkerDependencies } from "./processor";

/**
 * The real wiring, built on the first invocation of an instance and reused by the next ones
 * (clients keep their connections warm across invocations).
 */
export function createRuntimeDependencies(env: NodeJS.ProcessEnv = process.env): WorkerDependencies {
    const config = readWorkerConfig(env);
    const region = config.region;
    const postgres = new PostgresDatabase(iamConnection(config.database, region));
    return {
        s3: new S3Client({ region }),
        ses: new SESv2Client({ region }),
        ledger: new PaymentLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region })), config.tableName),
        // The schema and grants are the provisioner's (a migration identity): the worker only connects.
        database: async () => postgres,
        indexer: new OpenSearchIndexer(openSearchClient(config.openSearch.endpoint, region)),
        deadLetters: new SqsDeadLetters(new SQSClient({ region }), config.deadLetterQueueUrl),
        alarms: new SnsAlarms(new SNSClient({ region }), config.alarmTopicArn),
        config,
        logger: jsonLogger,
        now: Date.now,
    };
}

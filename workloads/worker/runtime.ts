import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { readWorkerConfig } from "./config";
import { PaymentLedger } from "./ledger";
import { OpenSearchIndexer, openSearchClient } from "./opensearch";
import { Database, jsonLogger } from "./ports";
import { PostgresDatabase } from "./postgres";
import { WorkerDependencies } from "./processor";
import { migrate } from "./schema";

/** Runs `create` once; a failed attempt is forgotten so the next invocation tries again. */
export function once<T>(create: () => Promise<T>): () => Promise<T> {
    let pending: Promise<T> | undefined;
    return () => {
        pending ??= create().catch((error: unknown) => {
            pending = undefined;
            throw error;
        });
        return pending;
    };
}

/**
 * The real wiring, built on the first invocation of an instance and reused by the next ones
 * (clients keep their connections warm across invocations).
 */
export function createRuntimeDependencies(env: NodeJS.ProcessEnv = process.env): WorkerDependencies {
    const config = readWorkerConfig(env);
    const region = config.region;
    const postgres = new PostgresDatabase(config.database, region);
    return {
        s3: new S3Client({ region }),
        ses: new SESv2Client({ region }),
        ledger: new PaymentLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region })), config.tableName),
        database: once(async (): Promise<Database> => {
            const applied = await migrate(postgres);
            if (applied.length > 0) {
                jsonLogger.info("schema migrated", { versions: applied });
            }
            return postgres;
        }),
        indexer: new OpenSearchIndexer(openSearchClient(config.openSearch.endpoint, region)),
        config,
        logger: jsonLogger,
        now: Date.now,
    };
}

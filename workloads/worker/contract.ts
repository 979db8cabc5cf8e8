import { Environment } from "../../lib/environments";
import { physicalName } from "../../lib/naming";

/**
 * What the worker and the infrastructure that deploys it must agree on. This module imports
 * nothing from the AWS SDK or Pulumi, so both the Lambda bundle and the workloads layer use it.
 */

/** The Lambda handler inside the bundle built by `bundleWorker()`. */
export const WORKER_HANDLER = "index.handler";
export const WORKER_RUNTIME = "nodejs22.x";
export const WORKER_ARCHITECTURE = "arm64";

/** Environment variables the worker reads at cold start; the function must set every one. */
export const WORKER_ENVIRONMENT_VARIABLES = [
    "TABLE_NAME",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "OPENSEARCH_ENDPOINT",
    "OPENSEARCH_INDEX_PREFIX",
    "SES_FROM_ADDRESS",
    "SES_CONFIGURATION_SET",
    "DEAD_LETTER_QUEUE_URL",
    "ALARM_TOPIC_ARN",
] as const;
export type WorkerEnvironmentVariable = (typeof WORKER_ENVIRONMENT_VARIABLES)[number];

/**
 * Set these on the function too: Node.js 20+ Lambda runtimes no longer trust the RDS CA bundle
 * unless told to, and the worker verifies the PostgreSQL certificate; source maps make stack traces
 * in the logs point at the TypeScript.
 */
export const WORKER_RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
    NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
    NODE_OPTIONS: "--enable-source-maps",
};

/** The payments table's partition key (a UUID string) and the status attribute the worker moves. */
export const PAYMENTS_TABLE_KEY = "paymentId";
export const PAYMENT_STATUS_ATTRIBUTE = "status";
export const PaymentStatus = { Processing: "processing", Complete: "complete" } as const;

/**
 * The API archives each raw payload as `payments/<yyyy>/<mm>/<dd>/<paymentId>.json` (any prefix
 * works): the worker reads the payment id from the object's file name. Use this as the bucket
 * notification's filter suffix.
 */
export const PAYLOAD_OBJECT_SUFFIX = ".json";

/** The OpenSearch index the worker writes, from the per-environment (or per-PR) prefix. */
export function transactionIndexName(prefix: string): string {
    return `${prefix.replace(/-+$/, "")}-transactions`;
}

/** The processing queue and its dead-letter queue, named once for the pipeline and the replay command. */
export function processingQueueNames(env: Environment | string): { queue: string; deadLetterQueue: string } {
    return {
        queue: physicalName(env, "payments-processing", { kind: "sqsQueue" }),
        deadLetterQueue: physicalName(env, "payments-processing", { suffix: "dlq", kind: "sqsQueue" }),
    };
}

import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { handleBatch, InvocationContext, WorkerDependencies } from "./processor";
import { createRuntimeDependencies } from "./runtime";

let dependencies: WorkerDependencies | undefined;

/**
 * The Lambda entry point (`index.handler`) for the SQS event source with ReportBatchItemFailures.
 * Wiring is built on first use, not at import, so a configuration error fails the invocation
 * (the batch is retried) with a message naming every missing variable.
 */
export async function handler(event: SQSEvent, context: InvocationContext): Promise<SQSBatchResponse> {
    dependencies ??= createRuntimeDependencies();
    return handleBatch(event, context, dependencies);
}

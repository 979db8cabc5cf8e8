/**
 * What each workloads/<env> (and pr-<n>) stack exports: for operators, the replay command
 * (automation/replay), CI and the PR driver (which reads `publicHostname`). No stack references
 * workloads, so there is no key list for lib/stack-reference.ts.
 */
export interface WorkloadsOutputs {
    environment: string;
    /** Set in a pr-<n> stack only. */
    pullRequest: number | null;
    namespace: string;
    paymentsTableName: string;
    paymentsTableArn: string;
    rawPayloadBucket: string;
    rawPayloadBucketArn: string;
    /** `<env>-payments-processing`. */
    processingQueueUrl: string;
    processingQueueArn: string;
    /** `<env>-payments-processing-dlq`: what `npm run replay` moves back to the processing queue. */
    deadLetterQueueUrl: string;
    deadLetterQueueArn: string;
    workerFunctionName: string;
    workerRoleArn: string;
    apiRoleArn: string;
    adminRoleArn: string;
    postgresEndpoint: string;
    databaseName: string;
    opensearchEndpoint: string;
    opensearchIndexPrefix: string;
    sesIdentityArn: string;
    sesConfigurationSet: string;
    /** Public host of payments-web / payments-api. */
    publicHostname: string;
    /** Argo CD Application names in the hub, by service. */
    argocdApplications: Record<string, string>;
}

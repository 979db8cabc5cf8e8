import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { workerRoleName } from "./tenancy";
import { arnParts } from "../lib/arn";
import { RAW_PAYLOAD_PREFIX } from "./ingest";
import { serviceTrustDocument, vpcFunctionUnscopedStatement } from "../lib/aws";
import { WorkerEnvironmentVariable, transactionIndexName } from "./worker/contract";
import { bundleWorker, LAMBDA_ARCHITECTURE, LAMBDA_HANDLER, LAMBDA_RUNTIME, LAMBDA_RUNTIME_ENVIRONMENT } from "../lib/lambda-bundle";

export interface WorkerDatabase {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    name: pulumi.Input<string>;
    user: string;
    /** For the region, account and partition of the `rds-db:connect` ARN. */
    instanceArn: pulumi.Input<string>;
    resourceId: pulumi.Input<string>;
}

export interface WorkerSearch {
    /** Host name of the domain's VPC endpoint (no scheme). */
    endpoint: pulumi.Input<string>;
    domainArn: pulumi.Input<string>;
    indexPrefix: string;
}

export interface WorkerEmail {
    fromAddress: pulumi.Input<string>;
    identityArn: pulumi.Input<string>;
    configurationSetName: pulumi.Input<string>;
    configurationSetArn: pulumi.Input<string>;
}

export interface WorkerFunctionArgs {
    env: Environment;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupId: pulumi.Input<string>;
    timeoutSeconds: number;
    memoryMb: number;
    reservedConcurrency: number;
    batchSize: number;
    batchingWindowSeconds: number;
    queueArn: pulumi.Input<string>;
    /** Poison goes straight here, with its reason as message attributes. */
    deadLetterQueue: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
    /** Configuration errors and conflicting payloads page through this topic (encrypted with `keyArn`). */
    alarmTopic: { arn: pulumi.Input<string>; keyArn: pulumi.Input<string> };
    tableName: pulumi.Input<string>;
    tableArn: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    /** The key of the table and the bucket. */
    dataKeyArn: pulumi.Input<string>;
    database: WorkerDatabase;
    search: WorkerSearch;
    email: WorkerEmail;
    logRetentionDays: number;
    /**
     * The account's logs key (platform's), whose policy admits CloudWatch Logs: events carry payment
     * ids. None for a PR: its deployment role is denied every key of another environment, and
     * CloudWatch Logs may call KMS on the caller's behalf (kms:ViaService) when a key is associated.
     */
    logsKeyArn?: pulumi.Input<string>;
    /** pr-<n>: the boundary every role it creates must carry. */
    permissionsBoundary?: string;
    /** What must exist before messages flow: the database, grants and search role mapping. */
    provisioning?: pulumi.Resource[];
}

/**
 * The background worker: Node.js on arm64 in the private subnets, triggered by the processing
 * queue in batches with partial batch responses, traced with X-Ray, capped by reserved
 * concurrency, with a role that names every ARN it touches.
 */
export class WorkerFunction extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly function: aws.lambda.Function;
    readonly eventSourceMapping: aws.lambda.EventSourceMapping;

    constructor(name: string, args: WorkerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:WorkerFunction", name, {}, opts);
        const namer = new Namer(args.env);
        const functionName = namer.name("payments-worker", { kind: "lambdaFunction" });
        const roleName = workerRoleName(args.env);

        const logGroup = new aws.cloudwatch.LogGroup(
            functionName,
            { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            { parent: this },
        );

        this.role = new aws.iam.Role(
            roleName,
            {
                name: roleName,
                description: `Payments worker Lambda (${args.env})`,
                assumeRolePolicy: JSON.stringify(serviceTrustDocument("lambda.amazonaws.com")),
                permissionsBoundary: args.permissionsBoundary,
            },
            { parent: this },
        );

        const indexName = transactionIndexName(args.search.indexPrefix);
        const policy = new aws.iam.RolePolicy(
            roleName,
            {
                role: this.role.name,
                policy: pulumi
                    .all([
                        args.queueArn,
                        args.deadLetterQueue.arn,
                        args.alarmTopic.arn,
                        args.alarmTopic.keyArn,
                        args.tableArn,
                        args.bucketArn,
                        args.dataKeyArn,
                        args.database.instanceArn,
                        args.database.resourceId,
                        args.search.domainArn,
                        args.email.identityArn,
                        args.email.configurationSetArn,
                        logGroup.arn,
                    ])
                    .apply(
                        ([
                            queueArn,
                            deadLetterQueueArn,
                            alarmTopicArn,
                            alarmKeyArn,
                            tableArn,
                            bucketArn,
                            dataKeyArn,
                            instanceArn,
                            resourceId,
                            domainArn,
                            identityArn,
                            configurationSetArn,
                            logGroupArn,
                        ]) => {
                            const db = arnParts(instanceArn);
                            return JSON.stringify({
                                Version: "2012-10-17",
                                Statement: [
                                    {
                                        Sid: "ConsumeProcessingQueue",
                                        Effect: "Allow",
                                        Action: [
                                            "sqs:ReceiveMessage",
                                            "sqs:DeleteMessage",
                                            "sqs:ChangeMessageVisibility",
                                            "sqs:GetQueueAttributes",
                                        ],
                                        Resource: queueArn,
                                    },
                                    { Sid: "DeadLetterPoison", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
                                    { Sid: "PageOnCall", Effect: "Allow", Action: "sns:Publish", Resource: alarmTopicArn },
                                    {
                                        Sid: "EncryptPages",
                                        Effect: "Allow",
                                        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                                        Resource: alarmKeyArn,
                                    },
                                    {
                                        Sid: "ReadRawPayloads",
                                        Effect: "Allow",
                                        Action: ["s3:GetObject", "s3:GetObjectVersion"],
                                        Resource: `${bucketArn}/${RAW_PAYLOAD_PREFIX}*`,
                                    },
                                    {
                                        Sid: "CompletePayments",
                                        Effect: "Allow",
                                        Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                                        Resource: tableArn,
                                    },
                                    {
                                        Sid: "UseDataKey",
                                        Effect: "Allow",
                                        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                                        Resource: dataKeyArn,
                                    },
                                    {
                                        Sid: "ConnectToPostgresAsWorker",
                                        Effect: "Allow",
                                        Action: "rds-db:connect",
                                        Resource: `arn:${db.partition}:rds-db:${db.region}:${db.account}:dbuser:${resourceId}/${args.database.user}`,
                                    },
                                    {
                                        Sid: "IndexTransactions",
                                        Effect: "Allow",
                                        Action: ["es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"],
                                        Resource: [`${domainArn}/${indexName}`, `${domainArn}/${indexName}/*`],
                                    },
                                    {
                                        Sid: "SendReceipts",
                                        Effect: "Allow",
                                        Action: "ses:SendEmail",
                                        Resource: [identityArn, configurationSetArn],
                                    },
                                    {
                                        Sid: "WriteOwnLogs",
                                        Effect: "Allow",
                                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                        Resource: `${logGroupArn}:*`,
                                    },
                                    vpcFunctionUnscopedStatement(),
                                ],
                            } satisfies aws.iam.PolicyDocument);
                        },
                    ),
            },
            { parent: this },
        );

        const variables: Record<WorkerEnvironmentVariable, pulumi.Input<string>> = {
            TABLE_NAME: args.tableName,
            DB_HOST: args.database.host,
            DB_PORT: pulumi.output(args.database.port).apply(String),
            DB_NAME: args.database.name,
            DB_USER: args.database.user,
            OPENSEARCH_ENDPOINT: pulumi.interpolate`https://${args.search.endpoint}`,
            OPENSEARCH_INDEX_PREFIX: args.search.indexPrefix,
            SES_FROM_ADDRESS: args.email.fromAddress,
            SES_CONFIGURATION_SET: args.email.configurationSetName,
            DEAD_LETTER_QUEUE_URL: args.deadLetterQueue.url,
            ALARM_TOPIC_ARN: args.alarmTopic.arn,
        };

        this.function = new aws.lambda.Function(
            functionName,
            {
                name: functionName,
                description: `Completes submitted payments (${args.env}): DynamoDB, PostgreSQL, OpenSearch, SES receipt`,
                role: this.role.arn,
                runtime: LAMBDA_RUNTIME,
                architectures: [LAMBDA_ARCHITECTURE],
                handler: LAMBDA_HANDLER,
                code: bundleWorker(),
                timeout: args.timeoutSeconds,
                memorySize: args.memoryMb,
                reservedConcurrentExecutions: args.reservedConcurrency,
                tracingConfig: { mode: "Active" },
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                // Moves the function's ENIs to the VPC's default group (which has no rules) before
                // delete, so the worker's own group goes at once instead of after ~20 minutes of
                // ENI release: the difference between a PR teardown of 2 and of 21 minutes.
                replaceSecurityGroupsOnDestroy: true,
                environment: { variables: { ...LAMBDA_RUNTIME_ENVIRONMENT, ...variables } },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            },
            // Creating the function validates the VPC permissions, so the policy must be in place.
            { parent: this, dependsOn: [policy] },
        );

        this.eventSourceMapping = new aws.lambda.EventSourceMapping(
            functionName,
            {
                eventSourceArn: args.queueArn,
                functionName: this.function.arn,
                batchSize: args.batchSize,
                maximumBatchingWindowInSeconds: args.batchingWindowSeconds,
                // Only the failed messages of a batch return to the queue; the rest are deleted.
                functionResponseTypes: ["ReportBatchItemFailures"],
                // No more pollers than reserved instances: a throttled batch would count as a receive
                // and push healthy messages towards the DLQ.
                scalingConfig: { maximumConcurrency: args.reservedConcurrency },
            },
            { parent: this, dependsOn: [policy, ...(args.provisioning ?? [])] },
        );

        this.registerOutputs({ functionName: this.function.name, roleArn: this.role.arn });
    }
}

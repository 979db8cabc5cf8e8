import { expect } from "chai";
import { arnParts } from "../../lib/arn";
import { DLQ_RETENTION_SECONDS, VISIBILITY_TIMEOUT_FACTOR } from "../../workloads/processing-queue";
import { UNSCOPED_STATEMENT_SID } from "../../lib/aws";
import { WORKER_ENVIRONMENT_VARIABLES } from "../../workloads/worker/contract";
import { Inventory } from "../harness";
import { asList, platformOf, policyOf, workloadsOf } from "./fixture";

const QUEUE = "aws:sqs/queue:Queue";
const FUNCTION = "aws:lambda/function:Function";

for (const env of ["prod", "pr-42"]) {
    describe(`workloads pipeline (${env})`, function () {
        let stack: Inventory;
        let platform: Inventory;
        const queue = () => stack.one(QUEUE, `${env}-payments-processing`);
        const dlq = () => stack.one(QUEUE, `${env}-payments-processing-dlq`);
        // A queue's ARN as every consumer received it: the one the stack exports.
        const arnOf = (q: { name: string }): string =>
            String(q.name.endsWith("-dlq") ? stack.outputs.deadLetterQueueArn : stack.outputs.processingQueueArn);

        before(async () => {
            stack = await workloadsOf(env);
            platform = await platformOf(env);
        });

        it("names the queues <env>-payments-processing and <env>-payments-processing-dlq", () => {
            expect(stack.input(queue(), "name")).to.equal(`${env}-payments-processing`);
            expect(stack.input(dlq(), "name")).to.equal(`${env}-payments-processing-dlq`);
        });

        it("sends every new raw payload object to the processing queue, and nothing else", () => {
            const notification = stack.one("aws:s3/bucketNotification:BucketNotification");
            expect(stack.input(notification, "bucket")).to.equal(stack.outputs.rawPayloadBucket);
            const queues = stack.input<Record<string, unknown>[]>(notification, "queues");
            expect(queues).to.have.length(1);
            expect(queues[0]).to.include({ queueArn: arnOf(queue()), filterPrefix: "payments/", filterSuffix: ".json" });
            expect(queues[0].events).to.deep.equal(["s3:ObjectCreated:*"]);
            expect(stack.input(notification, "lambdaFunctions")).to.equal(undefined);
        });

        it("lets only that bucket, in this account, publish to the queue", () => {
            const policy = policyOf(stack, stack.one("aws:sqs/queuePolicy:QueuePolicy"), "policy");
            expect(policy.Statement).to.have.length(1);
            const [statement] = policy.Statement;
            expect(statement).to.deep.include({
                Effect: "Allow",
                Principal: { Service: "s3.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: arnOf(queue()),
            });
            expect(statement.Condition?.ArnEquals).to.deep.equal({ "aws:SourceArn": stack.outputs.rawPayloadBucketArn });
            // The account the queue (and so the bucket, through the same provider) lives in.
            expect(statement.Condition?.StringEquals).to.deep.equal({ "aws:SourceAccount": arnParts(arnOf(queue())).account });
        });

        it("dead-letters a message after the configured receives, and the DLQ accepts only this queue", () => {
            const redrive = JSON.parse(stack.input<string>(queue(), "redrivePolicy"));
            expect(redrive).to.deep.equal({ deadLetterTargetArn: arnOf(dlq()), maxReceiveCount: env === "prod" ? 5 : 3 });
            const allow = JSON.parse(stack.input<string>(stack.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"), "redriveAllowPolicy"));
            expect(allow).to.deep.equal({ redrivePermission: "byQueue", sourceQueueArns: [arnOf(queue())] });
            expect(stack.input(stack.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"), "queueUrl")).to.equal(
                stack.outputs.deadLetterQueueUrl,
            );
            expect(stack.input(dlq(), "messageRetentionSeconds")).to.equal(DLQ_RETENTION_SECONDS).and.equal(1209600);
        });

        it("encrypts both queues, long-polls, and keeps messages invisible for 6x the worker's timeout", () => {
            const worker = stack.one(FUNCTION, `${env}-payments-worker`);
            const timeout = stack.input<number>(worker, "timeout");
            const window = stack.input<number>(
                stack.one("aws:lambda/eventSourceMapping:EventSourceMapping"),
                "maximumBatchingWindowInSeconds",
            );
            expect(stack.input<number>(queue(), "visibilityTimeoutSeconds"))
                .to.equal(VISIBILITY_TIMEOUT_FACTOR * timeout + window)
                .and.be.at.least(6 * timeout);
            expect(stack.input(queue(), "receiveWaitTimeSeconds")).to.equal(20);
            for (const q of [queue(), dlq()]) {
                expect(stack.input(q, "sqsManagedSseEnabled"), q.name).to.equal(true);
            }
        });

        it("alarms as soon as the DLQ holds a message", () => {
            const alarm = stack.one("aws:cloudwatch/metricAlarm:MetricAlarm");
            expect(stack.input(alarm, "namespace")).to.equal("AWS/SQS");
            expect(stack.input(alarm, "metricName")).to.equal("ApproximateNumberOfMessagesVisible");
            expect(stack.input(alarm, "dimensions")).to.deep.equal({ QueueName: `${env}-payments-processing-dlq` });
            expect(stack.input(alarm, "threshold")).to.equal(1);
            expect(stack.input(alarm, "comparisonOperator")).to.equal("GreaterThanOrEqualToThreshold");
        });

        it("feeds the worker from the queue in batches with partial batch responses", () => {
            const mapping = stack.one("aws:lambda/eventSourceMapping:EventSourceMapping");
            const worker = stack.one(FUNCTION, `${env}-payments-worker`);
            expect(stack.input(mapping, "eventSourceArn")).to.equal(arnOf(queue()));
            expect(stack.input(mapping, "functionName"))
                .to.be.a("string")
                .and.match(new RegExp(`:function:${stack.input(worker, "name")}$`));
            expect(stack.input(mapping, "functionResponseTypes")).to.deep.equal(["ReportBatchItemFailures"]);
            expect(stack.input(mapping, "batchSize")).to.equal(10);
            expect(stack.input<number>(mapping, "scalingConfig.maximumConcurrency")).to.be.at.most(
                stack.input<number>(worker, "reservedConcurrentExecutions"),
            );
        });

        it("runs the worker on Node.js 22, arm64, in the private subnets, traced, with reserved concurrency", () => {
            const worker = stack.one(FUNCTION, `${env}-payments-worker`);
            expect(stack.input(worker, "runtime")).to.equal("nodejs22.x");
            expect(stack.input(worker, "architectures")).to.deep.equal(["arm64"]);
            expect(stack.input(worker, "handler")).to.equal("index.handler");
            expect(stack.input(worker, "tracingConfig.mode")).to.equal("Active");
            expect(stack.input<number>(worker, "reservedConcurrentExecutions")).to.be.at.least(2);
            expect(stack.input(worker, "vpcConfig.subnetIds")).to.deep.equal(platform.outputs.privateSubnetIds);
            const variables = stack.input<Record<string, string>>(worker, "environment.variables");
            for (const name of WORKER_ENVIRONMENT_VARIABLES) {
                expect(variables[name], name).to.be.a("string").and.not.equal("");
            }
            expect(variables.TABLE_NAME).to.equal(stack.outputs.paymentsTableName);
            expect(variables.OPENSEARCH_ENDPOINT).to.match(/^https:\/\/vpc-/);
        });

        it("gives the worker a role that names every ARN it touches", () => {
            const role = stack.one("aws:iam/role:Role", `${env}-payments-worker`);
            const policy = policyOf(stack, stack.one("aws:iam/rolePolicy:RolePolicy", `${env}-payments-worker`), "policy");
            expect(stack.input(stack.one("aws:iam/rolePolicy:RolePolicy", `${env}-payments-worker`), "role")).to.equal(
                stack.input(role, "name"),
            );
            const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
            const shared = (platform.outputs.sharedData ?? null) as Record<string, string> | null;

            expect(bySid.ConsumeProcessingQueue.Resource).to.equal(stack.outputs.processingQueueArn);
            expect(bySid.ReadRawPayloads).to.deep.include({
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: `${stack.outputs.rawPayloadBucketArn}/payments/*`,
            });
            expect(bySid.CompletePayments).to.deep.include({
                Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                Resource: stack.outputs.paymentsTableArn,
            });
            expect(bySid.UseDataKey.Resource).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
            expect(bySid.ConnectToPostgresAsWorker.Resource).to.match(
                new RegExp(
                    String.raw`^arn:aws:rds-db:us-east-1:\d{12}:dbuser:db-[A-Z0-9]+\/${env === "pr-42" ? "payments_pr_42" : "payments_worker"}$`,
                ),
            );
            const domainArn =
                shared?.opensearchDomainArn ??
                `arn:aws:es:us-east-1:${arnParts(String(stack.outputs.paymentsTableArn)).account}:domain/${env}-search`;
            expect(asList(bySid.IndexTransactions.Resource)).to.deep.equal([
                `${domainArn}/payments-${env}-transactions`,
                `${domainArn}/payments-${env}-transactions/*`,
            ]);
            if (shared !== null) {
                expect(bySid.ConnectToPostgresAsWorker.Resource).to.contain(`dbuser:${shared.postgresResourceId}/`);
            }
            expect(asList(bySid.SendReceipts.Resource)).to.have.length(2);
            expect(asList(bySid.SendReceipts.Resource)[0]).to.match(/^arn:aws:ses:us-east-1:\d{12}:identity\/[a-z.]+$/);
            expect(asList(bySid.SendReceipts.Resource)[1]).to.match(
                /^arn:aws:ses:us-east-1:\d{12}:configuration-set\/(test|prod)-payments-receipts$/,
            );
            expect(bySid.WriteOwnLogs.Resource).to.match(new RegExp(`:log-group:/aws/lambda/${env}-payments-worker:\\*$`));

            for (const statement of policy.Statement.filter((s) => s.Sid !== UNSCOPED_STATEMENT_SID)) {
                for (const resource of asList(statement.Resource)) {
                    expect(resource, statement.Sid).to.match(/^arn:aws:/);
                    expect(resource.split(":").slice(0, 5).join(":"), `${statement.Sid} scopes account and region`).to.not.contain("*");
                }
                for (const action of asList(statement.Action)) {
                    expect(action, statement.Sid).to.not.contain("*");
                }
            }
            const unscoped = bySid[UNSCOPED_STATEMENT_SID];
            expect(
                asList(unscoped.Action).every((a) => /^(ec2:(Create|Describe|Delete|Assign|Unassign)[A-Za-z]+|xray:Put[A-Za-z]+)$/.test(a)),
                String(unscoped.Action),
            ).to.equal(true);
        });
    });
}

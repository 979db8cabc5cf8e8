import {
    GetQueueAttributesCommand,
    GetQueueUrlCommand,
    ListMessageMoveTasksCommand,
    QueueDoesNotExist,
    SQSClient,
    StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import * as net from "net";
import { replayClient, runReplay } from "../../automation/replay";

const ACCOUNT = "333333333333";
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;

describe("npm run replay", () => {
    // Mocked for this block only: the block below talks to a real (black-holed) endpoint.
    let sqs: AwsClientStub<SQSClient>;
    before(() => {
        sqs = mockClient(SQSClient);
    });
    let out: string;
    let err: string;
    let sleeps: number[];
    let regions: string[];

    after(() => sqs.restore());
    beforeEach(() => {
        sqs.reset();
        out = "";
        err = "";
        sleeps = [];
        regions = [];
    });

    const replay = (...argv: string[]) =>
        runReplay(
            argv,
            { stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
            {
                sqs: (region) => (regions.push(region), new SQSClient({ region })),
                clock: { pollIntervalMs: 5_000, sleep: async (ms) => void sleeps.push(ms) },
                env: {},
            },
        );

    /** The two queues of `env` as the workloads stack creates them, the DLQ holding `depth` messages. */
    function queues(env: string, depth: number, deadLetterTarget = arn(`${env}-payments-processing-dlq`)) {
        const dlq = `${env}-payments-processing-dlq`;
        const queue = `${env}-payments-processing`;
        sqs.on(GetQueueUrlCommand, { QueueName: dlq }).resolves({ QueueUrl: url(dlq) });
        sqs.on(GetQueueUrlCommand, { QueueName: queue }).resolves({ QueueUrl: url(queue) });
        sqs.on(GetQueueAttributesCommand, { QueueUrl: url(dlq) }).resolves({
            Attributes: { QueueArn: arn(dlq), ApproximateNumberOfMessages: String(depth) },
        });
        sqs.on(GetQueueAttributesCommand, { QueueUrl: url(queue) }).resolves({
            Attributes: {
                QueueArn: arn(queue),
                ApproximateNumberOfMessages: "0",
                RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterTarget, maxReceiveCount: 5 }),
            },
        });
        return { dlqArn: arn(dlq), queueArn: arn(queue) };
    }

    const previousTask = { Status: "COMPLETED", StartedTimestamp: 1_000, ApproximateNumberOfMessagesMoved: 3 };

    it("moves the DLQ back into the processing queue and follows the task to completion", async () => {
        const { dlqArn, queueArn } = queues("prod", 7);
        sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "handle-1" });
        sqs.on(ListMessageMoveTasksCommand)
            .resolvesOnce({ Results: [previousTask] })
            .resolvesOnce({ Results: [previousTask] })
            .resolvesOnce({
                Results: [
                    {
                        TaskHandle: "handle-1",
                        Status: "RUNNING",
                        StartedTimestamp: 2_000,
                        ApproximateNumberOfMessagesMoved: 3,
                        ApproximateNumberOfMessagesToMove: 7,
                    },
                    previousTask,
                ],
            })
            .resolves({
                Results: [
                    {
                        Status: "COMPLETED",
                        StartedTimestamp: 2_000,
                        ApproximateNumberOfMessagesMoved: 7,
                        ApproximateNumberOfMessagesToMove: 7,
                    },
                    previousTask,
                ],
            });

        const code = await replay("--env", "prod", "--max-per-second", "10");

        expect(code, err).to.equal(0);
        expect(sqs.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).to.deep.equal([
            { SourceArn: dlqArn, DestinationArn: queueArn, MaxNumberOfMessagesPerSecond: 10 },
        ]);
        expect(out).to.contain("prod-payments-processing-dlq holds about 7 message(s)");
        expect(out).to.contain("aws sqs cancel-message-move-task --task-handle handle-1");
        expect(out).to.contain("RUNNING: 3 of 7 moved").and.contain("COMPLETED: 7 of 7 moved").and.contain("Done: 7 message(s) moved");
        expect(out).to.not.contain("3 of ?", "the earlier task is not mistaken for this one");
        expect(sleeps).to.deep.equal([5_000, 5_000, 5_000]);
        expect(regions).to.deep.equal(["us-east-1"]);
    });

    it("names a PR environment's queues and uses the requested region", async () => {
        queues("pr-42", 0);
        sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
        expect(await replay("--env", "pr-42", "--region", "eu-west-1")).to.equal(0);
        expect(regions).to.deep.equal(["eu-west-1"]);
        expect(sqs.commandCalls(GetQueueUrlCommand).map((c) => c.args[0].input.QueueName)).to.deep.equal([
            "pr-42-payments-processing-dlq",
            "pr-42-payments-processing",
        ]);
        expect(out).to.contain("Nothing to replay");
        expect(sqs.commandCalls(StartMessageMoveTaskCommand)).to.be.empty;
    });

    it("--dry-run checks both queues and moves nothing", async () => {
        queues("test", 4);
        sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
        expect(await replay("--env", "test", "--dry-run")).to.equal(0);
        expect(out).to.contain("would move about 4 message(s)");
        expect(sqs.commandCalls(StartMessageMoveTaskCommand)).to.be.empty;
    });

    it("fails (exit 1) when the DLQ does not exist, naming the queue and the likely cause", async () => {
        sqs.on(GetQueueUrlCommand).rejects(new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} }));
        expect(await replay("--env", "preprod")).to.equal(1);
        expect(err).to.contain("preprod-payments-processing-dlq does not exist in us-east-1").and.contain("account");
    });

    it("refuses to move messages when the processing queue does not dead-letter into that DLQ", async () => {
        queues("test", 4, arn("something-else"));
        expect(await replay("--env", "test")).to.equal(1);
        expect(err).to.contain("does not dead-letter into test-payments-processing-dlq");
        expect(sqs.commandCalls(StartMessageMoveTaskCommand)).to.be.empty;
    });

    it("refuses to start while another move task runs on the DLQ, and says how to cancel it", async () => {
        queues("prod", 4);
        sqs.on(ListMessageMoveTasksCommand).resolves({
            Results: [{ TaskHandle: "other", Status: "RUNNING", ApproximateNumberOfMessagesMoved: 1 }],
        });
        expect(await replay("--env", "prod")).to.equal(1);
        expect(err).to.contain("already running").and.contain("--task-handle other");
        expect(sqs.commandCalls(StartMessageMoveTaskCommand)).to.be.empty;
    });

    it("exits 1 with SQS's reason when the task fails", async () => {
        queues("prod", 4);
        sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "handle-2" });
        sqs.on(ListMessageMoveTasksCommand)
            .resolvesOnce({ Results: [] })
            .resolves({
                Results: [
                    {
                        Status: "FAILED",
                        StartedTimestamp: 5,
                        ApproximateNumberOfMessagesMoved: 1,
                        FailureReason: "AccessDenied on kms:Decrypt",
                    },
                ],
            });
        expect(await replay("--env", "prod")).to.equal(1);
        expect(err).to.contain("failed: AccessDenied on kms:Decrypt").and.contain("the rest are still in prod-payments-processing-dlq");
    });

    it("exits 1 on an AWS error, naming it, the request, the queue and the endpoint", async () => {
        sqs.on(GetQueueUrlCommand).rejects(
            Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" }),
        );
        expect(await replay("--env", "prod")).to.equal(1);
        expect(err).to.contain("ExpiredToken").and.contain("expired");
        expect(err).to.contain("GetQueueUrl of prod-payments-processing-dlq at https://sqs.us-east-1.amazonaws.com failed");
    });

    it("labels an answer that is not SQS's (a SyntaxError) with the queue and the endpoint to check", async () => {
        queues("prod", 4);
        sqs.on(ListMessageMoveTasksCommand).rejects(new SyntaxError("Unexpected token < in JSON at position 0"));
        expect(await replay("--env", "prod")).to.equal(1);
        expect(err)
            .to.contain("ListMessageMoveTasks of prod-payments-processing-dlq at https://sqs.us-east-1.amazonaws.com failed")
            .and.contain("not an SQS response");
        expect(err).not.to.contain("SyntaxError:");
    });

    it("stops following a task that SQS never lists, after --timeout, saying it goes on in SQS", async () => {
        queues("prod", 4);
        sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "handle-3" });
        sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
        expect(await replay("--env", "prod", "--timeout", "1m")).to.equal(1);
        expect(err).to.contain("after 1 min (--timeout): SQS never listed it").and.contain("aws sqs list-message-move-tasks");
        expect(sleeps).to.have.length(12);
    });

    it("stops following a task that stays RUNNING, after --timeout", async () => {
        queues("prod", 4);
        sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "handle-4" });
        sqs.on(ListMessageMoveTasksCommand)
            .resolvesOnce({ Results: [] })
            .resolves({ Results: [{ TaskHandle: "handle-4", Status: "RUNNING", ApproximateNumberOfMessagesMoved: 2 }] });
        expect(await replay("--env", "prod", "--timeout", "30s")).to.equal(1);
        expect(err).to.contain("it is still RUNNING (2 moved)");
        expect(sleeps).to.have.length(6);
    });

    describe("bad usage exits 2 with every problem and where the usage is, before calling AWS", () => {
        const cases: Array<[string[], string[]]> = [
            [[], ["--env is required"]],
            [["--env", "mgmt"], ['--env "mgmt" is not a workloads environment']],
            [["--env", "prod", "--max-per-second", "0"], ['--max-per-second "0" must be a whole number from 1 to 500']],
            [
                ["--env", "pr-7", "--max-per-second", "501", "--region", "mars"],
                ["from 1 to 500", 'region "mars" is not an AWS region'],
            ],
            [["--env", "prod", "--max-per-second", "2.5"], ["whole number"]],
            [["--env", "prod", "--force"], ['unknown option "--force"']],
            [["--env"], ["--env needs a value"]],
            [["--env", "prod", "--env", "test"], ["--env was given 2 times"]],
            [["--env", "prod", "--dry-run=false"], ["--dry-run takes no value"]],
            [
                ["--env", "prod", "--timeout", "forever", "--request-timeout", "0s"],
                ["--timeout must be a duration like 30s", "--request-timeout must be a duration"],
            ],
        ];
        for (const [argv, messages] of cases) {
            it(`npm run replay -- ${argv.join(" ")}`, async () => {
                expect(await replay(...argv)).to.equal(2);
                for (const message of messages) expect(err).to.contain(message);
                expect(err).to.contain("npm run replay -- --help");
                expect(sqs.calls()).to.be.empty;
            });
        }
    });

    it("--help prints the usage and exits 0", async () => {
        expect(await replay("--help")).to.equal(0);
        expect(out).to.contain("npm run replay -- --env").and.to.contain("--request-timeout").and.to.contain("--timeout");
    });
});

describe("npm run replay against an endpoint that never answers", () => {
    let server: net.Server;
    let endpoint: string;
    const sockets: net.Socket[] = [];

    before(async () => {
        // Accepts connections and reads requests, never answers: a black-holed endpoint.
        server = net.createServer((socket) => void sockets.push(socket.on("data", () => undefined)));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    });
    after(async () => {
        sockets.forEach((s) => s.destroy());
        await new Promise((resolve) => server.close(resolve));
    });

    it("gives up after --request-timeout, naming the request, the queue and the endpoint", async function () {
        this.timeout(30_000);
        let err = "";
        const code = await runReplay(
            ["--env", "test", "--request-timeout", "1s"],
            { stdout: () => undefined, stderr: (t) => void (err += t) },
            {
                sqs: (region, requestTimeoutMs) =>
                    replayClient(region, requestTimeoutMs, {
                        endpoint,
                        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
                    }),
                env: {},
            },
        );
        expect(code).to.equal(1);
        expect(err).to.contain(
            `GetQueueUrl of test-payments-processing-dlq at ${endpoint}/ failed: no answer within 1.0 s (--request-timeout)`,
        );
    });
});

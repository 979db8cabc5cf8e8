import {
    GetQueueAttributesCommand,
    GetQueueUrlCommand,
    ListMessageMoveTasksCommand,
    ListMessageMoveTasksResultEntry,
    QueueDoesNotExist,
    SQSClient,
    StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { OperationalError } from "../../lib/errors";
import { processingQueueNames } from "../../workloads/worker/contract";
import { formatDuration } from "../deadline";
import { ReplayOptions } from "./options";

export interface ReplayIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

export interface ReplayClock {
    /** Between two looks at the task's progress. */
    pollIntervalMs: number;
    sleep(ms: number): Promise<void>;
}

/** The replay cannot go on (a queue is missing, another task runs, the task failed). */
export class ReplayError extends OperationalError {}

/** Where the client sends its requests: the configured endpoint, else SQS's regional one. */
async function endpointOf(sqs: SQSClient, region: string): Promise<string> {
    const configured = await sqs.config.endpoint?.();
    return configured
        ? `${configured.protocol}//${configured.hostname}${configured.port ? `:${configured.port}` : ""}${configured.path}`
        : `https://sqs.${region}.amazonaws.com`;
}

/** One SQS request; a failure names what was asked, of which queue, at which endpoint, and why. */
async function request<T>(
    sqs: SQSClient,
    send: () => Promise<T>,
    what: string,
    options: Pick<ReplayOptions, "region" | "requestTimeoutMs">,
): Promise<T> {
    try {
        return await send();
    } catch (error) {
        if (error instanceof ReplayError || isQueueMissing(error)) {
            throw error;
        }
        const { name, message } = error as Error;
        const why =
            name === "TimeoutError" || name === "RequestTimeout"
                ? `no answer within ${formatDuration(options.requestTimeoutMs)} (--request-timeout)`
                : name === "SyntaxError"
                  ? `the answer is not an SQS response (${message}): check the endpoint (AWS_ENDPOINT_URL)`
                  : `${name}: ${message}`;
        throw new ReplayError(`${what} at ${await endpointOf(sqs, options.region)} failed: ${why}`);
    }
}

function isQueueMissing(error: unknown): boolean {
    const name = (error as Error).name;
    return error instanceof QueueDoesNotExist || name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue";
}

export type ReplayOutcome =
    { kind: "nothing-to-move" } | { kind: "dry-run"; messages: number } | { kind: "completed"; taskHandle: string; moved: number };

interface QueueInfo {
    name: string;
    url: string;
    arn: string;
    messages: number;
    deadLetterTargetArn?: string;
}

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

async function describeQueue(sqs: SQSClient, name: string, options: ReplayOptions): Promise<QueueInfo> {
    let url: string | undefined;
    try {
        url = (await request(sqs, () => sqs.send(new GetQueueUrlCommand({ QueueName: name })), `GetQueueUrl of ${name}`, options)).QueueUrl;
    } catch (error) {
        if (isQueueMissing(error)) {
            throw new ReplayError(
                `queue ${name} does not exist in ${options.region} for these credentials: check --env, --region and that you use the environment's account`,
            );
        }
        throw error;
    }
    const { Attributes = {} } = await request(
        sqs,
        () =>
            sqs.send(
                new GetQueueAttributesCommand({
                    QueueUrl: url!,
                    AttributeNames: ["QueueArn", "ApproximateNumberOfMessages", "RedrivePolicy"],
                }),
            ),
        `GetQueueAttributes of ${name}`,
        options,
    );
    const redrive = Attributes.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : undefined;
    return {
        name,
        url: url!,
        arn: Attributes.QueueArn!,
        messages: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        deadLetterTargetArn: redrive?.deadLetterTargetArn,
    };
}

/**
 * Our task: by handle while it runs. SQS lists a finished task without its handle, so then it is
 * the newest finished task that was not there before we started ours.
 */
function findTask(
    entries: ListMessageMoveTasksResultEntry[],
    taskHandle: string,
    earlier: Set<number | undefined>,
): ListMessageMoveTasksResultEntry | undefined {
    return (
        entries.find((e) => e.TaskHandle === taskHandle) ??
        entries
            .filter((e) => e.Status !== "RUNNING" && !earlier.has(e.StartedTimestamp))
            .sort((a, b) => (b.StartedTimestamp ?? 0) - (a.StartedTimestamp ?? 0))[0]
    );
}

/**
 * Moves the DLQ's messages back to the processing queue with an SQS message move task and
 * follows it to the end. The worker is idempotent, so replaying a message whose payment was
 * completed in the meantime is harmless.
 */
export async function replayDeadLetters(sqs: SQSClient, options: ReplayOptions, io: ReplayIo, clock: ReplayClock): Promise<ReplayOutcome> {
    const names = processingQueueNames(options.env);
    const dlq = await describeQueue(sqs, names.deadLetterQueue, options);
    const queue = await describeQueue(sqs, names.queue, options);
    if (queue.deadLetterTargetArn !== dlq.arn) {
        throw new ReplayError(
            `${queue.name} does not dead-letter into ${dlq.name} (its redrive policy names ${queue.deadLetterTargetArn ?? "no queue"}); refusing to move messages between unrelated queues`,
        );
    }

    const listTasks = () =>
        request(
            sqs,
            () => sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 })),
            `ListMessageMoveTasks of ${dlq.name}`,
            options,
        );
    const { Results: existing = [] } = await listTasks();
    const running = existing.find((t) => t.Status === "RUNNING");
    if (running !== undefined) {
        throw new ReplayError(
            `a message move task is already running on ${dlq.name} (${running.ApproximateNumberOfMessagesMoved ?? 0} of ${running.ApproximateNumberOfMessagesToMove ?? "?"} moved); ` +
                `wait for it, or cancel it: aws sqs cancel-message-move-task --task-handle ${running.TaskHandle} --region ${options.region}`,
        );
    }

    const earlierTasks = new Set(existing.map((t) => t.StartedTimestamp));

    io.stdout(`${dlq.name} holds about ${dlq.messages} message(s); destination ${queue.name}.\n`);
    if (dlq.messages === 0) {
        io.stdout("Nothing to replay.\n");
        return { kind: "nothing-to-move" };
    }
    const rate = options.maxPerSecond !== undefined ? `at most ${options.maxPerSecond} per second` : "as fast as SQS allows";
    if (options.dryRun) {
        io.stdout(`Dry run: would move about ${dlq.messages} message(s) ${rate}. Nothing was moved.\n`);
        return { kind: "dry-run", messages: dlq.messages };
    }

    const { TaskHandle: taskHandle } = await request(
        sqs,
        () =>
            sqs.send(
                new StartMessageMoveTaskCommand({
                    SourceArn: dlq.arn,
                    DestinationArn: queue.arn,
                    MaxNumberOfMessagesPerSecond: options.maxPerSecond,
                }),
            ),
        `StartMessageMoveTask from ${dlq.name} to ${queue.name}`,
        options,
    );
    if (taskHandle === undefined) {
        throw new ReplayError("SQS started no message move task (no task handle returned)");
    }
    io.stdout(
        `Started moving messages ${rate}. The task runs in SQS even if this command stops; cancel it with:\n` +
            `  aws sqs cancel-message-move-task --task-handle ${taskHandle} --region ${options.region}\n`,
    );

    let lastProgress = "";
    let last: ListMessageMoveTasksResultEntry | undefined;
    for (let waited = 0; ; waited += clock.pollIntervalMs) {
        if (waited >= options.timeoutMs) {
            const state =
                last === undefined
                    ? "SQS never listed it"
                    : `it is still ${last.Status} (${last.ApproximateNumberOfMessagesMoved ?? 0} moved)`;
            throw new ReplayError(
                `stopped following the move task ${taskHandle} from ${dlq.name} after ${formatDuration(options.timeoutMs)} (--timeout): ${state}. ` +
                    `It goes on in SQS: follow it with aws sqs list-message-move-tasks --source-arn ${dlq.arn} --region ${options.region}, or cancel it with the command above`,
            );
        }
        await clock.sleep(clock.pollIntervalMs);
        const { Results = [] } = await listTasks();
        const task = findTask(Results, taskHandle, earlierTasks);
        if (task === undefined) {
            continue;
        }
        last = task;
        const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
        const progress = `${task.Status}: ${moved} of ${task.ApproximateNumberOfMessagesToMove ?? "?"} moved`;
        if (progress !== lastProgress) {
            io.stdout(`${progress}\n`);
            lastProgress = progress;
        }
        if (!TERMINAL.has(task.Status ?? "")) {
            continue;
        }
        if (task.Status === "COMPLETED") {
            io.stdout(`Done: ${moved} message(s) moved back to ${queue.name}; the worker processes them from there.\n`);
            return { kind: "completed", taskHandle, moved };
        }
        throw new ReplayError(
            `the move task ${task.Status === "FAILED" ? `failed: ${task.FailureReason ?? "no reason given"}` : "was cancelled"} after moving ${moved} message(s); ` +
                `the rest are still in ${dlq.name}`,
        );
    }
}

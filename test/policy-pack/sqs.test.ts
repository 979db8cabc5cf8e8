import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const QUEUE = "aws:sqs/queue:Queue";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const ARN = (name: string) => `arn:aws:sqs:us-east-1:111111111111:${name}`;

describe("policy-pack sqs", () => {
    describe("sqs-encryption", () => {
        it("passes SSE-KMS and SSE-SQS", () => {
            const b = new StackBuilder("test");
            b.add(QUEUE, "test-a", { kmsMasterKeyId: UNKNOWN });
            b.add(QUEUE, "test-b", { sqsManagedSseEnabled: true });
            expectCompliant("sqs-encryption", b);
        });
        it("flags a queue with neither", () => {
            const b = new StackBuilder("test");
            b.add(QUEUE, "test-a", { sqsManagedSseEnabled: false });
            expectViolation("sqs-encryption", b, ["test-a"], /kmsMasterKeyId/);
        });
        it("cannot verify an unknown SSE flag", () => {
            const b = new StackBuilder("test");
            b.add(QUEUE, "test-a", { sqsManagedSseEnabled: UNKNOWN });
            expectCannotVerify("sqs-encryption", b);
        });
    });

    describe("sqs-consumed-queue-dlq", () => {
        it("passes a consumed queue with a redrive policy (inline or separate) and ignores unconsumed queues", () => {
            const b = new StackBuilder("test");
            const dlq = b.add(QUEUE, "test-dlq", { name: "test-dlq" });
            const main = b.add(QUEUE, "test-main", { name: "test-main", redrivePolicy: UNKNOWN }, { dependsOn: [dlq] });
            b.add(ESM, "test-esm", { eventSourceArn: ARN("test-main"), functionName: "test-worker" }, { dependsOn: [main] });
            const other = b.add(QUEUE, "test-other", { name: "test-other" });
            b.add(
                "aws:sqs/redrivePolicy:RedrivePolicy",
                "test-other-redrive",
                { queueUrl: "https://sqs.us-east-1.amazonaws.com/111111111111/test-other", redrivePolicy: "{}" },
                { dependsOn: [other, dlq] },
            );
            b.add(ESM, "test-other-esm", { eventSourceArn: ARN("test-other"), functionName: "test-worker" }, { dependsOn: [other] });
            expectCompliant("sqs-consumed-queue-dlq", b);
        });
        it("still finds the consumed queue when the mapping's ARN is unknown until apply (linked by dependency)", () => {
            const b = new StackBuilder("test");
            const main = b.add(QUEUE, "test-main", {});
            b.add(ESM, "test-esm", { eventSourceArn: UNKNOWN, functionName: UNKNOWN }, { dependsOn: [main] });
            expectViolation("sqs-consumed-queue-dlq", b, ["test-main"], /dead-letter/);
        });
        it("flags a consumed queue without a DLQ", () => {
            const b = new StackBuilder("test");
            const main = b.add(QUEUE, "test-main", { name: "test-main" });
            b.add(ESM, "test-esm", { eventSourceArn: ARN("test-main"), functionName: "test-worker" }, { dependsOn: [main] });
            expectViolation("sqs-consumed-queue-dlq", b, ["test-main"], /dead-letter/);
        });
    });
});

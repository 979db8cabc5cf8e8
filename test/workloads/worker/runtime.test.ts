import { expect } from "chai";
import { WorkerConfigError } from "../../../workloads/worker/config";
import { processingQueueNames, transactionIndexName } from "../../../workloads/worker/contract";
import { createRuntimeDependencies } from "../../../workloads/worker/runtime";

describe("worker runtime wiring", () => {
    it("refuses to wire a misconfigured function", () => {
        expect(() => createRuntimeDependencies({ AWS_REGION: "us-east-1" })).to.throw(WorkerConfigError, "TABLE_NAME is not set");
    });

    it("names the index and the queues the way the infrastructure does", () => {
        expect(transactionIndexName("pr-42")).to.equal("pr-42-transactions");
        expect(transactionIndexName("prod-")).to.equal("prod-transactions");
        expect(processingQueueNames("pr-42")).to.deep.equal({
            queue: "pr-42-payments-processing",
            deadLetterQueue: "pr-42-payments-processing-dlq",
        });
    });
});

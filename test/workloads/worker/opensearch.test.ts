import { expect } from "chai";
import { IndexClient, OpenSearchIndexer } from "../../../workloads/worker/opensearch";

type IndexParams = Parameters<IndexClient["index"]>[0];

function stubClient(statusCode: number, calls: IndexParams[]): IndexClient {
    return { index: (async (params: IndexParams) => (calls.push(params), { statusCode, body: {} })) as unknown as IndexClient["index"] };
}

describe("worker OpenSearch indexer", () => {
    it("puts the document under the payment id, so re-indexing replaces it", async () => {
        const calls: IndexParams[] = [];
        await new OpenSearchIndexer(stubClient(201, calls)).index("prod-transactions", "id-1", { amountMinor: 1 });
        await new OpenSearchIndexer(stubClient(200, calls)).index("prod-transactions", "id-1", { amountMinor: 1 });
        expect(calls).to.deep.equal([
            { index: "prod-transactions", id: "id-1", body: { amountMinor: 1 } },
            { index: "prod-transactions", id: "id-1", body: { amountMinor: 1 } },
        ]);
    });

    it("fails on any other answer", async () => {
        const error = await new OpenSearchIndexer(stubClient(429, [])).index("prod-transactions", "id-1", {}).catch((e: Error) => e);
        expect(error).to.be.instanceOf(Error).with.property("message").that.contains("429");
    });
});

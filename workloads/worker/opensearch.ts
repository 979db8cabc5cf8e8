import { Client } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/lib/aws/index-v3.js";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Indexer } from "./ports";

/** The one client call the indexer makes; the real `Client` and a test stub both provide it. */
export type IndexClient = Pick<Client, "index">;

export class OpenSearchIndexer implements Indexer {
    constructor(private readonly client: IndexClient) {}

    async index(index: string, id: string, document: Record<string, unknown>): Promise<void> {
        // Indexing under the payment id replaces any earlier copy, so a retry never duplicates.
        // No refresh: the document becomes searchable at the next scheduled refresh.
        const response = await this.client.index({ index, id, body: document });
        const status = response.statusCode ?? 0;
        if (status !== 200 && status !== 201) {
            throw Object.assign(new Error(`OpenSearch answered ${status} indexing ${index}/${id}`), { statusCode: status });
        }
    }
}

/**
 * A client signing every request with the function role's credentials (SigV4, service `es`); the
 * role must be mapped to a backend role allowed to write `<prefix>-*` indices under fine-grained
 * access control.
 */
export function openSearchClient(endpoint: string, region: string): Client {
    return new Client({
        ...AwsSigv4Signer({ region, service: "es", getCredentials: defaultProvider() }),
        node: endpoint,
        requestTimeout: 10_000,
        maxRetries: 2,
    });
}

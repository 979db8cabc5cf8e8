import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { Client as SearchClient } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/lib/aws/index-v3.js";
import { Client } from "pg";
import { z } from "zod";
import { PULL_REQUEST_SCOPE } from "../../lib/provisioning";
import { InvocationLifecycle, PullRequestProvisionerSettings, PullRequestProvisioningRequest } from "../../lib/provisioning-contract";
import { jsonLogger } from "../worker/ports";
import { AdminConnect, LifecycleAction, provisionDatabase } from "./database";
import { pullRequestSpecs } from "./pull-request";
import { provisionSearchAccess, SearchRequest } from "./search";

/**
 * The provisioning function: the estate's migration identity. Pulumi invokes it through
 * `aws.lambda.Invocation` resources with `lifecycleScope: "CRUD"`, which add `tf.action`
 * (create, update, delete) to the input; a failure fails the Pulumi operation, naming the cause.
 * A full environment's own function takes the requests below; platform/test's PR provisioner
 * (settings `PROVISIONER_SCOPE=pull-requests`) takes a PR number only (lib/provisioning.ts).
 */
export const ProvisioningRequest = z.discriminatedUnion("kind", [
    z.strictObject({
        kind: z.literal("database"),
        host: z.string().min(1),
        port: z.number().int().positive(),
        /** The RDS-managed master secret (`{"username", "password"}`). */
        masterSecretArn: z.string().startsWith("arn:"),
        database: z.string(),
        workerUser: z.string(),
        dropOnDelete: z.boolean(),
        tf: InvocationLifecycle,
    }),
    z.strictObject({
        kind: z.literal("search"),
        /** https://<VPC endpoint> */
        endpoint: z.url(),
        /** The fine-grained access control master role, assumed for these calls only. */
        masterRoleArn: z.string().startsWith("arn:"),
        roleName: z.string().min(1),
        index: z.string().min(1),
        backendRoles: z.array(z.string().startsWith("arn:")).min(1),
        dropIndexOnDelete: z.boolean(),
        tf: InvocationLifecycle,
    }),
]);
export type ProvisioningRequest = z.infer<typeof ProvisioningRequest>;

interface DatabaseServer {
    host: string;
    port: number;
    /** The RDS-managed master secret (`{"username", "password"}`). */
    masterSecretArn: string;
}

function masterConnection(server: DatabaseServer, region: string): AdminConnect {
    const secrets = new SecretsManagerClient({ region });
    let credentials: Promise<{ username: string; password: string }> | undefined;
    return async (database) => {
        credentials ??= secrets
            .send(new GetSecretValueCommand({ SecretId: server.masterSecretArn }))
            .then(({ SecretString }) => z.object({ username: z.string(), password: z.string() }).parse(JSON.parse(SecretString ?? "{}")));
        const { username, password } = await credentials;
        // TLS verified against the RDS CA bundle the runtime loads (NODE_EXTRA_CA_CERTS).
        const client = new Client({
            host: server.host,
            port: server.port,
            database,
            user: username,
            password,
            ssl: { rejectUnauthorized: true },
            connectionTimeoutMillis: 10_000,
            query_timeout: 120_000,
        });
        await client.connect();
        return { query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }), end: () => client.end() };
    };
}

function searchRequests(domain: { endpoint: string; masterRoleArn: string }, region: string): SearchRequest {
    const client = new SearchClient({
        ...AwsSigv4Signer({
            region,
            service: "es",
            getCredentials: fromTemporaryCredentials({
                params: { RoleArn: domain.masterRoleArn, RoleSessionName: "payments-provisioner" },
            }),
        }),
        node: domain.endpoint,
        requestTimeout: 30_000,
    });
    return async (method, path, body) => {
        try {
            const response = await client.transport.request({ method, path, body: body as Record<string, unknown> | undefined });
            return { statusCode: response.statusCode ?? 0 };
        } catch (error) {
            const statusCode = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
            if (statusCode === 404) return { statusCode };
            throw error;
        }
    };
}

/** Creates (or converges) a pull request's database, user and search access; on delete drops them, search first. */
async function provisionPullRequest(
    request: PullRequestProvisioningRequest,
    settings: PullRequestProvisionerSettings,
    region: string,
): Promise<Record<string, unknown>> {
    const specs = pullRequestSpecs(request.pullRequest, settings.SEARCH_MASTER_ROLE_ARN);
    const action: LifecycleAction = request.tf.action;
    const database = () =>
        provisionDatabase(
            masterConnection({ host: settings.DB_HOST, port: settings.DB_PORT, masterSecretArn: settings.MASTER_SECRET_ARN }, region),
            specs.database,
            action,
        );
    const search = () =>
        provisionSearchAccess(
            searchRequests({ endpoint: settings.SEARCH_ENDPOINT, masterRoleArn: settings.SEARCH_MASTER_ROLE_ARN }, region),
            specs.search,
            action,
        );
    if (action === "delete") {
        // Search access goes first, so nothing is left mapped to a worker whose database is gone.
        const searchResult = await search();
        return { pullRequest: request.pullRequest, action, search: searchResult, database: await database() };
    }
    const databaseResult = await database();
    return { pullRequest: request.pullRequest, action, database: databaseResult, search: await search() };
}

/**
 * Parses the request against the function's scope first: platform/test's PR provisioner refuses
 * anything but a PR number, whatever else the caller sends.
 */
export async function handler(event: unknown): Promise<Record<string, unknown>> {
    const region = process.env.AWS_REGION ?? "";
    if (process.env.PROVISIONER_SCOPE === PULL_REQUEST_SCOPE) {
        const settings = PullRequestProvisionerSettings.parse(process.env);
        const result = await provisionPullRequest(PullRequestProvisioningRequest.parse(event), settings, region);
        jsonLogger.info("provisioned", result);
        return result;
    }
    const request = ProvisioningRequest.parse(event);
    const action = request.tf.action;
    const result =
        request.kind === "database"
            ? await provisionDatabase(masterConnection(request, region), request, action)
            : await provisionSearchAccess(searchRequests(request, region), request, action);
    jsonLogger.info("provisioned", { kind: request.kind, action, ...result });
    return { kind: request.kind, action, ...result };
}

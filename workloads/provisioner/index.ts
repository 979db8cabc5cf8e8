import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { Client as SearchClient } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/lib/aws/index-v3.js";
import { Client } from "pg";
import { z } from "zod";
import { jsonLogger } from "../worker/ports";
import { AdminConnect, provisionDatabase } from "./database";
import { provisionSearchAccess, SearchRequest } from "./search";

/**
 * The provisioning function: the estate's migration identity. Pulumi invokes it through
 * `aws.lambda.Invocation` resources with `lifecycleScope: "CRUD"`, which add `tf.action`
 * (create, update, delete) to the input; a failure fails the Pulumi operation, naming the cause.
 */
const Lifecycle = z.object({ action: z.enum(["create", "update", "delete"]) }).loose();

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
        tf: Lifecycle,
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
        tf: Lifecycle,
    }),
]);
export type ProvisioningRequest = z.infer<typeof ProvisioningRequest>;

function masterConnection(request: Extract<ProvisioningRequest, { kind: "database" }>, region: string): AdminConnect {
    const secrets = new SecretsManagerClient({ region });
    let credentials: Promise<{ username: string; password: string }> | undefined;
    return async (database) => {
        credentials ??= secrets
            .send(new GetSecretValueCommand({ SecretId: request.masterSecretArn }))
            .then(({ SecretString }) => z.object({ username: z.string(), password: z.string() }).parse(JSON.parse(SecretString ?? "{}")));
        const { username, password } = await credentials;
        // TLS verified against the RDS CA bundle the runtime loads (NODE_EXTRA_CA_CERTS).
        const client = new Client({ host: request.host, port: request.port, database, user: username, password, ssl: { rejectUnauthorized: true }, connectionTimeoutMillis: 10_000, query_timeout: 120_000 });
        await client.connect();
        return { query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }), end: () => client.end() };
    };
}

function searchRequests(request: Extract<ProvisioningRequest, { kind: "search" }>, region: string): SearchRequest {
    const client = new SearchClient({
        ...AwsSigv4Signer({
            region,
            service: "es",
            getCredentials: fromTemporaryCredentials({ params: { RoleArn: request.masterRoleArn, RoleSessionName: "payments-provisioner" } }),
        }),
        node: request.endpoint,
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

export async function handler(event: unknown): Promise<Record<string, unknown>> {
    const request = ProvisioningRequest.parse(event);
    const region = process.env.AWS_REGION ?? "";
    const action = request.tf.action;
    const result =
        request.kind === "database"
            ? await provisionDatabase(masterConnection(request, region), request, action)
            : await provisionSearchAccess(searchRequests(request, region), request, action);
    jsonLogger.info("provisioned", { kind: request.kind, action, ...result });
    return { kind: request.kind, action, ...result };
}

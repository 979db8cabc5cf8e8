import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

/**
 * Local implementations of the AWS services the worker calls, from npm, each on a loopback port and
 * reached through the SDK's `endpoint` setting: dynalite (DynamoDB), s3rver (S3), aws-ses-v2-local
 * (SESv2) and sqslite (SQS; it speaks the query protocol, so its client selects that protocol, and
 * knows queue URLs on "localhost" only).
 */
export interface LocalAws {
    clientConfig: { region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
    dynamodbEndpoint: string;
    s3Endpoint: string;
    sesEndpoint: string;
    sqsEndpoint: string;
    /** SQS client settings for sqslite. */
    sqsProtocol: { protocol: typeof AwsQueryProtocol };
    /** Every email aws-ses-v2-local accepted since it started (or since `clearEmails`). */
    emails(): Promise<Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }>>;
    clearEmails(): Promise<void>;
    stop(): Promise<void>;
}

const START_DEADLINE_MS = 20_000;

function withDeadline<T>(what: string, promise: Promise<T>, ms = START_DEADLINE_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        promise.finally(() => clearTimeout(timer)),
        new Promise<T>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
        }),
    ]);
}

function listen(server: http.Server): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
}

async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
}

export async function startLocalAws(): Promise<LocalAws> {
    const stops: Array<() => Promise<void>> = [];
    try {
        const dynalite = require("dynalite") as (options: Record<string, unknown>) => http.Server;
        const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        const dynamoPort = await withDeadline("dynalite", listen(dynamo));
        stops.push(() => new Promise((resolve) => dynamo.close(() => resolve())));

        const s3Directory = fs.mkdtempSync(path.join(os.tmpdir(), "payments-s3-"));
        const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
            run(): Promise<AddressInfo>;
            close(): Promise<void>;
        };
        const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Directory });
        const s3Port = (await withDeadline("s3rver", s3.run())).port;
        stops.push(async () => {
            await s3.close();
            fs.rmSync(s3Directory, { recursive: true, force: true });
        });

        const sesServer = (require("aws-ses-v2-local") as { default: (config: { host: string; port: number }) => Promise<http.Server> })
            .default;
        const ses = await withDeadline("aws-ses-v2-local", sesServer({ host: "127.0.0.1", port: 0 }));
        const sesPort = (ses.address() as AddressInfo).port;
        stops.push(() => new Promise((resolve) => ses.close(() => resolve())));

        const sqslite = require("sqslite") as (options: Record<string, unknown>) => {
            listen(port: number, host: string): Promise<string>;
            close(): Promise<void>;
            server: http.Server;
        };
        const sqs = sqslite({ logger: false });
        await withDeadline("sqslite", sqs.listen(0, "127.0.0.1"));
        const sqsPort = (sqs.server.address() as AddressInfo).port;
        stops.push(() => sqs.close());

        const sesEndpoint = `http://127.0.0.1:${sesPort}`;
        return {
            clientConfig: { region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } },
            dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
            s3Endpoint: `http://127.0.0.1:${s3Port}`,
            sesEndpoint,
            // sqslite only recognises queue URLs on "localhost".
            sqsEndpoint: `http://localhost:${sqsPort}`,
            sqsProtocol: { protocol: AwsQueryProtocol },
            emails: async () => ((await fetchJson(`${sesEndpoint}/store`)) as { emails: Awaited<ReturnType<LocalAws["emails"]>> }).emails,
            clearEmails: async () => {
                await fetchJson(`${sesEndpoint}/clear-store`, { method: "POST" });
            },
            stop: async () => {
                for (const stop of stops.reverse()) await stop().catch(() => undefined);
            },
        };
    } catch (error) {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
        throw error;
    }
}

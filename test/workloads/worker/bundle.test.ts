import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { buildWorkerBundle, bundleProvisioner, bundleWorker } from "../../../lib/lambda-bundle";

/** Optional modules that the bundled libraries load inside try/catch and the worker never needs. */
const OPTIONAL_REQUIRES = new Set(["pg-native", "@aws-sdk/signature-v4-crt"]);

describe("worker bundle", () => {
    let dir: string;
    let code: string;

    before(() => {
        code = buildWorkerBundle().code;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "worker-bundle-"));
        fs.writeFileSync(path.join(dir, "index.js"), code);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is self-contained: it requires nothing but Node built-ins", () => {
        const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
        const external = [...required].filter((m) => !m.startsWith("node:") && !builtinModules.includes(m) && !OPTIONAL_REQUIRES.has(m));
        expect(external).to.deep.equal([]);
    });

    it("loads in a bare Node.js process and its index.handler answers an SQS batch", () => {
        const script = `
            const { handler } = require(${JSON.stringify(path.join(dir, "index.js"))});
            const batch = { Records: [
                { messageId: "test-event", body: JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent" }) },
                { messageId: "poison", body: "not json" },
            ] };
            handler(batch, { getRemainingTimeInMillis: () => 30000 }).then((r) => process.stdout.write("RESULT " + JSON.stringify(r) + "\\n"));`;
        const env = {
            PATH: process.env.PATH,
            TABLE_NAME: "test-payments",
            DB_HOST: "db.invalid",
            DB_PORT: "5432",
            DB_NAME: "payments",
            DB_USER: "worker",
            OPENSEARCH_ENDPOINT: "https://search.invalid",
            OPENSEARCH_INDEX_PREFIX: "test",
            SES_FROM_ADDRESS: "receipts@example.com",
            SES_CONFIGURATION_SET: "test",
            // Nothing listens there: the poison cannot be dead-lettered, so it stays a failed item.
            DEAD_LETTER_QUEUE_URL: "http://127.0.0.1:1/000000000000/test-payments-processing-dlq",
            ALARM_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:test-payments-alarms",
            AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY: "secret",
            AWS_REGION: "us-east-1",
        };
        // The bundle runs with no node_modules next to it, as in Lambda.
        const output = execFileSync(process.execPath, ["-e", script], {
            cwd: dir,
            env,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        });
        const result = output.split("\n").find((line) => line.startsWith("RESULT "));
        expect(JSON.parse(result!.slice("RESULT ".length))).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "poison" }] });
    });

    it("is the Lambda code archive (index.js and its source map), built once per process", async () => {
        const archive = bundleWorker();
        const cache = () => (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("payments.workloads.workerBundle")];
        const built = cache();
        expect(built).to.have.property("code");
        // The offline engine re-evaluates program modules for every stack: a fresh copy of the
        // module must still reuse the build.
        delete require.cache[require.resolve("../../../lib/lambda-bundle")];
        (require("../../../lib/lambda-bundle") as typeof import("../../../lib/lambda-bundle")).bundleWorker();
        expect(cache()).to.equal(built);
        expect(archive).to.be.instanceOf(pulumi.asset.AssetArchive);
        const assets = await archive.assets;
        expect(Object.keys(assets).sort()).to.deep.equal(["index.js", "index.js.map"]);
        expect(await (assets["index.js"] as pulumi.asset.StringAsset).text).to.equal(code);
    });

    it("builds the provisioning function the same way, as self-contained code", async () => {
        const assets = await bundleProvisioner().assets;
        const provisioner = await (assets["index.js"] as pulumi.asset.StringAsset).text;
        const required = new Set([...provisioner.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
        expect(
            [...required].filter((m) => !m.startsWith("node:") && !builtinModules.includes(m) && !OPTIONAL_REQUIRES.has(m)),
        ).to.deep.equal([]);
    });
});

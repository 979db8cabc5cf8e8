import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../lib/repository";
import { InvalidConfigError } from "../../lib/config";
import { WORKLOADS_CONFIG_KEYS, WorkloadsConfig, loadWorkloadsConfig } from "../../workloads/config";
import { synthesize, synthesizeLayer } from "../harness";

/** The error a synthesis fails with. */
async function failureOf(run: Promise<unknown>): Promise<Error> {
    try {
        await run;
    } catch (error) {
        return error as Error;
    }
    throw new Error("expected the synthesis to fail");
}

function stackFile(stack: string): Record<string, unknown> {
    return parse(fs.readFileSync(path.join(REPO_ROOT, "workloads", `Pulumi.${stack}.yaml`), "utf8")).config;
}

describe("workloads config", function () {
    for (const stack of ["test", "preprod", "prod", "pr"]) {
        it(`Pulumi.${stack}.yaml holds exactly the keys the layer reads`, () => {
            expect(Object.keys(stackFile(stack)).sort()).to.deep.equal(WORKLOADS_CONFIG_KEYS.map((key) => `workloads:${key}`).sort());
        });
    }

    it("rejects an unprotected prod in one error that names every key and its fix", async () => {
        const error = await failureOf(
            synthesizeLayer("workloads", "prod", {
                "workloads:rawPayload": { glacierAfterDays: 90, objectLockDays: 0 },
                "workloads:canary": { enabled: false },
                "workloads:dataServices": "shared",
            }),
        );
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain("workloads/prod");
        expect(error.message).to.contain("workloads:rawPayload: objectLockDays is 0 in prod");
        expect(error.message).to.contain("workloads:canary: canary releases are off in prod");
        expect(error.message).to.contain(`workloads:dataServices: "shared" is for test and pr-<n> only`);
        expect(error.message).to.contain("fix: set workloads:canary.enabled to true");
    });

    it("refuses an alarm subscription that would page nobody, naming the key and the fix", async () => {
        const badProtocol = await failureOf(
            synthesizeLayer("workloads", "prod", { "workloads:alarms": { protocol: "sms", endpoint: "+15550100" } }),
        );
        expect(badProtocol instanceof InvalidConfigError, badProtocol.message).to.equal(true);
        expect(badProtocol.message).to.contain(`workloads:alarms: protocol "sms" is not one alerts can be delivered to`);
        expect(badProtocol.message).to.contain("fix: set workloads:alarms.protocol to email or https");
        const badEndpoint = await failureOf(
            synthesizeLayer("workloads", "prod", { "workloads:alarms": { protocol: "https", endpoint: "http://pager.example.com/hook" } }),
        );
        expect(badEndpoint.message).to.contain(`workloads:alarms: endpoint "http://pager.example.com/hook" is not a valid https endpoint`);
        expect(badEndpoint.message).to.contain("fix: set workloads:alarms.endpoint, e.g. https://");
    });

    it("requires replicas, 3-AZ data nodes and dedicated masters in prod", async () => {
        const prod = stackFile("prod")["workloads:dataServices"] as { postgres: object; search: object };
        const error = await failureOf(
            synthesizeLayer("workloads", "prod", {
                "workloads:dataServices": {
                    postgres: { ...prod.postgres, readReplicaCount: 0 },
                    search: { instanceType: "r6g.large.search", instanceCount: 2, volumeSizeGb: 100 },
                },
            }),
        );
        expect(error.message).to.contain("prod has no PostgreSQL read replica");
        expect(error.message).to.contain("search.instanceCount 2 cannot spread evenly over 3 AZs");
        expect(error.message).to.contain("prod OpenSearch has no dedicated master nodes");
    });

    it("keeps a PR environment on the shared data services and on immutable builds", async () => {
        const error = await failureOf(
            synthesizeLayer("workloads", "pr-42", {
                "workloads:dataServices": stackFile("prod")["workloads:dataServices"],
                "workloads:imageTag": "latest",
                "workloads:chartVersion": "main",
                "workloads:worker": { ...(stackFile("pr")["workloads:worker"] as object), batchSize: 100, batchingWindowSeconds: 0 },
            }),
        );
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain("pr-42 uses the test platform's PostgreSQL and OpenSearch and must not create its own");
        expect(error.message).to.contain(`workloads:imageTag: "latest" is mutable`);
        expect(error.message).to.match(/workloads:chartVersion: "main" does not match/);
        expect(error.message).to.contain("batchSize 100 needs a batching window");
    });

    it("refuses object lock outside prod, where it would make the bucket undeletable", async () => {
        const error = await failureOf(
            synthesizeLayer("workloads", "pr-42", { "workloads:rawPayload": { glacierAfterDays: 30, objectLockDays: 30 } }),
        );
        expect(error.message).to.contain("objectLockDays is 30 outside prod");
    });

    it("names a stack that is not a workloads environment, and every missing key", async () => {
        const error = await failureOf(synthesize(() => loadWorkloadsConfig(), { project: "workloads", stack: "staging" }));
        expect(error instanceof InvalidConfigError, error.message).to.equal(true);
        expect(error.message).to.contain(`"staging" is not a workloads stack`);
        for (const key of ["owner", "deploymentRoleArn", "chartRegistry", "worker", "dataServices"]) {
            expect(error.message).to.contain(`workloads:${key}: is required but not set`);
        }
    });

    it("parses the PR template for any PR number, tagging it with that number", async () => {
        let parsed: WorkloadsConfig | undefined;
        await synthesize(
            () => {
                parsed = loadWorkloadsConfig();
            },
            { project: "workloads", stack: "pr-1234", config: stackFile("pr") },
        );
        expect(parsed).to.deep.include({ env: "pr-1234", platformEnv: "test", pullRequest: 1234, protect: false });
        expect(parsed?.tags).to.include({ PullRequest: "1234", Environment: "pr-1234" });
        expect(parsed?.dataServices).to.deep.equal({ mode: "shared" });
    });
});

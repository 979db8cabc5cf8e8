import { expect } from "chai";
import { evaluateStack } from "../../policy-pack/offline";
import { POLICIES } from "../../policy-pack/policies";
import { planOf } from "../harness";
import { missingPath } from "./provider-typings";
import { probePlan } from "./probe";

/**
 * A policy that reads an input the provider does not have never fires (the first pack read
 * `functionName` on aws.lambda.Permission, whose input is `function`). Each policy declares the
 * paths it reads; these tests hold the declaration to the provider's typings and the policy's
 * code to the declaration.
 */
describe("policy-pack: every input a policy reads exists on the provider's Args type", function () {
    this.timeout(300_000);
    const declaring = POLICIES;

    it("every policy declares what it reads", () => {
        const undeclared = POLICIES.filter((p) => typeof p.meta.reads !== "object" || p.meta.reads === null).map((p) => p.meta.name);
        expect(undeclared).to.deep.equal([]);
    });

    it("catches the names the first pack got wrong", () => {
        expect(missingPath("aws:lambda/permission:Permission", "functionName")).to.match(/has no input functionName/);
        expect(missingPath("aws:s3/bucketV2:BucketV2", "serverSideEncryptionConfiguration")).to.match(
            /has no input serverSideEncryptionConfiguration/,
        );
        expect(missingPath("aws:s3/bucketV2:BucketV2", "versioning")).to.match(/has no input versioning/);
        expect(
            missingPath("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "destinationConfig.onFailure.destination"),
        ).to.equal(undefined);
        // The eks component's own Args (its inputs are what the offline plan shows of a cluster).
        expect(missingPath("eks:index:Cluster", "encryptionConfigKeyArn")).to.equal(undefined);
        expect(missingPath("eks:index:Cluster", "endpointPublic")).to.match(/has no input endpointPublic/);
    });

    it("declared paths exist in node_modules/@pulumi/aws typings", () => {
        const wrong = declaring.flatMap((p) =>
            Object.entries(p.meta.reads ?? {}).flatMap(([type, paths]) =>
                type.startsWith("aws:") || type === "eks:index:Cluster"
                    ? paths
                          .map((path) => missingPath(type, path))
                          .filter((m): m is string => m !== undefined)
                          .map((m) => `${p.meta.name}: ${m}`)
                    : [],
            ),
        );
        expect(wrong, wrong.join("\n")).to.deep.equal([]);
    });

    it("policies read only the paths they declare, and paths declared for every type (`*`) exist where they are read", async () => {
        const undeclared = new Set<string>();
        const wrong = new Set<string>();
        const stacks = [...(await planOf("prod")).stacks, ...(await planOf("pr-42")).stacks, ...(await probePlan()).stacks];
        for (const stack of stacks) {
            evaluateStack(stack, {
                policies: declaring,
                observe: (policy, type, path) => {
                    const reads = declaring.find((p) => p.meta.name === policy)?.meta.reads ?? {};
                    const matches = (declared: readonly string[]) =>
                        declared.some((d) => d === "*" || d === path || path.startsWith(`${d}.`) || d.startsWith(`${path}.`));
                    if (matches(reads[type] ?? [])) {
                        return;
                    }
                    if (!matches(reads["*"] ?? [])) {
                        undeclared.add(`${policy} reads ${type} ${path}`);
                    } else if (type.startsWith("aws:") && !(reads["*"] ?? []).includes("*")) {
                        const declared =
                            (reads["*"] ?? []).find((d) => d === path || path.startsWith(`${d}.`) || d.startsWith(`${path}.`)) ?? path;
                        const missing = missingPath(type, declared.length < path.length ? declared : path);
                        if (missing !== undefined) {
                            wrong.add(`${policy}: ${missing}`);
                        }
                    }
                },
            });
        }
        expect([...undeclared].sort(), [...undeclared].sort().join("\n")).to.deep.equal([]);
        expect([...wrong].sort(), [...wrong].sort().join("\n")).to.deep.equal([]);
    });
});

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
    const declaring = POLICIES.filter((p) => p.meta.reads !== undefined);

    it("catches the names the first pack got wrong", () => {
        expect(missingPath("aws:lambda/permission:Permission", "functionName")).to.match(/has no input functionName/);
        expect(missingPath("aws:s3/bucketV2:BucketV2", "serverSideEncryptionConfiguration")).to.match(/has no input serverSideEncryptionConfiguration/);
        expect(missingPath("aws:s3/bucketV2:BucketV2", "versioning")).to.match(/has no input versioning/);
        expect(missingPath("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "destinationConfig.onFailure.destination")).to.equal(undefined);
    });

    it("declared paths exist in node_modules/@pulumi/aws typings", () => {
        const wrong = declaring.flatMap((p) =>
            Object.entries(p.meta.reads ?? {}).flatMap(([type, paths]) =>
                type.startsWith("aws:") ? paths.map((path) => missingPath(type, path)).filter((m): m is string => m !== undefined).map((m) => `${p.meta.name}: ${m}`) : [],
            ),
        );
        expect(wrong, wrong.join("\n")).to.deep.equal([]);
    });

    it("policies read only the paths they declare (over the prod plan and the probe program)", async () => {
        const undeclared = new Set<string>();
        const stacks = [...(await planOf("prod")).stacks, ...(await probePlan()).stacks];
        for (const stack of stacks) {
            evaluateStack(stack, {
                policies: declaring,
                observe: (policy, type, path) => {
                    const declared = declaring.find((p) => p.meta.name === policy)?.meta.reads?.[type] ?? [];
                    const covered = declared.some((d) => d === path || path.startsWith(`${d}.`) || d.startsWith(`${path}.`));
                    if (!covered) {
                        undeclared.add(`${policy} reads ${type} ${path}`);
                    }
                },
            });
        }
        expect([...undeclared].sort(), [...undeclared].sort().join("\n")).to.deep.equal([]);
    });
});

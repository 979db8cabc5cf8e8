import { expect } from "chai";
import { ConfigReader, InvalidConfigError } from "../../lib/config";
import { UserError } from "../../lib/errors";
import { synthesize } from "../harness";

function readAll(): void {
    const reader = new ConfigReader();
    reader.string("region", { oneOf: ["us-east-1", "eu-west-1"] });
    reader.string("owner");
    reader.number("replicas", { min: 1, max: 5, integer: true });
    reader.boolean("enabled", false);
    reader.object<string[]>("cidrs");
    reader.done();
}

describe("ConfigReader", () => {
    it("reports every problem of a stack at once, naming each key and its fix", async () => {
        const error = await synthesize(readAll, {
            project: "demo",
            stack: "dev",
            config: { "demo:region": "mars-1", "demo:replicas": "2.5", "demo:enabled": "yes" },
        }).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error instanceof InvalidConfigError).to.equal(true);
        const { problems, message } = error as InvalidConfigError;
        expect(problems.map((p) => p.key)).to.deep.equal(["demo:region", "demo:owner", "demo:replicas", "demo:enabled", "demo:cidrs"]);
        expect(message).to.include("demo/dev").and.to.include("5 problems").and.to.include("fix: pulumi config set owner");
    });

    it("is a user error (exit 2 in every CLI), and names the template Pulumi.pr.yaml for a pr-<n> stack", async () => {
        const error = await synthesize(readAll, { project: "workloads", stack: "pr-5", config: {} }).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(UserError);
        expect((error as Error).message)
            .to.include("workloads/pr-5 (workloads/Pulumi.pr.yaml")
            .and.not.to.include("Pulumi.pr-5.yaml");
    });

    it("accepts a valid configuration", async () => {
        const inventory = await synthesize(readAll, {
            project: "demo",
            stack: "dev",
            config: { "demo:region": "eu-west-1", "demo:owner": "team", "demo:replicas": "3", "demo:cidrs": ["10.0.0.0/8"] },
        });
        expect(inventory.one("pulumi:pulumi:Stack").name).to.equal("demo-dev");
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanUsageError } from "../../../automation/engine/project";
import { UserError } from "../../../lib/errors";
import { SECRET_PLACEHOLDER } from "../../../plan-model/types";
import { REPO_ROOT } from "../../../lib/repository";
import { StackRegistry, synthesizeStack } from "../../../automation/plan/plan";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import { Inventory, synthesize } from "../../harness";

const BASIC = path.join(__dirname, "..", "..", "fixtures", "engine", "basic");

async function basic(stack: string, options: Parameters<typeof synthesizeStack>[2] = {}) {
    const result = await synthesizeStack(BASIC, stack, options);
    return { result, inventory: new Inventory(result.resources, result.outputs) };
}

describe("offline engine", () => {
    describe("config and secrets", () => {
        it("hands the program stack-file values, project defaults and structured values", async () => {
            const { inventory } = await basic("dev");
            const bucket = inventory.one("aws:s3/bucket:Bucket");
            expect(bucket.name).to.equal("dev-assets-bucket");
            expect(inventory.input(bucket, "tags")).to.deep.equal({ Owner: "platform-team", team: "payments", tier: "gold" });
            expect(inventory.outputs.replicas).to.equal(3);
        });

        it("keeps secret config secret in resource inputs and stack outputs", async () => {
            const { result, inventory } = await basic("dev");
            const version = inventory.one("aws:secretsmanager/secretVersion:SecretVersion");
            expect(inventory.input(version, "secretString")).to.equal(SECRET_PLACEHOLDER);
            expect(result.outputs.apiToken).to.equal(SECRET_PLACEHOLDER);
            expect(result.referenceableOutputs.secretNames).to.include("apiToken");
            expect(JSON.stringify(result.resources)).not.to.include("offline-secret-");
        });

        it("applies overrides over the stack file", async () => {
            const { inventory } = await basic("dev", { config: { bucketPrefix: "override" } });
            expect(inventory.one("aws:s3/bucket:Bucket").name).to.equal("override-bucket");
        });

        it("rejects an unparseable stack file naming the file and the line", async () => {
            const error = await synthesizeStack(BASIC, "broken").then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error).to.be.instanceOf(PlanUsageError);
            expect(error!.message)
                .to.include("Pulumi.broken.yaml")
                .and.to.match(/not valid YAML/)
                .and.to.match(/line \d+/);
        });

        it("rejects a missing stack file naming the file", async () => {
            const error = await synthesizeStack(BASIC, "nope").then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error).to.be.instanceOf(PlanUsageError);
            expect(error!.message).to.include("Pulumi.nope.yaml");
        });
    });

    describe("captured resources", () => {
        it("records type, parent, provider, protection and dependencies as the engine would", async () => {
            const { inventory } = await basic("dev");
            const provider = inventory.one("pulumi:providers:aws");
            const bucket = inventory.one("aws:s3/bucket:Bucket");
            const version = inventory.one("aws:secretsmanager/secretVersion:SecretVersion");
            const secret = inventory.one("aws:secretsmanager/secret:Secret");
            expect(bucket.urn).to.equal("urn:pulumi:dev::basic::aws:s3/bucket:Bucket::dev-assets-bucket");
            expect(bucket.provider).to.equal(provider.urn);
            expect(bucket.parent).to.equal(inventory.one("pulumi:pulumi:Stack").urn);
            expect(version.dependencies).to.have.members([bucket.urn, secret.urn]);
            expect(bucket.protect).to.equal(false);
        });

        it("gives ARNs in the account of the role the provider assumes, in its region", async () => {
            const { inventory } = await basic("dev");
            expect(inventory.outputs.bucketArn).to.match(/^arn:aws:s3:::dev-assets-bucket-[0-9a-f]{7}$/);
            expect(inventory.outputs.secretArn).to.match(
                /^arn:aws:secretsmanager:eu-west-1:210987654321:secret:api-token-[0-9a-f]{7}-[0-9a-f]{6}$/,
            );
        });
    });

    describe("stack references", () => {
        it("answers from a stack synthesized earlier, keeping secrets secret", async () => {
            const registry = new StackRegistry();
            const upstream = await synthesizeStack(BASIC, "dev", { registry, config: { stackOrg: "acme" } });
            const { result } = await basic("downstream", { registry });
            expect(result.outputs.upstreamBucketArn).to.equal(upstream.outputs.bucketArn);
            expect(result.outputs.upstreamToken).to.equal(SECRET_PLACEHOLDER);
        });

        it("records each stack reference as a read resource that its consumers depend on", async () => {
            const registry = new StackRegistry({ "acme/basic/dev": { bucketArn: "arn:aws:s3:::x", apiToken: "t" } });
            const { inventory } = await basic("downstream", { registry });
            const reference = inventory.one("pulumi:pulumi:StackReference", "upstream");
            expect(reference.inputs).to.deep.equal({ name: "acme/basic/dev" });
            const urns = new Set(inventory.resources.map((r) => r.urn));
            expect(inventory.resources.flatMap((r) => r.dependencies).filter((urn) => !urns.has(urn))).to.deep.equal([]);
        });

        it("fails naming the stack and the output when a required output is missing", async () => {
            const registry = new StackRegistry({ "acme/basic/dev": { bucketArn: "arn:aws:s3:::x" } });
            const error = await synthesizeStack(BASIC, "downstream", { registry, config: { requireMissing: "true" } }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error?.message).to.include("doesNotExist").and.to.include("acme/basic/dev");
        });

        it("fails naming the stack when the referenced stack was never synthesized", async () => {
            const error = await synthesizeStack(BASIC, "downstream", { registry: new StackRegistry() }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error?.message).to.include('"acme/basic/dev"').and.to.include("basic/downstream");
        });
    });

    describe("remote components", () => {
        it("makes what consumes a remote component's child depend on the component, the only part registered offline", async () => {
            const inventory = await synthesize(
                () => {
                    const provider = new aws.Provider("p", { region: "us-east-1" });
                    const cluster = new eks.Cluster(
                        "c",
                        { vpcId: "vpc-1", privateSubnetIds: ["subnet-1"] },
                        { providers: { aws: provider } },
                    );
                    new aws.s3.Bucket("consumer", { tags: { ClusterEndpoint: cluster.eksCluster.endpoint } }, { provider });
                },
                { project: "demo", stack: "dev" },
            );
            const component = inventory.one("eks:index:Cluster");
            const consumer = inventory.one("aws:s3/bucket:Bucket");
            expect(consumer.dependencies).to.deep.equal([component.urn]);
            expect(inventory.input(consumer, "tags.ClusterEndpoint")).to.match(
                /^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/,
            );
        });
    });

    describe("isolation", () => {
        it("gives four syntheses in a row the same result as each alone", async () => {
            const alone = JSON.stringify((await basic("dev")).result);
            const inARow: string[] = [];
            for (let i = 0; i < 4; i++) {
                inARow.push(JSON.stringify((await basic("dev")).result));
            }
            expect(inARow).to.deep.equal([alone, alone, alone, alone]);
            expect((await basic("dev")).result.outputs.counter).to.equal(1);
        });

        it("does not leak config from one stack into the next", async () => {
            await basic("dev");
            const { result } = await basic("downstream", {
                registry: new StackRegistry({ "acme/basic/dev": { bucketArn: "a", apiToken: "t" } }),
            });
            expect(result.outputs.replicas).to.equal(1);
            expect(result.outputs.apiToken).to.equal(null);
        });
    });
});

describe("a PR stack's config error names the template it comes from (#17 item 15)", function () {
    this.timeout(120_000);

    it("names Pulumi.pr.yaml, not the Pulumi.pr-<n>.yaml that does not exist", async () => {
        const program = path.join(REPO_ROOT, "test", "fixtures", "automation-engine");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-template-"));
        try {
            const template = path.join(dir, "Pulumi.pr.yaml");
            fs.writeFileSync(template, "config:\n  aws:region: us-east-1\n  workloads:imageTag: 1.0.0\n  workloads:databasePassword: x\n");
            const error = await synthesizeStack(program, "pr-5", { stackFile: path.relative(program, template) }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(UserError);
            expect((error as Error).message)
                .to.contain("workloads:deploymentRoleArn")
                .and.to.contain(`${path.basename(dir)}/Pulumi.pr.yaml`)
                .and.not.to.contain("Pulumi.pr-5.yaml");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

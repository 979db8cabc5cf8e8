import { expect } from "chai";
import { REPO_ROOT } from "../../lib/repository";
import { synthesizeStack } from "../../automation/plan/plan";
import { Inventory } from "../harness";

async function bootstrap(config: Record<string, unknown> = {}): Promise<Inventory> {
    const result = await synthesizeStack(REPO_ROOT, "mgmt", { config });
    return new Inventory(result.resources, result.outputs);
}

describe("bootstrap stack", () => {
    it("exports the backend URL, one secrets-provider URL per environment and every CI role ARN", async () => {
        const { outputs } = await bootstrap();
        expect(outputs.backendUrl).to.equal("s3://mgmt-pulumi-state-111111111111");
        expect(outputs.secretsProviderUrls).to.deep.equal(
            Object.fromEntries(
                ["org", "mgmt", "test", "preprod", "prod"].map((env) => [
                    env,
                    `awskms://alias/mgmt-pulumi-secrets-${env}?region=us-east-1`,
                ]),
            ),
        );
        expect((outputs.ciRoleArns as Record<string, string>)["mgmt-ci-deploy-prod"]).to.equal(
            "arn:aws:iam::111111111111:role/mgmt-ci-deploy-prod",
        );
        expect(Object.keys(outputs.ciRoleArns as object)).to.have.length(11);
    });

    it("deploys only into the management account, with the standard tags", async () => {
        const inventory = await bootstrap();
        const provider = inventory.one("pulumi:providers:aws");
        expect(JSON.parse(inventory.input<string>(provider, "allowedAccountIds"))).to.deep.equal(["111111111111"]);
        expect(JSON.parse(inventory.input<string>(provider, "defaultTags")).tags).to.include({
            Layer: "bootstrap",
            Project: "payments",
            ManagedBy: "pulumi",
            Owner: "platform-team",
        });
        const custom = inventory.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        expect(custom.filter((r) => r.provider !== provider.urn)).to.deep.equal([]);
    });

    it("protects and retains the state bucket and every key", async () => {
        const inventory = await bootstrap();
        for (const resource of [inventory.one("aws:s3/bucket:Bucket"), ...inventory.ofType("aws:kms/key:Key")]) {
            expect(resource, resource.name).to.include({ protect: true, retainOnDelete: true });
        }
        for (const key of inventory.ofType("aws:kms/key:Key")) {
            expect(key.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        }
    });

    it("expires old state versions but keeps recent ones", async () => {
        const inventory = await bootstrap();
        const lifecycle = inventory.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        const rule = inventory.input<{ id: string }[]>(lifecycle, "rules").find((r) => r.id === "expire-old-state-versions");
        expect(rule).to.deep.include({ noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 10 } });
    });

    it("reports every bad config key at once", async () => {
        const error = await bootstrap({ managementAccountId: "12345", githubRepository: "not a repo" }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.message).to.include("payments-bootstrap:managementAccountId").and.to.include("payments-bootstrap:githubRepository");
    });
});

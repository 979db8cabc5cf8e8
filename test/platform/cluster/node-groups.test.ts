import { expect } from "chai";
import { amiTypeFor } from "../../../platform/cluster/node-groups";
import { Inventory } from "../../harness";
import { synthesizeCluster } from "./fixture";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

describe("platform/cluster managed node groups", () => {
    let prod: Inventory;
    let test: Inventory;

    before(async () => {
        [prod, test] = [await synthesizeCluster("prod"), await synthesizeCluster("test")];
    });

    const group = (inventory: Inventory, role: string) =>
        inventory.one(NODE_GROUP, `${inventory === prod ? "prod" : "test"}-nodes-${role}`);
    const templateOf = (inventory: Inventory, nodeGroup: ReturnType<typeof group>) =>
        inventory.ofType(LAUNCH_TEMPLATE).find((t) => nodeGroup.dependencies.includes(t.urn))!;

    it("runs system and general on-demand in prod, with no spot group", () => {
        const groups = prod.ofType(NODE_GROUP);
        expect(groups.map((g) => g.inputs.capacityType)).to.deep.equal(["ON_DEMAND", "ON_DEMAND"]);
        expect(groups.map((g) => (g.inputs.labels as Record<string, string>)["node.payments.io/role"])).to.have.members([
            "system",
            "general",
        ]);
    });

    it("adds a tainted spot group for background work outside prod", () => {
        const spot = group(test, "spot");
        expect(spot.inputs.capacityType).to.equal("SPOT");
        expect(spot.inputs.taints).to.deep.equal([{ key: "node.payments.io/capacity", value: "spot", effect: "NO_SCHEDULE" }]);
        expect(group(test, "general").inputs.capacityType).to.equal("ON_DEMAND");
    });

    it("taints the system group for critical add-ons only", () => {
        expect(group(prod, "system").inputs.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
        expect(group(prod, "general").inputs.taints).to.deep.equal([]);
    });

    it("keeps at least 3 nodes per group in prod, spread over the 3 private subnets (one per AZ)", () => {
        for (const nodeGroup of prod.ofType(NODE_GROUP)) {
            expect(prod.input<number>(nodeGroup, "scalingConfig.minSize")).to.be.at.least(3);
            expect(nodeGroup.inputs.subnetIds).to.deep.equal(["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]);
        }
    });

    it("uses AL2023 on every group, Graviton included", () => {
        for (const nodeGroup of [...prod.ofType(NODE_GROUP), ...test.ofType(NODE_GROUP)]) {
            expect(nodeGroup.inputs.amiType).to.match(/^AL2023_/);
        }
        expect(amiTypeFor(["m7g.large", "c7g.xlarge"])).to.equal("AL2023_ARM_64_STANDARD");
        expect(amiTypeFor(["m7i.large"])).to.equal("AL2023_x86_64_STANDARD");
    });

    it("launches every node from a template with IMDSv2 only, hop limit 1, and an encrypted gp3 root volume", () => {
        for (const inventory of [prod, test]) {
            for (const nodeGroup of inventory.ofType(NODE_GROUP)) {
                const template = templateOf(inventory, nodeGroup);
                expect(template, `launch template of ${nodeGroup.name}`).to.not.equal(undefined);
                expect(template.inputs.metadataOptions).to.deep.include({
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    httpEndpoint: "enabled",
                });
                expect(inventory.input(template, "blockDeviceMappings[0].ebs")).to.deep.include({ volumeType: "gp3", encrypted: "true" });
                expect(inventory.input(nodeGroup, "launchTemplate.id")).to.be.a("string").and.match(/^lt-/);
                expect(template.inputs).to.not.have.any.keys("imageId", "userData");
            }
        }
    });

    it("tags what the node groups launch, which the provider's defaultTags do not reach", () => {
        const template = templateOf(prod, group(prod, "general"));
        const specs = prod.input<{ resourceType: string; tags: Record<string, string> }[]>(template, "tagSpecifications");
        expect(specs.map((s) => s.resourceType)).to.include.members(["instance", "volume"]);
        specs.forEach((s) =>
            expect(s.tags).to.include({ Environment: "prod", Project: "payments", Layer: "platform", ManagedBy: "pulumi" }),
        );
    });

    it("gives nodes no CNI rights: vpc-cni has its own role", () => {
        const attachments = prod
            .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.name.startsWith("prod-nodes-node-"));
        const policies = attachments.map((a) => String(a.inputs.policyArn).split("/").pop());
        expect(policies).to.have.members(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"]);
    });

    it("sizes each group from the stack file", () => {
        expect(group(prod, "general").inputs.scalingConfig).to.deep.equal({ minSize: 3, desiredSize: 3, maxSize: 12 });
    });
});

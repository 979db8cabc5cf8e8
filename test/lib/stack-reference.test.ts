import { expect } from "chai";
import { ContractReference, stackReferenceName } from "../../lib/stack-reference";
import { synthesize } from "../harness";

interface Contract {
    vpcId: string;
    subnetIds: string[];
    clusterName: string;
}
const KEYS = ["vpcId", "subnetIds", "clusterName"] as const;

describe("ContractReference", () => {
    it("reads typed outputs of the producer stack", async () => {
        const inventory = await synthesize(
            () => {
                const ref = new ContractReference<Contract>("platform", stackReferenceName("acme", "platform", "test"), KEYS);
                return { vpc: ref.require("vpcId"), subnets: ref.require("subnetIds") };
            },
            {
                project: "workloads",
                stack: "test",
                stackOutputs: { "acme/platform/test": { vpcId: "vpc-1", subnetIds: ["a", "b"], clusterName: "c" } },
            },
        );
        expect(inventory.outputs).to.deep.equal({ vpc: "vpc-1", subnets: ["a", "b"] });
    });

    it("names the stack, every missing output and the consumer", async () => {
        const error = await synthesize(
            () => {
                const ref = new ContractReference<Contract>("platform", "acme/platform/test", KEYS);
                return { vpc: ref.require("vpcId") };
            },
            { project: "workloads", stack: "pr-7", stackOutputs: { "acme/platform/test": { vpcId: "vpc-1" } } },
        ).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.name).to.equal("MissingStackOutputError");
        expect(error?.message)
            .to.include("acme/platform/test")
            .and.to.include('"subnetIds", "clusterName"')
            .and.to.include("workloads/pr-7");
    });
});

import { expect } from "chai";
import { createTasks, deleteTasks, longestPath, Task } from "../../../plan-model/estimates/critical-path";
import { PlannedResource } from "../../../plan-model/types";
import { names, resource } from "./fixtures";

const task = (id: string, minutes: number, after: string[] = []): Task => ({ id, minutes, after });

/** Create/delete minutes by logical name, for hand-made graphs. */
function minutes(table: Record<string, number>) {
    return (r: PlannedResource) => table[r.name] ?? 0;
}

describe("estimates: critical path", () => {
    it("takes the longer side of a diamond and names it in order", () => {
        const result = longestPath([task("a", 2), task("b", 3, ["a"]), task("c", 5, ["a"]), task("d", 1, ["b", "c"])]);
        expect(result.minutes).to.equal(8);
        expect(result.path).to.deep.equal(["a", "c", "d"]);
    });

    it("runs independent branches in parallel: the longest branch alone sets the time", () => {
        const result = longestPath([task("x", 10), task("y1", 4), task("y2", 4, ["y1"]), task("z", 1)]);
        expect(result.minutes).to.equal(10);
        expect(result.path).to.deep.equal(["x"]);
    });

    it("leaves zero-time steps (providers, components) out of the named path", () => {
        const result = longestPath([task("provider", 0), task("cluster", 10, ["provider"]), task("release", 2, ["cluster"])]);
        expect(result.path).to.deep.equal(["cluster", "release"]);
    });

    it("survives a dependency cycle and reports it instead of hanging", () => {
        const result = longestPath([task("a", 1, ["b"]), task("b", 1, ["a"])]);
        expect(result.minutes).to.be.at.most(2);
        expect(result.cycles).to.not.be.empty;
    });

    describe("from plan resources (pulumi up)", () => {
        it("makes a dependent of a component wait for every child of the component", () => {
            const resources = [
                resource("net", "payments:platform:Network", { custom: false }),
                resource("vpc", "aws:ec2/vpc:Vpc", { parent: "net" }),
                resource("nat", "aws:ec2/natGateway:NatGateway", { parent: "net", dependsOn: ["vpc"] }),
                resource("db", "aws:rds/instance:Instance", { dependsOn: ["net"] }),
            ];
            const result = longestPath(createTasks(resources, minutes({ vpc: 0.1, nat: 2, db: 6 })));
            expect(result.minutes).to.be.closeTo(8.1, 1e-9);
            expect(names(result.path)).to.deep.equal(["vpc", "nat", "db"]);
        });

        it("lets children of a component start with it, but children of a custom resource wait for it", () => {
            const resources = [
                resource("slow", "aws:ec2/natGateway:NatGateway"),
                resource("comp", "payments:x:Comp", { custom: false, dependsOn: ["slow"] }),
                resource("inComp", "aws:sqs/queue:Queue", { parent: "comp" }),
                resource("bucket", "aws:s3/bucketV2:BucketV2"),
                resource("bucketPolicy", "aws:s3/bucketPolicy:BucketPolicy", { parent: "bucket" }),
            ];
            const up = longestPath(createTasks(resources, minutes({ slow: 2, inComp: 1, bucket: 3, bucketPolicy: 1 })));
            // inComp starts when comp registers (after `slow`): 2 + 1; bucketPolicy waits for bucket: 3 + 1.
            expect(up.minutes).to.equal(4);
            expect(names(up.path)).to.deep.equal(["bucket", "bucketPolicy"]);
        });

        it("waits for a resource's explicit provider, which waits for the cluster its kubeconfig comes from", () => {
            const resources = [
                resource("cluster", "eks:index:Cluster", { custom: false }),
                resource("k8s", "pulumi:providers:kubernetes", { dependsOn: ["cluster"] }),
                resource("ns", "kubernetes:core/v1:Namespace", { provider: "k8s" }),
            ];
            const up = longestPath(createTasks(resources, minutes({ cluster: 12, ns: 0.1 })));
            expect(up.minutes).to.be.closeTo(12.1, 1e-9);
            expect(names(up.path)).to.deep.equal(["cluster", "ns"]);
        });

        it("does not deadlock when a child lists its own component among its dependencies", () => {
            const resources = [
                resource("comp", "payments:x:Comp", { custom: false }),
                resource("child", "aws:sqs/queue:Queue", { parent: "comp", dependsOn: ["comp"] }),
            ];
            const up = longestPath(createTasks(resources, minutes({ child: 1 })));
            expect(up.minutes).to.equal(1);
            expect(up.cycles).to.be.empty;
        });
    });

    describe("from plan resources (pulumi destroy)", () => {
        it("deletes dependents first: the chain runs backwards", () => {
            const resources = [
                resource("vpc", "aws:ec2/vpc:Vpc"),
                resource("sg", "aws:ec2/securityGroup:SecurityGroup", { dependsOn: ["vpc"] }),
                resource("fn", "aws:lambda/function:Function", { dependsOn: ["sg"] }),
            ];
            const down = longestPath(deleteTasks(resources, minutes({ vpc: 0.1, sg: 0.1, fn: 20 })));
            expect(down.minutes).to.be.closeTo(20.2, 1e-9);
            expect(names(down.path)).to.deep.equal(["fn", "sg", "vpc"]);
        });

        it("deletes both sides of a diamond in parallel and children before their parent", () => {
            const resources = [
                resource("base", "aws:ec2/vpc:Vpc"),
                resource("left", "aws:ec2/subnet:Subnet", { dependsOn: ["base"] }),
                resource("right", "aws:ec2/natGateway:NatGateway", { dependsOn: ["base"] }),
                resource("top", "aws:ec2/route:Route", { dependsOn: ["left", "right"] }),
                resource("bucket", "aws:s3/bucketV2:BucketV2"),
                resource("versioning", "aws:s3/bucketVersioningV2:BucketVersioningV2", { parent: "bucket" }),
            ];
            const down = longestPath(deleteTasks(resources, minutes({ base: 1, left: 1, right: 3, top: 1, bucket: 1, versioning: 1 })));
            expect(down.minutes).to.equal(5);
            expect(names(down.path)).to.deep.equal(["top", "right", "base"]);
        });

        it("deletes what depends on a component before everything inside it", () => {
            const resources = [
                resource("net", "payments:platform:Network", { custom: false }),
                resource("subnet", "aws:ec2/subnet:Subnet", { parent: "net" }),
                resource("db", "aws:rds/instance:Instance", { dependsOn: ["net"] }),
            ];
            const down = longestPath(deleteTasks(resources, minutes({ subnet: 0.5, db: 8 })));
            expect(down.minutes).to.equal(8.5);
            expect(names(down.path)).to.deep.equal(["db", "subnet"]);
        });
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigReader, InvalidConfigError } from "../../../lib/config";
import { FullEnvironment } from "../../../lib/environments";
import { ClusterConfig, parseClusterConfig } from "../../../platform/cluster/config";
import { synthesize } from "../../harness";
import { clusterConfigFor } from "./fixture";

/** The stack-file form of a ClusterConfig (what `platform:cluster` holds). */
function stackValue(env: FullEnvironment, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const { spot, ...onDemand } = clusterConfigFor(env).nodeGroups;
    const value: Record<string, unknown> = { ...clusterConfigFor(env), nodeGroups: spot ? { ...onDemand, spot } : onDemand };
    delete value.argocd;
    if (env === "mgmt") {
        value.argocd = clusterConfigFor("mgmt").argocd;
    }
    return { ...value, ...overrides };
}

async function parse(env: FullEnvironment, cluster: unknown): Promise<{ config?: ClusterConfig; error?: InvalidConfigError }> {
    let config: ClusterConfig | undefined;
    try {
        await synthesize(
            () => {
                const reader = new ConfigReader("platform");
                config = parseClusterConfig(reader, env);
                reader.done();
            },
            { project: "platform", stack: env, config: cluster === undefined ? {} : { "platform:cluster": cluster } },
        );
        return { config };
    } catch (error) {
        if (error instanceof InvalidConfigError) {
            return { error };
        }
        throw error;
    }
}

async function problemsOf(env: FullEnvironment, cluster: unknown): Promise<string[]> {
    const { error } = await parse(env, cluster);
    expect(error, "expected an InvalidConfigError").to.not.equal(undefined);
    return error!.problems.map((p) => `${p.key}: ${p.problem}`);
}

describe("platform/cluster config", () => {
    it("accepts the documented stack values for every env", async () => {
        for (const env of ["mgmt", "test", "preprod", "prod"] as const) {
            const { config, error } = await parse(env, stackValue(env));
            expect(error?.message, env).to.equal(undefined);
            expect(config!.nodeGroups.general.minSize).to.equal(clusterConfigFor(env).nodeGroups.general.minSize);
        }
    });

    it("accepts platform:cluster as every platform stack file holds it", async () => {
        for (const env of ["mgmt", "test", "preprod", "prod"] as const) {
            const file = path.join(__dirname, "../../../platform", `Pulumi.${env}.yaml`);
            const stackConfig = parseYaml(fs.readFileSync(file, "utf8")).config as Record<string, unknown>;
            const { error } = await parse(env, stackConfig["platform:cluster"]);
            expect(error?.message, file).to.equal(undefined);
        }
    });

    it("reports a missing platform:cluster once, naming the key", async () => {
        const problems = await problemsOf("test", undefined);
        expect(problems).to.deep.equal(["platform:cluster: is required but not set"]);
    });

    it("rejects prod sizing below 3 nodes per group, and any spot group in prod", async () => {
        const problems = await problemsOf(
            "prod",
            stackValue("prod", {
                nodeGroups: {
                    system: { instanceTypes: ["m7i.large"], minSize: 2, desiredSize: 2, maxSize: 3 },
                    general: { instanceTypes: ["m7i.xlarge"], minSize: 1, desiredSize: 3, maxSize: 6 },
                    spot: { instanceTypes: ["m7i.large"], minSize: 0, desiredSize: 0, maxSize: 3 },
                },
            }),
        );
        expect(problems).to.have.length(3);
        expect(problems).to.include.members([
            "platform:cluster.nodeGroups.system.minSize: prod needs at least 3 system nodes (one per AZ) but minSize is 2",
            "platform:cluster.nodeGroups.general.minSize: prod needs at least 3 general nodes (one per AZ) but minSize is 1",
            "platform:cluster.nodeGroups.spot: prod runs on on-demand capacity only",
        ]);
    });

    it("rejects developer access in prod and a public endpoint outside mgmt", async () => {
        const problems = await problemsOf(
            "prod",
            stackValue("prod", {
                developerRoleArns: ["arn:aws:iam::444444444444:role/Developer"],
                bootstrapPublicAccessCidrs: ["203.0.113.10/32"],
            }),
        );
        expect(problems.map((p) => p.split(":").slice(0, 2).join(":"))).to.have.members([
            "platform:cluster.developerRoleArns",
            "platform:cluster.bootstrapPublicAccessCidrs",
        ]);
    });

    it("collects every problem at once, each naming its key and a fix", async () => {
        const { error } = await parse(
            "test",
            stackValue("test", {
                kubernetesVersion: "1.20",
                adminRoleArns: ["not-an-arn"],
                workloadNamespaces: ["payments", "kube-system"],
                nodeGroups: { general: { instanceTypes: ["m7i.xlarge"], minSize: 4, desiredSize: 2, maxSize: 3 } },
            }),
        );
        const keys = error!.problems.map((p) => p.key);
        expect(keys).to.include.members([
            "platform:cluster.kubernetesVersion",
            "platform:cluster.adminRoleArns[0]",
            "platform:cluster.workloadNamespaces",
            "platform:cluster.nodeGroups.system",
            "platform:cluster.nodeGroups.general",
        ]);
        error!.problems.forEach((p) => expect(p.fix, p.key).to.match(/\S/));
        expect(error!.message).to.include("platform/test");
    });

    it("requires the Argo CD section in mgmt and refuses it elsewhere", async () => {
        const { argocd: _omitted, ...withoutArgo } = stackValue("mgmt");
        void _omitted;
        expect(await problemsOf("mgmt", withoutArgo)).to.deep.equal(["platform:cluster.argocd: is required in mgmt (the Argo CD hub)"]);
        const problems = await problemsOf("preprod", stackValue("preprod", { argocd: clusterConfigFor("mgmt").argocd }));
        expect(problems).to.deep.equal(["platform:cluster.argocd: is set in preprod, but Argo CD runs only in the mgmt hub"]);
    });

    it("rejects a node group that mixes arm64 and x86 instance types", async () => {
        const value = stackValue("preprod");
        const nodeGroups = value.nodeGroups as Record<string, Record<string, unknown>>;
        const problems = await problemsOf("preprod", {
            ...value,
            nodeGroups: { ...nodeGroups, general: { ...nodeGroups.general, instanceTypes: ["m7g.xlarge", "m7i.xlarge"] } },
        });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^platform:cluster\.nodeGroups\.general\.instanceTypes: mixes Graviton/);
    });

    it("accepts a prefix wildcard for PR namespaces", async () => {
        const { config } = await parse("test", stackValue("test", { workloadNamespaces: ["payments", "pr-*"] }));
        expect(config!.workloadNamespaces).to.deep.equal(["payments", "pr-*"]);
    });
});

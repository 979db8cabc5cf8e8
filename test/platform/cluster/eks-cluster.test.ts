import { expect } from "chai";
import { VPC_CIDRS } from "../../../lib/environments";
import { CONTROL_PLANE_LOG_TYPES, disableClusterCreatorAdmin } from "../../../platform/cluster/eks-cluster";
import { callerKubeconfig } from "../../../platform/cluster/kubeconfig";
import { KUBERNETES_RELEASES } from "../../../platform/cluster/versions";
import { Inventory } from "../../harness";
import { clusterConfigFor, synthesizeCluster } from "./fixture";

const EKS = "eks:index:Cluster";

describe("platform/cluster EKS control plane", () => {
    let prod: Inventory;
    let test: Inventory;

    before(async () => {
        [prod, test] = [await synthesizeCluster("prod"), await synthesizeCluster("test")];
    });

    it("has a private endpoint only, in the private subnets", () => {
        const cluster = prod.one(EKS);
        expect(cluster.inputs).to.include({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect(cluster.inputs).to.not.have.property("publicAccessCidrs");
        expect(cluster.inputs.privateSubnetIds).to.deep.equal(["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]);
        expect(cluster.inputs).to.not.have.any.keys("publicSubnetIds", "subnetIds");
    });

    it("envelope-encrypts secrets with its own rotating KMS key", () => {
        const key = prod.one("aws:kms/key:Key");
        expect(key.inputs.enableKeyRotation).to.equal(true);
        expect(key.protect).to.equal(true);
        expect(test.one("aws:kms/key:Key").protect).to.equal(false);
        expect(prod.input(prod.one(EKS), "encryptionConfigKeyArn")).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
        expect(prod.one(EKS).dependencies).to.include(key.urn);
    });

    it("exports the cluster's identity for the platform contract", () => {
        expect(prod.outputs).to.include({ clusterName: "prod-eks", argocdNamespace: "argocd" });
        expect(prod.outputs.clusterEndpoint).to.match(/^https:\/\/[A-F0-9]+\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
        expect(prod.outputs.clusterOidcIssuer).to.match(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
        expect(Buffer.from(String(prod.outputs.clusterCertificateAuthority), "base64").toString()).to.match(/^-----BEGIN CERTIFICATE-----/);
    });

    it("sends every control-plane log type", () => {
        expect(prod.input(prod.one(EKS), "enabledClusterLogTypes")).to.have.members([...CONTROL_PLANE_LOG_TYPES]);
        expect(CONTROL_PLANE_LOG_TYPES).to.have.members(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    });

    it("authenticates through the API with no default node group and no self-managed add-ons", () => {
        expect(prod.one(EKS).inputs).to.include({
            authenticationMode: "API",
            skipDefaultNodeGroup: true,
            bootstrapSelfManagedAddons: false,
            name: "prod-eks",
            version: "1.33",
        });
    });

    it("turns cluster-creator admin off on the aws:eks/cluster:Cluster inside the component", () => {
        const result = disableClusterCreatorAdmin({
            type: "aws:eks/cluster:Cluster",
            name: "prod-eks-eksCluster",
            custom: true,
            props: { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true }, name: "prod-eks" },
            opts: {},
        });
        expect(result).to.deep.include({
            props: { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false }, name: "prod-eks" },
        });
        const other = disableClusterCreatorAdmin({ type: "aws:iam/role:Role", name: "r", custom: true, props: {}, opts: {} });
        expect(other).to.equal(undefined);
    });

    it("opens the API on 443 to the mgmt VPC CIDR and nothing else", () => {
        const rules = prod.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rules).to.have.length(1);
        expect(rules[0].inputs).to.include({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: VPC_CIDRS.mgmt });
        expect(rules[0].inputs.securityGroupId).to.equal(prod.outputs.clusterSecurityGroupId);
    });

    describe("access entries", () => {
        const entries = (inventory: Inventory) =>
            inventory.input<
                Record<
                    string,
                    {
                        principalArn: string;
                        kubernetesGroups?: string[];
                        username?: string;
                        accessPolicies: Record<string, { accessScope: { type: string; namespaces?: string[] } }>;
                    }
                >
            >(inventory.one(EKS), "accessEntries");

        it("gives platform admins and the deploy role cluster-admin", () => {
            const all = entries(prod);
            const admins = Object.values(all).filter((e) => "AmazonEKSClusterAdminPolicy" in e.accessPolicies);
            expect(admins.map((e) => e.principalArn)).to.have.members([
                "arn:aws:iam::444444444444:role/PlatformAdmin",
                "arn:aws:iam::444444444444:role/prod-deployment",
            ]);
            admins.forEach((e) => expect(e.accessPolicies.AmazonEKSClusterAdminPolicy.accessScope.type).to.equal("cluster"));
        });

        it("gives developers view in non-prod and nothing in prod (only the env's preview CI role views prod)", () => {
            const viewers = (inventory: Inventory) =>
                Object.values(entries(inventory)).filter((e) => "AmazonEKSViewPolicy" in e.accessPolicies);
            const ciPreview = (env: string) => `arn:aws:iam::111111111111:role/mgmt-ci-preview-${env}`;
            expect(viewers(test).map((e) => e.principalArn)).to.have.members([
                "arn:aws:iam::222222222222:role/Developer",
                ciPreview("test"),
            ]);
            expect(viewers(prod).map((e) => e.principalArn)).to.deep.equal([ciPreview("prod")]);
        });

        it("maps each CI role of the env to its own entry: deploy edits the env's namespaces, preview views, PR edits only pr-* (test)", () => {
            const ci = (name: string) =>
                Object.values(entries(test)).find((e) => e.principalArn === `arn:aws:iam::111111111111:role/${name}`)!;
            expect(ci("mgmt-ci-deploy-test").accessPolicies.AmazonEKSEditPolicy.accessScope).to.deep.equal({
                type: "namespace",
                namespaces: ["payments"],
            });
            expect(ci("mgmt-ci-deploy-test").kubernetesGroups).to.deep.equal(["payments:namespace-managers"]);
            expect(Object.keys(ci("mgmt-ci-preview-test").accessPolicies)).to.deep.equal(["AmazonEKSViewPolicy"]);
            expect(ci("mgmt-ci-pr")).to.deep.include({
                kubernetesGroups: ["payments:namespace-managers", "payments:pr-deployers"],
                username: "payments:ci-pr",
            });
            expect(ci("mgmt-ci-pr").accessPolicies.AmazonEKSEditPolicy.accessScope).to.deep.equal({
                type: "namespace",
                namespaces: ["pr-*"],
            });
            expect(Object.values(entries(prod)).map((e) => e.principalArn)).to.not.include("arn:aws:iam::111111111111:role/mgmt-ci-pr");
            expect(Object.values(entries(prod)).map((e) => e.principalArn)).to.not.include(
                "arn:aws:iam::111111111111:role/mgmt-ci-deploy-test",
            );
        });

        it("hands out a secret kubeconfig that authenticates as the caller, assuming no role", async () => {
            expect(prod.outputs.kubeconfig).to.equal("[secret]");
            const kubeconfig = callerKubeconfig({
                clusterName: "prod-eks",
                clusterArn: "arn:aws:eks:us-east-1:444444444444:cluster/prod-eks",
                endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
                certificateAuthority: "Q0E=",
            });
            const parsed = JSON.parse(await new Promise<string>((resolve) => kubeconfig.apply(resolve)));
            expect(parsed.clusters[0].cluster).to.deep.equal({
                server: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
                "certificate-authority-data": "Q0E=",
            });
            const args: string[] = parsed.users[0].user.exec.args;
            expect(args).to.not.include("--role-arn");
            expect(args).to.include.members(["--region", "us-east-1", "--cluster-name", "prod-eks"]);
        });
    });

    it("installs the pinned managed add-ons, vpc-cni with network policy", () => {
        const addons = prod.ofType("aws:eks/addon:Addon");
        const versions = Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
        expect(versions).to.deep.equal(KUBERNETES_RELEASES["1.33"].addons);
        const cni = addons.find((a) => a.inputs.addonName === "vpc-cni")!;
        expect(JSON.parse(cni.inputs.configurationValues as string)).to.deep.equal({ enableNetworkPolicy: "true" });
    });

    it("gives vpc-cni and the EBS CSI driver their own Pod Identity roles", () => {
        for (const [addonName, serviceAccount] of [
            ["vpc-cni", "aws-node"],
            ["aws-ebs-csi-driver", "ebs-csi-controller-sa"],
        ]) {
            const addon = prod.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === addonName)!;
            const [association] = prod.input<{ roleArn: string; serviceAccount: string }[]>(addon, "podIdentityAssociations");
            expect(association.serviceAccount).to.equal(serviceAccount);
            const role = prod.ofType("aws:iam/role:Role").find((r) => association.roleArn.endsWith(`:role/${r.inputs.name}`))!;
            expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({
                Service: "pods.eks.amazonaws.com",
            });
        }
    });

    it("orders add-ons: Pod Identity agent, then CNI, then nodes, then what schedules on nodes", () => {
        const addon = (name: string) => prod.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === name)!;
        const nodeGroupUrns = prod.ofType("aws:eks/nodeGroup:NodeGroup").map((g) => g.urn);
        expect(addon("coredns").dependencies).to.include.members(nodeGroupUrns);
        expect(addon("aws-ebs-csi-driver").dependencies).to.include.members(nodeGroupUrns);
        for (const name of ["vpc-cni", "aws-ebs-csi-driver"]) {
            expect(addon(name).dependencies, name).to.include(addon("eks-pod-identity-agent").urn);
        }
        for (const group of prod.ofType("aws:eks/nodeGroup:NodeGroup")) {
            expect(group.dependencies).to.include.members([addon("vpc-cni").urn, addon("kube-proxy").urn]);
        }
    });

    it("opens the mgmt endpoint only for a configured bootstrap run", async () => {
        const cidrs = ["203.0.113.10/32"];
        const mgmt = await synthesizeCluster("mgmt", { config: { ...clusterConfigFor("mgmt"), bootstrapPublicAccessCidrs: cidrs } });
        expect(mgmt.one(EKS).inputs).to.deep.include({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: cidrs });
        // The person running the bootstrap is told to close it again.
        expect(mgmt.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).to.satisfy((messages: string[]) =>
            messages.some(
                (m) => m.includes("public endpoint is open to 203.0.113.10/32") && m.includes("bootstrapPublicAccessCidrs to []"),
            ),
        );
        const env = await synthesizeCluster("preprod", { config: { ...clusterConfigFor("preprod"), bootstrapPublicAccessCidrs: cidrs } });
        expect(env.one(EKS).inputs).to.include({ endpointPublicAccess: false });
        expect(env.diagnostics).to.deep.equal([]);
    });
});

import { expect } from "chai";
import { runnerEgressPolicy, runnerScaleSetName, TRUST_LEVELS } from "../../../platform/cluster/ci-runners";
import { CHARTS } from "../../../platform/cluster/versions";
import { Inventory } from "../../harness";
import { synthesizePlatform } from "../fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("platform/mgmt CI runners (Actions Runner Controller)", function () {
    this.timeout(120_000);
    let mgmt: Inventory;
    const release = (name: string) => mgmt.ofType(RELEASE).find((r) => mgmt.input(r, "name") === name)!;

    before(async () => {
        mgmt = await synthesizePlatform("mgmt");
    });

    it("installs the controller and one scale set per trust level, at the same pinned chart version", () => {
        const controller = release("arc");
        expect(mgmt.input(controller, "chart")).to.equal(
            "oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set-controller",
        );
        expect(mgmt.input(controller, "version")).to.equal(CHARTS.arcController.version);
        expect(CHARTS.arcRunnerScaleSet.version).to.equal(CHARTS.arcController.version);
        for (const level of TRUST_LEVELS) {
            const scaleSet = release(runnerScaleSetName(level));
            expect(mgmt.input(scaleSet, "chart"), level).to.equal(
                "oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set",
            );
            expect(mgmt.input(scaleSet, "namespace"), level).to.equal(`arc-runners-${level}`);
            expect(mgmt.input(scaleSet, "values.runnerScaleSetName"), level).to.equal(`payments-${level}`);
            expect(mgmt.input(scaleSet, "values.githubConfigSecret"), level).to.equal("github-app");
            expect(scaleSet.dependencies, level).to.include(controller.urn);
        }
    });

    it("runs ephemeral pods with no Kubernetes token and no AWS identity of their own", () => {
        for (const level of TRUST_LEVELS) {
            const values = mgmt.input<{
                template: { spec: { automountServiceAccountToken: boolean; serviceAccountName?: string } };
                minRunners: number;
            }>(release(runnerScaleSetName(level)), "values");
            expect(values.template.spec.automountServiceAccountToken, level).to.equal(false);
            expect(values.minRunners, level).to.equal(0);
        }
        const associations = mgmt
            .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
            .map((a) => mgmt.input<string>(a, "namespace"));
        expect(associations.filter((namespace) => namespace.startsWith("arc-"))).to.deep.equal([]);
    });

    it("limits each runner namespace's egress to DNS and HTTPS, never the instance metadata service", () => {
        const policies = mgmt
            .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .filter((p) => String(mgmt.input(p, "metadata.namespace")).startsWith("arc-runners-"));
        expect(policies.map((p) => mgmt.input(p, "metadata.namespace")).sort()).to.deep.equal(
            TRUST_LEVELS.map((level) => `arc-runners-${level}`).sort(),
        );
        const egress = runnerEgressPolicy("arc-runners-pr").spec as {
            policyTypes: string[];
            egress: { to: { ipBlock?: { cidr: string; except: string[] } }[]; ports: { port: number }[] }[];
        };
        expect(egress.policyTypes).to.include("Egress");
        expect(egress.egress.flatMap((rule) => rule.ports.map((p) => p.port)).sort()).to.deep.equal([443, 53, 53].sort());
        const https = egress.egress.find((rule) => rule.ports.some((p) => p.port === 443))!;
        expect(https.to[0].ipBlock).to.deep.equal({ cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] });
    });
});

import { expect } from "chai";
import { VPC_CIDRS } from "../../lib/environments";
import { ALB_SSL_POLICY } from "../../platform/edge/load-balancer";
import { Inventory } from "../harness";
import { synthesizePlatform, within } from "./fixtures";

describe("platform hub ingress (Argo CD)", () => {
    let hub: Inventory;
    let ingress: Inventory;
    before(async () => {
        hub = await synthesizePlatform("mgmt");
        ingress = within(hub, "payments:platform:HubIngress");
    });

    it("is one internal ALB in the private subnets, admitting only the mgmt VPC (the VPN router) on 80/443", () => {
        const lb = ingress.one("aws:lb/loadBalancer:LoadBalancer");
        expect(lb.inputs.internal).to.equal(true);
        expect(hub.ofType("aws:lb/loadBalancer:LoadBalancer")).to.have.length(1);
        const group = ingress.one("aws:ec2/securityGroup:SecurityGroup");
        for (const rule of group.inputs.ingress as { fromPort: number; cidrBlocks: string[] }[]) {
            expect([80, 443]).to.include(rule.fromPort);
            expect(rule.cidrBlocks).to.deep.equal([VPC_CIDRS.mgmt]);
        }
    });

    it("serves argocd-server over TLS under its private-zone name, re-encrypting to the pods' TLS port", () => {
        const https = ingress.ofType("aws:lb/listener:Listener").find((l) => l.inputs.port === 443)!;
        expect(https.inputs.sslPolicy).to.equal(ALB_SSL_POLICY);
        const group = ingress.one("aws:lb/targetGroup:TargetGroup");
        expect(group.inputs).to.include({ name: "mgmt-argocd-server", protocol: "HTTPS", port: 8080, targetType: "ip" });
        const rule = ingress.one("aws:lb/listenerRule:ListenerRule");
        expect(rule.inputs.conditions).to.deep.equal([{ hostHeader: { values: ["argocd.internal.mgmt.payments.example.com"] } }]);
        const record = ingress.one("aws:route53/record:Record");
        expect(record.inputs.name).to.equal("argocd.internal.mgmt.payments.example.com");
        const zone = hub.ofType("aws:route53/zone:Zone").find((z) => z.id === record.inputs.zoneId)!;
        expect(zone.inputs.name).to.equal("internal.mgmt.payments.example.com");
    });

    it("admits the ALB to the cluster's pods on the server port only", () => {
        const rules = hub
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => /mgmt-alb-internal-to-pods/.test(r.name));
        expect(rules.map((r) => r.inputs.fromPort)).to.deep.equal([8080]);
    });
});

import { expect } from "chai";
import { VPC_CIDRS } from "../../lib/environments";
import { Inventory } from "../harness";
import { synthesizePlatform, within } from "./fixtures";

describe("platform VPN router (mgmt)", () => {
    let mgmt: Inventory;
    before(async () => {
        mgmt = within(await synthesizePlatform("mgmt"), "payments:platform:VpnRouter");
    });

    const template = () => mgmt.one("aws:ec2/launchTemplate:LaunchTemplate");

    it("requires IMDSv2 with a hop limit of 1", () => {
        expect(mgmt.input(template(), "metadataOptions")).to.deep.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    });

    it("runs in the mgmt private subnets without a public address or any inbound rule", () => {
        expect(mgmt.input(template(), "networkInterfaces[0].associatePublicIpAddress")).to.equal("false");
        expect(mgmt.one("aws:autoscaling/group:Group").inputs.vpcZoneIdentifiers).to.deep.equal(mgmt.outputs.privateSubnetIds);
        expect(mgmt.one("aws:ec2/securityGroup:SecurityGroup", "mgmt-vpn-router").inputs.ingress).to.deep.equal([]);
    });

    it("is reached through SSM, not SSH", () => {
        const attachment = mgmt.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "mgmt-vpn-router-ssm");
        expect(attachment.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        expect(mgmt.input(template(), "keyName")).to.equal(undefined);
    });

    it("keeps the auth key in Secrets Manager, from the stack's secret config, readable only by the router", () => {
        const version = mgmt.one("aws:secretsmanager/secretVersion:SecretVersion");
        expect(version.inputs.secretString).to.equal("[secret]");
        const secret = mgmt.one("aws:secretsmanager/secret:Secret");
        const policy = JSON.parse(String(mgmt.one("aws:iam/rolePolicy:RolePolicy", "mgmt-vpn-router-auth-key").inputs.policy));
        const read = policy.Statement.find((s: { Sid: string }) => s.Sid === "ReadAuthKey");
        expect(read.Resource).to.match(/^arn:aws:secretsmanager:us-east-1:111111111111:secret:mgmt-tailscale-auth-key/);
        expect(mgmt.dependenciesOf(version).map((r) => r.urn)).to.include(secret.urn);
    });

    it("advertises every VPC CIDR to the tailnet", () => {
        const script = Buffer.from(String(template().inputs.userData), "base64").toString("utf8");
        expect(script).to.contain(`--advertise-routes=${Object.values(VPC_CIDRS).join(",")}`);
        expect(script).to.contain("aws secretsmanager get-secret-value");
        expect(script).not.to.contain("offline-secret");
    });
});

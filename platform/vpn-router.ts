import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { partitionOf } from "../lib/arn";
import { serviceTrustPolicy } from "../lib/aws";

/** Graviton families (t4g, m7g, c7gn, ...) need the arm64 image. */
function architectureOf(instanceType: string): "arm64" | "x86_64" {
    return /^[a-z]+[0-9]+g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

export interface VpnRouterArgs {
    namer: Namer;
    region: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets: the router has no public address and leaves through NAT. */
    subnetIds: pulumi.Input<string[]>;
    /** The VPC CIDRs staff reach through the tailnet. */
    advertisedCidrs: string[];
    instanceType: string;
    authKey: pulumi.Input<string>;
    /** Encrypts the auth key secret. */
    kmsKey: aws.kms.Key;
    /** Launch-template and ASG tags: provider defaultTags reach neither the instances nor the group. */
    tags: Record<string, string>;
}

/**
 * The staff entry point: a Tailscale subnet router in the mgmt private subnets, kept at exactly
 * one instance by an Auto Scaling group. Operators reach the host through SSM Session Manager
 * (no SSH, no inbound rule); the auth key lives in Secrets Manager and is read at boot.
 * Tailscale source-NATs forwarded traffic to the router's own address, so env security groups
 * admit the mgmt VPC CIDR rather than the tailnet range.
 */
export class VpnRouter extends pulumi.ComponentResource {
    readonly securityGroupId: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly authKeySecretArn: pulumi.Output<string>;

    constructor(name: string, args: VpnRouterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:VpnRouter", name, {}, opts);
        const { namer } = args;
        const partition = partitionOf(args.region);

        const secret = new aws.secretsmanager.Secret(
            namer.name("tailscale-auth-key"),
            {
                name: namer.name("tailscale-auth-key", { kind: "secret" }),
                description: "Tailscale auth key of the mgmt subnet router",
                kmsKeyId: args.kmsKey.arn,
                recoveryWindowInDays: 7,
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            namer.name("tailscale-auth-key"),
            { secretId: secret.id, secretString: args.authKey },
            { parent: this },
        );
        this.authKeySecretArn = secret.arn;

        const role = new aws.iam.Role(
            namer.name("vpn-router"),
            { name: namer.name("vpn-router", { kind: "iamRole" }), assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") },
            { parent: this },
        );
        this.roleArn = role.arn;
        new aws.iam.RolePolicyAttachment(
            namer.name("vpn-router-ssm"),
            { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            namer.name("vpn-router-auth-key"),
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "ReadAuthKey", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret.arn },
                        {
                            Sid: "DecryptAuthKey",
                            Effect: "Allow",
                            Action: "kms:Decrypt",
                            Resource: args.kmsKey.arn,
                            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(
            namer.name("vpn-router"),
            { name: namer.name("vpn-router", { kind: "iamRole" }), role: role.name },
            { parent: this },
        );

        // No inbound rule: WireGuard sessions are set up outbound (direct UDP or DERP over 443).
        const securityGroup = new aws.ec2.SecurityGroup(
            namer.name("vpn-router"),
            {
                name: namer.name("vpn-router"),
                description: "Tailscale subnet router: outbound only",
                vpcId: args.vpcId,
                ingress: [],
                egress: [
                    {
                        description: "Tailscale control, DERP, packages, and forwarded HTTPS",
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                    {
                        description: "WireGuard direct connections",
                        protocol: "udp",
                        fromPort: 41641,
                        toPort: 41641,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                    { description: "STUN for NAT traversal", protocol: "udp", fromPort: 3478, toPort: 3478, cidrBlocks: ["0.0.0.0/0"] },
                ],
            },
            { parent: this },
        );
        this.securityGroupId = securityGroup.id;

        const userData = pulumi.interpolate`#!/bin/bash
set -euo pipefail
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/99-tailscale.conf
sysctl -p /etc/sysctl.d/99-tailscale.conf
dnf config-manager --add-repo https://pkgs.tailscale.com/stable/amazon-linux/2023/tailscale.repo
dnf install -y tailscale
systemctl enable --now tailscaled
AUTH_KEY="$(aws secretsmanager get-secret-value --region ${args.region} --secret-id ${secret.arn} --query SecretString --output text)"
TOKEN="$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
INSTANCE_ID="$(curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)"
tailscale up --auth-key="$AUTH_KEY" --hostname="${namer.name("vpn-router")}-$INSTANCE_ID" --advertise-routes=${args.advertisedCidrs.join(",")} --accept-dns=false
`;
        const launchTemplate = new aws.ec2.LaunchTemplate(
            namer.name("vpn-router"),
            {
                name: namer.name("vpn-router"),
                description: "Tailscale subnet router",
                imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(args.instanceType)}`,
                instanceType: args.instanceType,
                iamInstanceProfile: { arn: profile.arn },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                networkInterfaces: [
                    { deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [securityGroup.id] },
                ],
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 20, encrypted: "true", deleteOnTermination: "true" } },
                ],
                monitoring: { enabled: true },
                userData: userData.apply((script) => Buffer.from(script).toString("base64")),
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags: { ...args.tags, Name: namer.name("vpn-router") },
                })),
                updateDefaultVersion: true,
            },
            { parent: this },
        );
        new aws.autoscaling.Group(
            namer.name("vpn-router"),
            {
                name: namer.name("vpn-router"),
                minSize: 1,
                maxSize: 1,
                desiredCapacity: 1,
                vpcZoneIdentifiers: args.subnetIds,
                healthCheckType: "EC2",
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
                tags: Object.entries(args.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
            },
            { parent: this },
        );
        this.registerOutputs({ securityGroupId: this.securityGroupId });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext } from "../../lib/aws";
import { Namer } from "../../lib/naming";
import { ARGOCD_SERVER_TARGET } from "../cluster/argocd";
import { DnsZones } from "./dns";
import { accessLogBucket, albLogDeliveryStatement, ApplicationLoadBalancer } from "./load-balancer";

export interface HubIngressArgs {
    namer: Namer;
    context: AccountContext;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    privateSubnetIds: pulumi.Input<string[]>;
    zones: DnsZones;
    /** argocd-server's name in the private zone (platform:cluster.argocd.hostname). */
    argocdHostname: string;
    /** Who may connect: the mgmt VPC, where the VPN router forwards staff's traffic from. */
    ingressCidrs: string[];
    accessLogRetentionDays: number;
    protect: boolean;
}

/**
 * The hub's only ingress: an internal ALB in the mgmt VPC's private subnets, reachable only over
 * the VPN, serving the Argo CD UI and SSO login (argocd-server) under its private-zone name with
 * the zone's certificate. No public ALB, no CloudFront: mgmt serves staff only.
 */
export class HubIngress extends pulumi.ComponentResource {
    readonly alb: ApplicationLoadBalancer;

    constructor(name: string, args: HubIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:HubIngress", name, {}, opts);
        const { namer } = args;
        const parent = { parent: this };
        const logs = accessLogBucket(
            namer,
            "ingress-logs",
            { accountId: args.context.accountId, retentionDays: args.accessLogRetentionDays, protect: args.protect },
            this,
        );
        const logPolicy = logs.attachPolicy((bucketArn) => [
            albLogDeliveryStatement(bucketArn, args.context.accountId, args.context.region),
        ]);
        this.alb = new ApplicationLoadBalancer(
            namer.name("alb", { suffix: "internal" }),
            {
                namer,
                scheme: "internal",
                vpcId: args.vpcId,
                vpcCidr: args.vpcCidr,
                subnetIds: args.privateSubnetIds,
                ingressCidrs: args.ingressCidrs,
                certificateArn: args.zones.albCertificateArn,
                deletionProtection: args.protect,
                accessLogBucket: logs.bucket.id,
                defaultResponse: { statusCode: "404", message: "Not found" },
                targets: [ARGOCD_SERVER_TARGET],
                routes: [
                    {
                        service: ARGOCD_SERVER_TARGET.service,
                        priority: 10,
                        conditions: [{ hostHeader: { values: [args.argocdHostname] } }],
                    },
                ],
            },
            { parent: this, dependsOn: [logPolicy] },
        );
        new aws.route53.Record(
            namer.name("dns-argocd"),
            {
                zoneId: args.zones.privateZone.zoneId,
                name: args.argocdHostname,
                type: "A",
                aliases: [{ name: this.alb.loadBalancer.dnsName, zoneId: this.alb.loadBalancer.zoneId, evaluateTargetHealth: false }],
            },
            parent,
        );
        this.registerOutputs({ loadBalancerArn: this.alb.loadBalancer.arn });
    }
}

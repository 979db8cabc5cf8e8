import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { partitionOf } from "../../lib/arn";
import { AccountContext } from "../../lib/aws";
import { DnsConfig, EdgeConfig } from "../config";
import { SecureBucket } from "../../lib/secure-bucket";
import { statefulOptions } from "../../lib/stateful";
import { ALB_ORIGIN_HOST, API_PATH } from "../outputs";
import { Cdn, ORIGIN_VERIFY_HEADER } from "./cdn";
import { DnsZones } from "./dns";
import { ApplicationLoadBalancer } from "./load-balancer";
import { WebAclLogging, createWebAcl } from "./waf";

/**
 * Regions older than August 2022 deliver ALB access logs from an ELB-owned account; newer ones
 * from the log-delivery service principal (Elastic Load Balancing user guide, "Enable access logs").
 */
const ELB_LOG_ACCOUNTS: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-central-1": "054676820928",
};

/** Host names under the env's domains. */
export const ADMIN_HOST = "admin";

export interface EdgeArgs {
    namer: Namer;
    context: AccountContext;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    publicSubnetIds: pulumi.Input<string[]>;
    privateSubnetIds: pulumi.Input<string[]>;
    dns: DnsConfig;
    zones: DnsZones;
    edge: EdgeConfig;
    /** Sources allowed on the internal ALB: the mgmt VPC (VPN router, Argo CD) and configured VPN ranges. */
    internalIngressCidrs: string[];
    /** CLOUDFRONT-scope WAF lives in us-east-1. */
    usEast1Provider: aws.Provider;
    /** Prod: the buckets are protected and retained; elsewhere they are emptied on destroy. */
    protect: boolean;
    /** Where the web ACLs log. */
    wafLogging: WebAclLogging;
}

/**
 * The env's ingress: CloudFront (WAF, TLS 1.2+, HSTS) in front of a public ALB that answers only
 * requests carrying CloudFront's secret header, and an internal ALB reachable only over the VPN
 * and the Transit Gateway. Services attach pods to the target groups with TargetGroupBinding.
 */
export class Edge extends pulumi.ComponentResource {
    readonly publicAlb: ApplicationLoadBalancer;
    readonly internalAlb: ApplicationLoadBalancer;
    readonly cdn: Cdn;
    readonly publicWebAcl: aws.wafv2.WebAcl;
    readonly cloudfrontWebAcl: aws.wafv2.WebAcl;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:Edge", name, {}, opts);
        const { namer, dns, edge } = args;
        const parent = { parent: this };

        // SSE-S3 and ACLs available: the only settings ALB access logs and CloudFront standard logs can write to.
        const logs = new SecureBucket(
            namer.name("edge-logs"),
            {
                bucketName: namer.name("edge-logs", { kind: "s3Bucket" }),
                objectOwnership: "BucketOwnerPreferred",
                versioning: false,
                lifecycleRules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: edge.accessLogRetentionDays } }],
                forceDestroy: !args.protect,
                deferPolicy: true,
            },
            statefulOptions(args.protect, parent),
        );
        const partition = partitionOf(args.context.region);
        const elbAccount = ELB_LOG_ACCOUNTS[args.context.region];
        const logPolicy = logs.attachPolicy((bucketArn) => [
            {
                Sid: "AlbAccessLogDelivery",
                Effect: "Allow",
                Principal: elbAccount
                    ? { AWS: `arn:${partition}:iam::${elbAccount}:root` }
                    : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucketArn}/alb-*/AWSLogs/${args.context.accountId}/*`,
            } as pulumi.Input<aws.iam.PolicyStatement>,
        ]);

        const { zones } = args;
        if (zones.cloudfrontCertificateArn === undefined) {
            throw new Error("Edge needs DnsZones created with a CloudFront certificate");
        }
        this.publicWebAcl = createWebAcl(namer.name("waf", { suffix: "regional", kind: "wafAcl" }), { scope: "REGIONAL", rateLimit: edge.wafRateLimit, description: `${namer.env} public ALB`, logging: args.wafLogging }, parent);
        this.cloudfrontWebAcl = createWebAcl(
            namer.name("waf", { suffix: "cloudfront", kind: "wafAcl" }),
            { scope: "CLOUDFRONT", rateLimit: edge.wafRateLimit, description: `${namer.env} CloudFront`, logging: args.wafLogging },
            { parent: this, provider: args.usEast1Provider },
        );

        const originVerified = { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [edge.originVerifySecret] } };
        const albBase = { namer, vpcId: args.vpcId, vpcCidr: args.vpcCidr, certificateArn: zones.albCertificateArn, deletionProtection: edge.albDeletionProtection, accessLogBucket: logs.bucket.id };
        this.publicAlb = new ApplicationLoadBalancer(
            namer.name("alb", { suffix: "public" }),
            {
                ...albBase,
                scheme: "public",
                subnetIds: args.publicSubnetIds,
                ingressCidrs: ["0.0.0.0/0"],
                defaultResponse: { statusCode: "403", message: "Forbidden" },
                routes: [
                    { service: "payments-api", priority: 10, conditions: [originVerified, { pathPattern: { values: [API_PATH] } }] },
                    { service: "payments-web", priority: 20, conditions: [originVerified] },
                ],
                webAclArn: this.publicWebAcl.arn,
            },
            { parent: this, dependsOn: [logPolicy] },
        );
        this.internalAlb = new ApplicationLoadBalancer(
            namer.name("alb", { suffix: "internal" }),
            {
                ...albBase,
                scheme: "internal",
                subnetIds: args.privateSubnetIds,
                ingressCidrs: args.internalIngressCidrs,
                defaultResponse: { statusCode: "404", message: "Not found" },
                routes: [{ service: "admin-web", priority: 10, conditions: [{ hostHeader: { values: [`${ADMIN_HOST}.${dns.privateZoneName}`] } }] }],
            },
            { parent: this, dependsOn: [logPolicy] },
        );

        const originDomainName = `${ALB_ORIGIN_HOST}.${dns.domainName}`;
        this.alias(namer.name("dns-origin"), zones.publicZone, originDomainName, "A", this.publicAlb.loadBalancer.dnsName, this.publicAlb.loadBalancer.zoneId);
        this.alias(
            namer.name("dns-admin"),
            zones.privateZone,
            `${ADMIN_HOST}.${dns.privateZoneName}`,
            "A",
            this.internalAlb.loadBalancer.dnsName,
            this.internalAlb.loadBalancer.zoneId,
        );

        this.cdn = new Cdn(
            namer.name("cdn"),
            {
                namer,
                domainName: dns.domainName,
                certificateArn: zones.cloudfrontCertificateArn,
                albOriginDomainName: originDomainName,
                originVerifySecret: edge.originVerifySecret,
                webAclArn: this.cloudfrontWebAcl.arn,
                priceClass: edge.cloudfrontPriceClass,
                logBucketDomainName: logs.bucket.bucketDomainName,
                protect: args.protect,
            },
            // CloudFront grants itself log delivery through the bucket ACL, which needs the ownership controls in place.
            { parent: this, dependsOn: [logs] },
        );
        for (const type of ["A", "AAAA"] as const) {
            this.alias(namer.name("dns-apex", { suffix: type.toLowerCase() }), zones.publicZone, dns.domainName, type, this.cdn.distribution.domainName, this.cdn.distribution.hostedZoneId);
        }
        this.registerOutputs({});
    }

    private alias(name: string, zone: aws.route53.Zone, recordName: string, type: "A" | "AAAA", target: pulumi.Input<string>, targetZoneId: pulumi.Input<string>): void {
        new aws.route53.Record(name, { zoneId: zone.zoneId, name: recordName, type, aliases: [{ name: target, zoneId: targetZoneId, evaluateTargetHealth: false }] }, { parent: this });
    }
}

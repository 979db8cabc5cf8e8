import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { partitionOf } from "../../lib/arn";
import { AccountContext } from "../../lib/aws";
import { ALB_ORIGIN_HOST, API_PATH, PR_GATEWAY } from "../outputs";
import { Cdn, CLOUDFRONT_LOG_PREFIX, ORIGIN_VERIFY_HEADER, type CloudFrontPriceClass } from "./cdn";
import { DnsZones, type DnsSettings } from "./dns";
import { pullRequestHostPattern } from "../cluster/addons/pr-gateway";
import { accessLogBucket, AlbRoute, albLogDeliveryStatement, ApplicationLoadBalancer, ServiceTarget } from "./load-balancer";
import { WebAclLogging, createWebAcl } from "./waf";

/** The public ingress edge: workload environments (test, preprod, prod) only. */
export interface EdgeSettings {
    /** Requests per IP per 5 minutes before the WAF rate rule blocks. */
    wafRateLimit: number;
    albDeletionProtection: boolean;
    /** Days the ALB and CloudFront access logs are kept. */
    accessLogRetentionDays: number;
    cloudfrontPriceClass: CloudFrontPriceClass;
    /** Value of the header CloudFront adds to origin requests and the public ALB requires. */
    originVerifySecret: pulumi.Output<string>;
    /** Sources, besides the mgmt VPC, allowed on the internal ALB (e.g. the tailnet range if router SNAT is off). */
    allowedVpnCidrs: string[];
}

/** Host names under the env's domains. */
export const ADMIN_HOST = "admin";

export interface EdgeArgs {
    namer: Namer;
    context: AccountContext;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    publicSubnetIds: pulumi.Input<string[]>;
    privateSubnetIds: pulumi.Input<string[]>;
    dns: DnsSettings;
    zones: DnsZones;
    edge: EdgeSettings;
    /** Sources allowed on the internal ALB: the mgmt VPC (VPN router, Argo CD) and configured VPN ranges. */
    internalIngressCidrs: string[];
    /** CLOUDFRONT-scope WAF lives in us-east-1. */
    usEast1Provider: aws.Provider;
    /** Prod: the buckets are protected and retained; elsewhere they are emptied on destroy. */
    protect: boolean;
    /** Where the web ACLs log. */
    wafLogging: WebAclLogging;
    /** The env hosts PR environments: `pr-*.<domain>` goes to the PR gateway through one rule and one target group. */
    pullRequests: boolean;
}

/** The PR gateway's target on the public ALB (its proxies answer readiness on their own port). */
export const PR_GATEWAY_TARGET: ServiceTarget = {
    service: "pr-gateway",
    scheme: "public",
    port: PR_GATEWAY.port,
    healthCheckPath: PR_GATEWAY.readinessPath,
    healthCheckPort: PR_GATEWAY.readinessPort,
};

/** After the CloudFront-only rules: PR hosts reach the ALB directly, without CloudFront's header. */
const PR_GATEWAY_RULE_PRIORITY = 30;

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
    /** Every service's target group ARN on either ALB, by service name (what workloads bind to). */
    readonly targetGroupArns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:Edge", name, {}, opts);
        const { namer, dns, edge } = args;
        const parent = { parent: this };

        // ACLs stay off: CloudFront delivers through CloudWatch log delivery (a bucket-policy grant), not the legacy ACL-based logging.
        const logs = accessLogBucket(
            namer,
            "edge-logs",
            { accountId: args.context.accountId, retentionDays: edge.accessLogRetentionDays, protect: args.protect },
            this,
        );
        const partition = partitionOf(args.context.region);
        const logPolicy = logs.attachPolicy((bucketArn) => [
            albLogDeliveryStatement(bucketArn, args.context.accountId, args.context.region),
            {
                Sid: "CloudFrontLogDelivery",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucketArn}/${CLOUDFRONT_LOG_PREFIX}/AWSLogs/${args.context.accountId}/*`,
                Condition: {
                    StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": args.context.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${partition}:logs:us-east-1:${args.context.accountId}:delivery-source:*` },
                },
            } as pulumi.Input<aws.iam.PolicyStatement>,
        ]);

        const { zones } = args;
        if (zones.cloudfrontCertificateArn === undefined) {
            throw new Error("Edge needs DnsZones created with a CloudFront certificate");
        }
        this.publicWebAcl = createWebAcl(
            namer.name("waf", { suffix: "regional", kind: "wafAcl" }),
            { scope: "REGIONAL", rateLimit: edge.wafRateLimit, description: `${namer.env} public ALB`, logging: args.wafLogging },
            parent,
        );
        this.cloudfrontWebAcl = createWebAcl(
            namer.name("waf", { suffix: "cloudfront", kind: "wafAcl" }),
            { scope: "CLOUDFRONT", rateLimit: edge.wafRateLimit, description: `${namer.env} CloudFront`, logging: args.wafLogging },
            { parent: this, provider: args.usEast1Provider },
        );

        const originVerified = { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [edge.originVerifySecret] } };
        const albBase = {
            namer,
            vpcId: args.vpcId,
            vpcCidr: args.vpcCidr,
            certificateArn: zones.albCertificateArn,
            deletionProtection: edge.albDeletionProtection,
            accessLogBucket: logs.bucket.id,
        };
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
                    ...(args.pullRequests ? [pullRequestRoute(dns.domainName)] : []),
                ],
                extraTargets: args.pullRequests ? [PR_GATEWAY_TARGET] : [],
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
                routes: [
                    {
                        service: "admin-web",
                        priority: 10,
                        conditions: [{ hostHeader: { values: [`${ADMIN_HOST}.${dns.privateZoneName}`] } }],
                    },
                ],
            },
            { parent: this, dependsOn: [logPolicy] },
        );

        const originDomainName = `${ALB_ORIGIN_HOST}.${dns.domainName}`;
        this.alias(
            namer.name("dns-origin"),
            zones.publicZone,
            originDomainName,
            "A",
            this.publicAlb.loadBalancer.dnsName,
            this.publicAlb.loadBalancer.zoneId,
        );
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
                accountId: args.context.accountId,
                logBucketArn: logs.bucket.arn,
                usEast1Provider: args.usEast1Provider,
                protect: args.protect,
            },
            // Log delivery checks the bucket policy when the delivery is created.
            { parent: this, dependsOn: [logPolicy] },
        );
        for (const type of ["A", "AAAA"] as const) {
            this.alias(
                namer.name("dns-apex", { suffix: type.toLowerCase() }),
                zones.publicZone,
                dns.domainName,
                type,
                this.cdn.distribution.domainName,
                this.cdn.distribution.hostedZoneId,
            );
        }
        this.targetGroupArns = pulumi
            .all(
                Object.entries({ ...this.publicAlb.targetGroups, ...this.internalAlb.targetGroups }).map(([service, group]) =>
                    group.arn.apply((arn) => [service, arn] as const),
                ),
            )
            .apply((entries) => Object.fromEntries(entries));
        this.registerOutputs({});
    }

    private alias(
        name: string,
        zone: aws.route53.Zone,
        recordName: string,
        type: "A" | "AAAA",
        target: pulumi.Input<string>,
        targetZoneId: pulumi.Input<string>,
    ): void {
        new aws.route53.Record(
            name,
            { zoneId: zone.zoneId, name: recordName, type, aliases: [{ name: target, zoneId: targetZoneId, evaluateTargetHealth: false }] },
            { parent: this },
        );
    }
}

function pullRequestRoute(domainName: string): AlbRoute {
    return {
        service: PR_GATEWAY_TARGET.service,
        priority: PR_GATEWAY_RULE_PRIORITY,
        conditions: [{ hostHeader: { values: [pullRequestHostPattern(domainName)] } }],
    };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../../lib/naming";
import { SecureBucket } from "../../lib/secure-bucket";
import { statefulOptions } from "../../lib/stateful";
import { API_PATH } from "../outputs";

export const CLOUDFRONT_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type CloudFrontPriceClass = (typeof CLOUDFRONT_PRICE_CLASSES)[number];

/** The header CloudFront adds to every origin request; the public ALB forwards nothing without it. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
export const CLOUDFRONT_MIN_TLS = "TLSv1.2_2021";
/** Path served from the static-assets bucket; `/api/*` and everything else go to the public ALB. */
export const STATIC_ASSETS_PATH = "/static/*";

/** AWS managed CloudFront policies (ids are global constants). */
const MANAGED_CACHE_POLICY = {
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
/** Everything the viewer sent except Host, so the ALB certificate matches the origin name. */
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

const ALB_ORIGIN_ID = "public-alb";
const STATIC_ORIGIN_ID = "static-assets";

export interface CdnArgs {
    namer: Namer;
    domainName: string;
    /** In us-east-1, validated. */
    certificateArn: pulumi.Input<string>;
    /** A name resolving to the public ALB and covered by its certificate. */
    albOriginDomainName: string;
    originVerifySecret: pulumi.Input<string>;
    /** CLOUDFRONT-scope web ACL (us-east-1). */
    webAclArn: pulumi.Input<string>;
    priceClass: CloudFrontPriceClass;
    /** Suffix of the global S3 names. */
    accountId: pulumi.Input<string>;
    /** Standard logs (v2) go here under CLOUDFRONT_LOG_PREFIX, written by CloudWatch log delivery. */
    logBucketArn: pulumi.Input<string>;
    /** CloudFront's log delivery source lives in us-east-1. */
    usEast1Provider: aws.Provider;
    protect: boolean;
}

/** Where CloudFront's standard logs land in the edge-logs bucket. */
export const CLOUDFRONT_LOG_PREFIX = "cloudfront";

/**
 * The env's CloudFront distribution: the only public entry for browsers. Static assets come from
 * a private bucket through Origin Access Control; dynamic requests go to the public ALB over
 * TLS with the secret origin header.
 */
export class Cdn extends pulumi.ComponentResource {
    readonly distribution: aws.cloudfront.Distribution;
    readonly staticAssets: aws.s3.Bucket;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:Cdn", name, {}, opts);
        const { namer } = args;
        const parent = { parent: this };

        // SSE-S3: CloudFront's OAC reads it without a KMS key grant. In non-prod, destroy empties it.
        const assets = new SecureBucket(
            namer.name("static-assets"),
            {
                bucketName: pulumi.output(args.accountId).apply((id) => namer.name("static-assets", { suffix: id, kind: "s3Bucket" })),
                versioning: true,
                forceDestroy: !args.protect,
                deferPolicy: true,
            },
            statefulOptions(args.protect, parent),
        );
        this.staticAssets = assets.bucket;
        const oac = new aws.cloudfront.OriginAccessControl(
            namer.name("static-assets-oac"),
            {
                name: namer.name("static-assets-oac"),
                description: "CloudFront signs every request to the static-assets bucket",
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            parent,
        );
        const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy(
            namer.name("security-headers"),
            {
                name: namer.name("security-headers"),
                comment: "HSTS and the usual browser hardening headers",
                securityHeadersConfig: {
                    strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                    xssProtection: { protection: true, modeBlock: true, override: true },
                },
            },
            parent,
        );

        const toAlb = {
            targetOriginId: ALB_ORIGIN_ID,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: MANAGED_CACHE_POLICY.cachingDisabled,
            originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
            responseHeadersPolicyId: securityHeaders.id,
            compress: true,
        };
        this.distribution = new aws.cloudfront.Distribution(
            namer.name("cdn"),
            {
                enabled: true,
                comment: `${namer.env} payments`,
                aliases: [args.domainName],
                isIpv6Enabled: true,
                httpVersion: "http2and3",
                priceClass: args.priceClass,
                webAclId: args.webAclArn,
                viewerCertificate: {
                    acmCertificateArn: args.certificateArn,
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: CLOUDFRONT_MIN_TLS,
                },
                origins: [
                    { originId: STATIC_ORIGIN_ID, domainName: assets.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
                    {
                        originId: ALB_ORIGIN_ID,
                        domainName: args.albOriginDomainName,
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "https-only",
                            originSslProtocols: ["TLSv1.2"],
                        },
                        customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifySecret }],
                    },
                ],
                defaultCacheBehavior: toAlb,
                orderedCacheBehaviors: [
                    { ...toAlb, pathPattern: API_PATH },
                    {
                        pathPattern: STATIC_ASSETS_PATH,
                        targetOriginId: STATIC_ORIGIN_ID,
                        viewerProtocolPolicy: "redirect-to-https",
                        allowedMethods: ["GET", "HEAD", "OPTIONS"],
                        cachedMethods: ["GET", "HEAD"],
                        cachePolicyId: MANAGED_CACHE_POLICY.cachingOptimized,
                        responseHeadersPolicyId: securityHeaders.id,
                        compress: true,
                    },
                ],
                restrictions: { geoRestriction: { restrictionType: "none" } },
            },
            parent,
        );
        // Standard logging v2: CloudWatch log delivery writes with a bucket-policy grant (the legacy
        // logging needs bucket ACLs and an account outside the organization, which the RCP denies).
        const inUsEast1 = { parent: this, provider: args.usEast1Provider };
        const source = new aws.cloudwatch.LogDeliverySource(
            namer.name("cdn-logs"),
            { name: namer.name("cdn-logs"), logType: "ACCESS_LOGS", resourceArn: this.distribution.arn },
            inUsEast1,
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            namer.name("cdn-logs"),
            {
                name: namer.name("cdn-logs"),
                outputFormat: "parquet",
                deliveryDestinationConfiguration: {
                    destinationResourceArn: pulumi.interpolate`${args.logBucketArn}/${CLOUDFRONT_LOG_PREFIX}`,
                },
            },
            inUsEast1,
        );
        new aws.cloudwatch.LogDelivery(
            namer.name("cdn-logs"),
            { deliverySourceName: source.name, deliveryDestinationArn: destination.arn },
            inUsEast1,
        );
        const distributionArn = this.distribution.arn;
        assets.attachPolicy((bucketArn) => [
            {
                Sid: "CloudFrontReadsThroughOac",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`${bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            } as pulumi.Input<aws.iam.PolicyStatement>,
        ]);
        this.registerOutputs({ distributionId: this.distribution.id });
    }
}

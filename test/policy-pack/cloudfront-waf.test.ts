import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const DIST = "aws:cloudfront/distribution:Distribution";
const GOOD = {
    enabled: true,
    webAclId: UNKNOWN,
    viewerCertificate: { acmCertificateArn: UNKNOWN, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    origins: [
        { originId: "assets", domainName: "prod-static-1a2b3c4.s3.us-east-1.amazonaws.com", originAccessControlId: UNKNOWN },
        {
            originId: "api",
            domainName: "prod-alb-123.us-east-1.elb.amazonaws.com",
            customOriginConfig: { originProtocolPolicy: "https-only" },
        },
    ],
    defaultCacheBehavior: { targetOriginId: "assets", viewerProtocolPolicy: "redirect-to-https", responseHeadersPolicyId: "hsts" },
    orderedCacheBehaviors: [
        { pathPattern: "/api/*", targetOriginId: "api", viewerProtocolPolicy: "https-only", responseHeadersPolicyId: "hsts" },
    ],
    loggingConfig: { bucket: "prod-cf-logs.s3.amazonaws.com" },
};

function cdn(inputs: Record<string, unknown>): StackBuilder {
    const b = new StackBuilder("prod", "platform");
    b.add(DIST, "prod-cdn", { ...GOOD, ...inputs });
    return b;
}

describe("policy-pack cloudfront-waf", () => {
    it("passes a compliant distribution on every CloudFront policy", () => {
        for (const policy of [
            "cloudfront-tls12",
            "cloudfront-waf",
            "cloudfront-s3-oac",
            "cloudfront-https-viewers",
            "cloudfront-logging",
            "cloudfront-security-headers",
        ]) {
            expectCompliant(policy, cdn({}));
        }
    });
    it("cloudfront-tls12 flags the default certificate and TLSv1", () => {
        expectViolation(
            "cloudfront-tls12",
            cdn({ viewerCertificate: { cloudfrontDefaultCertificate: true } }),
            ["prod-cdn"],
            /default certificate/,
        );
        expectViolation(
            "cloudfront-tls12",
            cdn({ viewerCertificate: { acmCertificateArn: "arn", minimumProtocolVersion: "TLSv1" } }),
            ["prod-cdn"],
            /TLSv1\)/,
        );
    });
    it("cloudfront-tls12 cannot verify an unknown certificate block", () =>
        expectCannotVerify("cloudfront-tls12", cdn({ viewerCertificate: UNKNOWN })));
    it("cloudfront-waf flags a distribution without a web ACL", () =>
        expectViolation("cloudfront-waf", cdn({ webAclId: undefined }), ["prod-cdn"], /WAF/));
    it("cloudfront-s3-oac flags a legacy OAI and an S3 origin without OAC", () => {
        const found = expectViolation(
            "cloudfront-s3-oac",
            cdn({
                origins: [
                    {
                        originId: "assets",
                        domainName: "prod-static.s3.amazonaws.com",
                        s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" },
                    },
                    { originId: "docs", domainName: "prod-docs.s3.us-east-1.amazonaws.com" },
                ],
            }),
            ["prod-cdn", "prod-cdn"],
            /Origin Access Control/,
        );
        if (found.length !== 2) {
            throw new Error("expected both origins");
        }
    });
    it("cloudfront-s3-oac cannot verify an origin whose domain is unknown", () =>
        expectCannotVerify("cloudfront-s3-oac", cdn({ origins: [{ originId: "assets", domainName: UNKNOWN }] })));
    it("cloudfront-https-viewers flags allow-all on a behaviour", () =>
        expectViolation(
            "cloudfront-https-viewers",
            cdn({ orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "allow-all" }] }),
            ["prod-cdn"],
            /\/api\/\* behaviour allows HTTP/,
        ));
    it("cloudfront-logging flags a distribution without logs", () =>
        expectViolation("cloudfront-logging", cdn({ loggingConfig: undefined }), ["prod-cdn"], /access logs/));
    it("cloudfront-logging accepts standard logging v2: an ACCESS_LOGS delivery source for the distribution with a delivery", () => {
        const b = cdn({ loggingConfig: undefined });
        const distribution = b.resources[1];
        const source = b.resource(
            aws.cloudwatch.LogDeliverySource,
            "prod-cdn-logs",
            { name: "prod-cdn-logs", logType: "ACCESS_LOGS", resourceArn: "arn:aws:cloudfront::206217865489:distribution/E1" },
            { dependsOn: [distribution] },
        );
        expectViolation("cloudfront-logging", b, ["prod-cdn"], /no ACCESS_LOGS delivery source with a delivery/);
        const destination = b.resource(aws.cloudwatch.LogDeliveryDestination, "prod-cdn-logs-s3", {
            name: "prod-cdn-logs",
            deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::prod-edge-logs/cloudfront" },
        });
        b.resource(
            aws.cloudwatch.LogDelivery,
            "prod-cdn-logs-delivery",
            {
                deliverySourceName: "prod-cdn-logs",
                deliveryDestinationArn: "arn:aws:logs:us-east-1:206217865489:delivery-destination:prod-cdn-logs",
            },
            { dependsOn: [source, destination] },
        );
        expectCompliant("cloudfront-logging", b);
    });
    it("cloudfront-security-headers flags a behaviour without a response headers policy", () =>
        expectViolation(
            "cloudfront-security-headers",
            cdn({ orderedCacheBehaviors: [{ pathPattern: "/api/*", targetOriginId: "api", viewerProtocolPolicy: "https-only" }] }),
            ["prod-cdn"],
            /on the \/api\/\* behaviour/,
        ));
    it("waf-managed-rules: the known-bad-inputs group (Log4j) blocks; an empty or counting ACL is flagged", () => {
        const b = new StackBuilder("prod", "platform");
        const acl = (name: string, rules: aws.wafv2.WebAclArgs["rules"]) =>
            b.resource(aws.wafv2.WebAcl, name, {
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
                rules,
            });
        const knownBad = (overrideAction: aws.types.input.wafv2.WebAclRuleOverrideAction) => ({
            name: "known-bad",
            priority: 1,
            overrideAction,
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "known-bad", sampledRequestsEnabled: true },
        });
        acl("prod-waf", [knownBad({ none: {} })]);
        acl("prod-empty-waf", []);
        acl("prod-counting-waf", [knownBad({ count: {} })]);
        expectViolation("waf-managed-rules", b, ["prod-empty-waf", "prod-counting-waf"], /has no rules|only counts/);
    });

    it("acm-transparency-logging flags a certificate that opts out; the default passes", () => {
        const b = new StackBuilder("prod", "platform");
        b.resource(aws.acm.Certificate, "prod-alb-cert", {
            domainName: "prod.payments.example.com",
            validationMethod: "DNS",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
        });
        b.resource(aws.acm.Certificate, "prod-default-cert", { domainName: "api.prod.payments.example.com", validationMethod: "DNS" });
        b.resource(aws.acm.Certificate, "prod-hidden-cert", {
            domainName: "hidden.prod.payments.example.com",
            validationMethod: "DNS",
            options: { certificateTransparencyLoggingPreference: "DISABLED" },
        });
        expectViolation("acm-transparency-logging", b, ["prod-hidden-cert"], /Certificate Transparency/);
    });
    describe("alb-waf", () => {
        it("passes an internet-facing ALB with a web ACL association and ignores internal ones", () => {
            const b = new StackBuilder("prod", "platform");
            const alb = b.add("aws:lb/loadBalancer:LoadBalancer", "prod-alb", { internal: false });
            b.add(
                "aws:wafv2/webAclAssociation:WebAclAssociation",
                "prod-alb-waf",
                { resourceArn: UNKNOWN, webAclArn: UNKNOWN },
                { dependsOn: [alb] },
            );
            b.add("aws:lb/loadBalancer:LoadBalancer", "prod-alb-internal", { internal: true });
            expectCompliant("alb-waf", b);
        });
        it("flags an internet-facing ALB without one", () => {
            const b = new StackBuilder("prod", "platform");
            b.add("aws:lb/loadBalancer:LoadBalancer", "prod-alb", {});
            expectViolation("alb-waf", b, ["prod-alb"], /no WAF/);
        });
    });
});

describe("policy-pack cloudfront-waf (v2 classes)", () => {
    it("cloudfront-origin-https", () => {
        const b = new StackBuilder("prod");
        const origin = (originProtocolPolicy: string) => ({
            defaultCacheBehavior: {
                allowedMethods: ["GET"],
                cachedMethods: ["GET"],
                targetOriginId: "alb",
                viewerProtocolPolicy: "https-only",
            },
            enabled: true,
            origins: [
                {
                    originId: "alb",
                    domainName: "origin.example.com",
                    customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy, originSslProtocols: ["TLSv1.2"] },
                },
            ],
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
        });
        b.resource(aws.cloudfront.Distribution, "prod-cdn", origin("match-viewer"));
        b.resource(aws.cloudfront.Distribution, "prod-ok", origin("https-only"));
        expectViolation("cloudfront-origin-https", b, ["prod-cdn"], /origin alb with match-viewer/);
    });
    it("waf-logging", () => {
        const b = new StackBuilder("prod");
        const visibilityConfig = { cloudwatchMetricsEnabled: true, metricName: "m", sampledRequestsEnabled: true };
        b.resource(aws.wafv2.WebAcl, "prod-waf", { name: "prod-waf", scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig });
        const logged = b.resource(aws.wafv2.WebAcl, "prod-logged", {
            name: "prod-logged",
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            visibilityConfig,
        });
        b.resource(
            aws.wafv2.WebAclLoggingConfiguration,
            "prod-logged-logs",
            { resourceArn: "arn:aws:wafv2:us-east-1:206217865489:regional/webacl/prod-logged/abc", logDestinationConfigs: ["arn:lg"] },
            { dependsOn: [logged] },
        );
        expectViolation("waf-logging", b, ["prod-waf"], /no logging configuration/);
    });
});

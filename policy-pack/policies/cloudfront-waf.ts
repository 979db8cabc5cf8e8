import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy, referrersOf } from "../lib/links";
import { has, list, ofTypes } from "../lib/values";
import { LOAD_BALANCERS } from "./elb";

const DISTRIBUTION = ["aws:cloudfront/distribution:Distribution"];
const WEB_ACL_ASSOCIATION = ["aws:wafv2/webAclAssociation:WebAclAssociation"];
export const CLOUDFRONT_TLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];
const HTTPS_VIEWER = ["redirect-to-https", "https-only"];

/** S3 REST endpoints (website endpoints `s3-website` cannot use OAC and are not S3 origins here). */
const S3_ORIGIN = /\.s3(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

export const CLOUDFRONT_WAF_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "cloudfront-tls12",
        domain: "cloudfront-waf",
        description: "CloudFront distributions use a custom certificate with minimum protocol TLSv1.2_2021 or later.",
        prevents: "Viewers negotiating TLS 1.0/1.1 or weak ciphers.",
        severity: "high",
        remediation: 'Set viewerCertificate { acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }.',
        level: "mandatory",
        checkov: "CKV_AWS_174",
        trivy: "AVD-AWS-0013",
        types: DISTRIBUTION,
        check: (d, ctx) => {
            const cert = d.props.viewerCertificate ?? {};
            if (cert.cloudfrontDefaultCertificate === true || !CLOUDFRONT_TLS.includes(cert.minimumProtocolVersion)) {
                ctx.report(`Distribution ${d.name} allows protocols older than TLSv1.2_2021 (minimumProtocolVersion ${cert.minimumProtocolVersion ?? "unset"}${cert.cloudfrontDefaultCertificate === true ? ", default certificate" : ""}).`);
            }
        },
    }),
    resourcePolicy({
        name: "cloudfront-waf",
        domain: "cloudfront-waf",
        description: "CloudFront distributions are protected by a WAFv2 web ACL (CLOUDFRONT scope).",
        prevents: "Injection, bots and floods reaching the origin unfiltered.",
        severity: "high",
        remediation: "Set webAclId to the ARN of a wafv2.WebAcl with scope CLOUDFRONT (created in us-east-1).",
        level: "mandatory",
        checkov: "CKV_AWS_68",
        trivy: "AVD-AWS-0011",
        types: DISTRIBUTION,
        check: (d, ctx) => {
            if (!has(d.props, "webAclId")) {
                ctx.report(`Distribution ${d.name} has no WAF web ACL.`);
            }
        },
    }),
    resourcePolicy({
        name: "cloudfront-s3-oac",
        domain: "cloudfront-waf",
        description: "CloudFront S3 origins use Origin Access Control, not a legacy origin access identity or a public bucket.",
        prevents: "Static-asset buckets readable directly, bypassing CloudFront and its WAF.",
        severity: "high",
        remediation: "Create aws.cloudfront.OriginAccessControl (signingBehavior always, sigv4, s3) and set originAccessControlId on the origin; drop s3OriginConfig.originAccessIdentity.",
        level: "mandatory",
        checkov: "CKV2_AWS_46",
        types: DISTRIBUTION,
        check: (d, ctx) => {
            for (const origin of list(d.props.origins)) {
                if (has(list(origin.s3OriginConfig)[0] ?? {}, "originAccessIdentity")) {
                    ctx.report(`Distribution ${d.name}'s S3 origin ${origin.originId} uses a legacy origin access identity instead of Origin Access Control.`);
                } else if (!has(origin, "originAccessControlId") && S3_ORIGIN.test(String(origin.domainName))) {
                    // Only an origin without OAC needs its (often computed) domain name read.
                    ctx.report(`Distribution ${d.name}'s S3 origin ${origin.originId} does not use Origin Access Control.`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "cloudfront-https-viewers",
        domain: "cloudfront-waf",
        description: "Every CloudFront cache behaviour redirects viewers to HTTPS or requires it.",
        prevents: "Pages and API responses served to viewers over plain HTTP.",
        severity: "high",
        remediation: 'Set viewerProtocolPolicy: "redirect-to-https" on the default and every ordered cache behaviour.',
        level: "mandatory",
        checkov: "CKV_AWS_34",
        trivy: "AVD-AWS-0012",
        types: DISTRIBUTION,
        check: (d, ctx) => {
            const behaviours = [{ pathPattern: "default", ...d.props.defaultCacheBehavior }, ...list(d.props.orderedCacheBehaviors)];
            for (const b of behaviours) {
                if (!HTTPS_VIEWER.includes(b.viewerProtocolPolicy)) {
                    ctx.report(`Distribution ${d.name}'s ${b.pathPattern} behaviour allows HTTP viewers (viewerProtocolPolicy ${b.viewerProtocolPolicy}).`);
                }
            }
        },
    }),
    resourcePolicy({
        name: "cloudfront-logging",
        domain: "cloudfront-waf",
        description: "CloudFront distributions write access logs.",
        prevents: "No record of viewer requests for incident response.",
        severity: "low",
        remediation: "Set loggingConfig { bucket: <log bucket domain name> } (or configure CloudWatch log delivery).",
        level: "advisory",
        checkov: "CKV_AWS_86",
        trivy: "AVD-AWS-0010",
        types: DISTRIBUTION,
        check: (d, ctx) => {
            if (!has(d.props.loggingConfig ?? {}, "bucket")) {
                ctx.report(`Distribution ${d.name} does not write access logs.`);
            }
        },
    }),
    stackPolicy({
        name: "alb-waf",
        domain: "cloudfront-waf",
        description: "Every internet-facing application load balancer is associated with a WAFv2 web ACL (REGIONAL scope).",
        prevents: "Requests that skip CloudFront hitting the ALB without WAF filtering.",
        severity: "high",
        remediation: "Add aws.wafv2.WebAclAssociation { resourceArn: alb.arn, webAclArn: <regional web ACL> }.",
        level: "mandatory",
        checkov: "CKV2_AWS_28",
        check: (ctx) => {
            const lbs = ofTypes(ctx.resources, LOAD_BALANCERS);
            const associations = ofTypes(ctx.resources, WEB_ACL_ASSOCIATION);
            ctx.each(lbs, (lb) => {
                const publicAlb = lb.props.internal !== true && (lb.props.loadBalancerType ?? "application") === "application";
                if (publicAlb && referrersOf(lb, "resourceArn", associations, lbs).length === 0) {
                    ctx.report(`Internet-facing load balancer ${lb.name} has no WAF web ACL association.`, lb.urn);
                }
            });
        },
    }),
    resourcePolicy({
        name: "cloudfront-origin-https",
        domain: "cloudfront-waf",
        description: "CloudFront reaches custom origins over HTTPS only (originProtocolPolicy https-only, TLS 1.2).",
        prevents: "Requests (cookies, card data) travelling from the edge to the origin in clear.",
        severity: "high",
        remediation: 'Set customOriginConfig.originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"].',
        level: "mandatory",
        securityHub: ["CloudFront.9", "CloudFront.10"],
        pci: ["4.2.1"],
        types: DISTRIBUTION,
        reads: { [DISTRIBUTION[0]]: ["origins.customOriginConfig.originProtocolPolicy", "origins.customOriginConfig.originSslProtocols", "origins.originId"] },
        check: (d, ctx) => {
            for (const origin of list(d.props.origins)) {
                const custom = origin.customOriginConfig;
                if (custom && (custom.originProtocolPolicy !== "https-only" || list(custom.originSslProtocols).some((p) => p !== "TLSv1.2"))) {
                    ctx.report(`Distribution ${d.name} reaches origin ${origin.originId} with ${custom.originProtocolPolicy} / ${list(custom.originSslProtocols).join(", ")}.`);
                }
            }
        },
    }),
    stackPolicy({
        name: "waf-logging",
        domain: "cloudfront-waf",
        description: "Every WAF web ACL has a logging configuration.",
        prevents: "Blocked attacks and rate-limit hits leaving no record to investigate.",
        severity: "medium",
        remediation: "Add aws.wafv2.WebAclLoggingConfiguration to a log group named aws-waf-logs-<acl> (encrypted, 365 days).",
        level: "advisory",
        prodLevel: "mandatory",
        levelReason: "Blocked-request logs are PCI DSS 10.2 evidence where cardholder data flows or prod is controlled from; short-lived environments would store logs nobody reviews.",
        checkov: "CKV2_AWS_31",
        securityHub: ["WAF.11"],
        pci: ["10.2.1"],
        reads: { [WEB_ACL]: ["name"], [WAF_LOGGING]: ["resourceArn"] },
        check: (ctx) => {
            const logging = ofTypes(ctx.resources, [WAF_LOGGING]);
            ctx.each(ofTypes(ctx.resources, [WEB_ACL]), (acl) => {
                if (!logging.some((l) => referencedBy(l, "resourceArn", [acl], { nameKeys: ["name"], matches: (v, n) => v.includes(`/webacl/${n}/`) }).includes(acl))) {
                    ctx.report(`Web ACL ${acl.name} has no logging configuration.`, acl.urn);
                }
            });
        },
    }),
];

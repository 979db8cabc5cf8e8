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
const CERTIFICATE = "aws:acm/certificate:Certificate";
/** The AWS managed rule group for known exploit payloads (Log4j JNDI lookups among them). */
const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
const LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
const LOG_DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
const LOG_DELIVERY_DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";
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
        reads: {
            "aws:cloudfront/distribution:Distribution": [
                "viewerCertificate.cloudfrontDefaultCertificate",
                "viewerCertificate.minimumProtocolVersion",
            ],
        },
        check: (d, ctx) => {
            const cert = d.props.viewerCertificate ?? {};
            if (cert.cloudfrontDefaultCertificate === true || !CLOUDFRONT_TLS.includes(cert.minimumProtocolVersion)) {
                ctx.report(
                    `Distribution ${d.name} allows protocols older than TLSv1.2_2021 (minimumProtocolVersion ${cert.minimumProtocolVersion ?? "unset"}${cert.cloudfrontDefaultCertificate === true ? ", default certificate" : ""}).`,
                );
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
        reads: { "aws:cloudfront/distribution:Distribution": ["webAclId"] },
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
        remediation:
            "Create aws.cloudfront.OriginAccessControl (signingBehavior always, sigv4, s3) and set originAccessControlId on the origin; drop s3OriginConfig.originAccessIdentity.",
        level: "mandatory",
        checkov: "CKV2_AWS_46",
        types: DISTRIBUTION,
        reads: {
            "aws:cloudfront/distribution:Distribution": ["origins.domainName", "origins.originAccessControlId", "origins.s3OriginConfig"],
        },
        check: (d, ctx) => {
            for (const origin of list(d.props.origins)) {
                if (has(list(origin.s3OriginConfig)[0] ?? {}, "originAccessIdentity")) {
                    ctx.report(
                        `Distribution ${d.name}'s S3 origin ${origin.originId} uses a legacy origin access identity instead of Origin Access Control.`,
                    );
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
        reads: { "aws:cloudfront/distribution:Distribution": ["defaultCacheBehavior", "orderedCacheBehaviors"] },
        check: (d, ctx) => {
            const behaviours = [{ pathPattern: "default", ...d.props.defaultCacheBehavior }, ...list(d.props.orderedCacheBehaviors)];
            for (const b of behaviours) {
                if (!HTTPS_VIEWER.includes(b.viewerProtocolPolicy)) {
                    ctx.report(
                        `Distribution ${d.name}'s ${b.pathPattern} behaviour allows HTTP viewers (viewerProtocolPolicy ${b.viewerProtocolPolicy}).`,
                    );
                }
            }
        },
    }),
    stackPolicy({
        name: "cloudfront-logging",
        domain: "cloudfront-waf",
        description:
            "CloudFront distributions write access logs: legacy logging to S3 (loggingConfig.bucket) or standard logging v2 (a CloudWatch Logs delivery source of type ACCESS_LOGS for the distribution, joined to a delivery destination by an aws.cloudwatch.LogDelivery).",
        prevents: "No record of viewer requests for incident response.",
        severity: "low",
        remediation:
            'Add aws.cloudwatch.LogDeliverySource { logType: "ACCESS_LOGS", resourceArn: distribution.arn } (in us-east-1), a LogDeliveryDestination and an aws.cloudwatch.LogDelivery joining them; or set loggingConfig { bucket }.',
        level: "advisory",
        checkov: "CKV_AWS_86",
        trivy: "AVD-AWS-0010",
        reads: {
            [DISTRIBUTION[0]]: ["loggingConfig"],
            [LOG_DELIVERY_SOURCE]: ["logType", "resourceArn", "name"],
            [LOG_DELIVERY]: ["deliverySourceName", "deliveryDestinationArn"],
        },
        check: (ctx) => {
            const distributions = ofTypes(ctx.resources, DISTRIBUTION);
            const sources = ofTypes(ctx.resources, [LOG_DELIVERY_SOURCE]);
            const deliveries = ofTypes(ctx.resources, [LOG_DELIVERY]);
            const destinations = ofTypes(ctx.resources, [LOG_DELIVERY_DESTINATION]);
            ctx.each(distributions, (d) => {
                if (has(d.props.loggingConfig ?? {}, "bucket")) {
                    return;
                }
                const delivered = sources
                    .filter(
                        (source) =>
                            source.props.logType === "ACCESS_LOGS" && referencedBy(source, "resourceArn", distributions).includes(d),
                    )
                    .some((source) =>
                        deliveries.some(
                            (delivery) =>
                                referencedBy(delivery, "deliverySourceName", sources, { nameKeys: ["name"] }).includes(source) &&
                                referencedBy(delivery, "deliveryDestinationArn", destinations).length > 0,
                        ),
                    );
                if (!delivered) {
                    ctx.report(
                        `Distribution ${d.name} does not write access logs (no loggingConfig bucket, no ACCESS_LOGS delivery source with a delivery).`,
                        d.urn,
                    );
                }
            });
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
        reads: {
            "aws:lb/loadBalancer:LoadBalancer": ["internal", "loadBalancerType"],
            "aws:wafv2/webAclAssociation:WebAclAssociation": ["resourceArn"],
        },
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
        reads: {
            [DISTRIBUTION[0]]: [
                "origins.customOriginConfig.originProtocolPolicy",
                "origins.customOriginConfig.originSslProtocols",
                "origins.originId",
            ],
        },
        check: (d, ctx) => {
            for (const origin of list(d.props.origins)) {
                const custom = origin.customOriginConfig;
                if (
                    custom &&
                    (custom.originProtocolPolicy !== "https-only" || list(custom.originSslProtocols).some((p) => p !== "TLSv1.2"))
                ) {
                    ctx.report(
                        `Distribution ${d.name} reaches origin ${origin.originId} with ${custom.originProtocolPolicy} / ${list(custom.originSslProtocols).join(", ")}.`,
                    );
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
        levelReason:
            "Blocked-request logs are PCI DSS 10.2 evidence where cardholder data flows or prod is controlled from; short-lived environments would store logs nobody reviews.",
        checkov: "CKV2_AWS_31",
        securityHub: ["WAF.11"],
        pci: ["10.2.1"],
        reads: { [WEB_ACL]: ["name"], [WAF_LOGGING]: ["resourceArn"] },
        check: (ctx) => {
            const logging = ofTypes(ctx.resources, [WAF_LOGGING]);
            ctx.each(ofTypes(ctx.resources, [WEB_ACL]), (acl) => {
                if (
                    !logging.some((l) =>
                        referencedBy(l, "resourceArn", [acl], {
                            nameKeys: ["name"],
                            matches: (v, n) => v.includes(`/webacl/${n}/`),
                        }).includes(acl),
                    )
                ) {
                    ctx.report(`Web ACL ${acl.name} has no logging configuration.`, acl.urn);
                }
            });
        },
    }),
    resourcePolicy({
        name: "cloudfront-security-headers",
        domain: "cloudfront-waf",
        description: "Every CloudFront cache behaviour attaches a response headers policy (HSTS, content-type options, frame options).",
        prevents: "Browsers allowed to downgrade to HTTP, sniff content types or frame the payment pages (clickjacking).",
        severity: "medium",
        remediation:
            "Create an aws.cloudfront.ResponseHeadersPolicy with securityHeadersConfig (strictTransportSecurity, contentTypeOptions, frameOptions) and set responseHeadersPolicyId on the default and every ordered cache behaviour.",
        level: "mandatory",
        checkov: "CKV2_AWS_32",
        pci: ["6.4.3"],
        types: DISTRIBUTION,
        reads: {
            [DISTRIBUTION[0]]: [
                "defaultCacheBehavior.responseHeadersPolicyId",
                "orderedCacheBehaviors.responseHeadersPolicyId",
                "orderedCacheBehaviors.pathPattern",
            ],
        },
        check: (d, ctx) => {
            const behaviours = [
                { label: "default", policy: list(d.props.defaultCacheBehavior)[0]?.responseHeadersPolicyId },
                ...list(d.props.orderedCacheBehaviors).map((b) => ({ label: String(b.pathPattern), policy: b.responseHeadersPolicyId })),
            ];
            const bare = behaviours.filter((b) => typeof b.policy !== "string" || b.policy === "").map((b) => b.label);
            if (bare.length > 0) {
                ctx.report(`Distribution ${d.name} sends no security headers on the ${bare.join(", ")} behaviour(s).`);
            }
        },
    }),
    resourcePolicy({
        name: "waf-managed-rules",
        domain: "cloudfront-waf",
        description: `WAF web ACLs have rules, among them the AWS managed ${KNOWN_BAD_INPUTS} (Log4j and other known exploit payloads), blocking rather than counting.`,
        prevents: "A web ACL that exists but lets known exploit payloads (Log4Shell JNDI lookups, path traversal) through.",
        severity: "high",
        remediation: `Add a rule with statement.managedRuleGroupStatement { vendorName: "AWS", name: "${KNOWN_BAD_INPUTS}" } and overrideAction { none: {} }.`,
        level: "mandatory",
        checkov: "CKV2_AWS_47",
        securityHub: ["WAF.10"],
        pci: ["6.4.2"],
        types: [WEB_ACL],
        reads: {
            [WEB_ACL]: [
                "rules.statement.managedRuleGroupStatement.name",
                "rules.statement.managedRuleGroupStatement.vendorName",
                "rules.overrideAction.count",
            ],
        },
        check: (acl, ctx) => {
            const rules = list(acl.props.rules);
            const knownBad = rules.find((r) => {
                const group = list(list(r.statement)[0]?.managedRuleGroupStatement)[0];
                return group?.vendorName === "AWS" && group?.name === KNOWN_BAD_INPUTS;
            });
            if (rules.length === 0) {
                ctx.report(`Web ACL ${acl.name} has no rules.`);
            } else if (knownBad === undefined) {
                ctx.report(`Web ACL ${acl.name} does not use ${KNOWN_BAD_INPUTS}.`);
            } else if (list(knownBad.overrideAction)[0]?.count !== undefined) {
                ctx.report(`Web ACL ${acl.name} only counts ${KNOWN_BAD_INPUTS} matches (overrideAction count).`);
            }
        },
    }),
    resourcePolicy({
        name: "acm-transparency-logging",
        domain: "cloudfront-waf",
        description: "ACM certificates keep Certificate Transparency logging (the default); none opts out.",
        prevents:
            "A certificate for our names that browsers reject (Chrome and Safari require CT) and that monitors of the CT logs cannot see.",
        severity: "low",
        remediation: 'Remove options.certificateTransparencyLoggingPreference "DISABLED" (or set it to "ENABLED").',
        level: "mandatory",
        checkov: "CKV_AWS_234",
        types: [CERTIFICATE],
        reads: { [CERTIFICATE]: ["options.certificateTransparencyLoggingPreference"] },
        check: (cert, ctx) => {
            if (list(cert.props.options)[0]?.certificateTransparencyLoggingPreference === "DISABLED") {
                ctx.report(`Certificate ${cert.name} opts out of Certificate Transparency logging.`);
            }
        },
    }),
];

import { PolicyDefinition, Subject, resourcePolicy, sameReads, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, list, ofTypes } from "../lib/values";

export const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

/** ELB security policies that allow nothing below TLS 1.2. */
export const TLS12_LISTENER_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)/;

function isApplication(lb: Subject): boolean {
    return (lb.props.loadBalancerType ?? "application") === "application";
}

export const ELB_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "elb-drop-invalid-headers",
        domain: "elb",
        description: "Application load balancers drop HTTP headers with invalid names.",
        prevents: "HTTP desync and request smuggling through malformed headers.",
        severity: "medium",
        remediation: "Set dropInvalidHeaderFields: true on the application load balancer.",
        level: "mandatory",
        checkov: "CKV_AWS_131",
        trivy: "AVD-AWS-0052",
        types: LOAD_BALANCERS,
        reads: sameReads(LOAD_BALANCERS, ["dropInvalidHeaderFields", "loadBalancerType"]),
        check: (lb, ctx) => {
            if (isApplication(lb) && lb.props.dropInvalidHeaderFields !== true) {
                ctx.report(`Load balancer ${lb.name} does not drop invalid header fields.`);
            }
        },
    }),
    resourcePolicy({
        name: "elb-tls12-listener-policy",
        domain: "elb",
        description: "HTTPS and TLS listeners use a security policy that allows only TLS 1.2 or later.",
        prevents: "Clients negotiating TLS 1.0/1.1 (the listener default policy allows them).",
        severity: "high",
        remediation: 'Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another TLS13-1-2/TLS-1-2/FS-1-2 policy).',
        level: "mandatory",
        checkov: "CKV_AWS_103",
        trivy: "AVD-AWS-0047",
        types: LISTENERS,
        reads: sameReads(LISTENERS, ["protocol", "sslPolicy"]),
        check: (listener, ctx) => {
            const protocol = String(listener.props.protocol ?? "HTTP");
            if ((protocol === "HTTPS" || protocol === "TLS") && !TLS12_LISTENER_POLICY.test(String(listener.props.sslPolicy ?? ""))) {
                ctx.report(
                    `${protocol} listener ${listener.name} uses ssl policy ${listener.props.sslPolicy ?? "(default ELBSecurityPolicy-2016-08, TLS 1.0)"}.`,
                );
            }
        },
    }),
    stackPolicy({
        name: "elb-https-redirect",
        domain: "elb",
        description: "HTTP listeners on internet-facing load balancers only redirect to HTTPS.",
        prevents: "Payment pages and API calls served over plain HTTP.",
        severity: "high",
        remediation:
            'Give the HTTP listener one default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.',
        level: "mandatory",
        checkov: "CKV2_AWS_20",
        trivy: "AVD-AWS-0054",
        reads: {
            "aws:lb/listener:Listener": ["defaultActions.redirect.protocol", "defaultActions.type", "loadBalancerArn", "protocol"],
            "aws:lb/loadBalancer:LoadBalancer": ["internal"],
        },
        check: (ctx) => {
            const lbs = ofTypes(ctx.resources, LOAD_BALANCERS);
            ctx.each(ofTypes(ctx.resources, LISTENERS), (listener) => {
                if (String(listener.props.protocol ?? "HTTP") !== "HTTP") {
                    return;
                }
                const lb = referencedBy(listener, "loadBalancerArn", lbs)[0];
                if (lb !== undefined && lb.props.internal === true) {
                    return;
                }
                const actions = list(listener.props.defaultActions);
                const redirects =
                    actions.length > 0 && actions.every((a) => a.type === "redirect" && list(a.redirect)[0]?.protocol === "HTTPS");
                if (!redirects) {
                    ctx.report(
                        `HTTP listener ${listener.name} on an internet-facing load balancer does not redirect to HTTPS.`,
                        listener.urn,
                    );
                }
            });
        },
    }),
    resourcePolicy({
        name: "elb-access-logs",
        domain: "elb",
        description: "Load balancers write access logs to S3.",
        prevents: "No record of requests for incident response and PCI DSS requirement 10.",
        severity: "medium",
        remediation: "Set accessLogs { bucket: <log bucket>, enabled: true } (the bucket policy must allow the ELB log delivery service).",
        level: "advisory",
        prodLevel: "mandatory",
        levelReason:
            "Access logs are PCI DSS 10.2 evidence only where cardholder data flows (prod) or prod is controlled from (mgmt, org); elsewhere they are optional cost.",
        checkov: "CKV_AWS_91",
        types: LOAD_BALANCERS,
        reads: sameReads(LOAD_BALANCERS, ["accessLogs.bucket", "accessLogs.enabled"]),
        check: (lb, ctx) => {
            const logs = lb.props.accessLogs;
            if (!logs || logs.enabled !== true || !has(logs, "bucket")) {
                ctx.report(`Load balancer ${lb.name} does not write access logs.`);
            }
        },
    }),
    resourcePolicy({
        name: "elb-deletion-protection-prod",
        domain: "elb",
        description: "In prod, load balancers have deletion protection enabled.",
        prevents: "The prod entry point deleted by a mistaken replace or destroy (and its DNS name lost).",
        severity: "medium",
        remediation: "Set enableDeletionProtection: true on prod load balancers.",
        level: "mandatory",
        checkov: "CKV_AWS_150",
        types: LOAD_BALANCERS,
        reads: sameReads(LOAD_BALANCERS, ["enableDeletionProtection"]),
        check: (lb, ctx) => {
            if (ctx.prod && lb.props.enableDeletionProtection !== true) {
                ctx.report(`Prod load balancer ${lb.name} does not enable deletion protection.`);
            }
        },
    }),
];

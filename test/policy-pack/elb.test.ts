import { expect } from "chai";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const GOOD_LB = {
    internal: false,
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    accessLogs: { bucket: "prod-edge-logs", enabled: true },
    enableDeletionProtection: true,
};
const REDIRECT = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];

function edge(
    env: string,
    lbInputs: Record<string, unknown>,
    httpActions: unknown[] = REDIRECT,
    sslPolicy: string | null = "ELBSecurityPolicy-TLS13-1-2-2021-06",
): StackBuilder {
    const b = new StackBuilder(env, "platform");
    const lb = b.add(LB, `${env}-alb`, { ...GOOD_LB, ...lbInputs });
    b.add(
        LISTENER,
        `${env}-https`,
        {
            loadBalancerArn: UNKNOWN,
            protocol: "HTTPS",
            port: 443,
            sslPolicy,
            certificateArn: UNKNOWN,
            defaultActions: [{ type: "fixed-response" }],
        },
        { dependsOn: [lb] },
    );
    b.add(
        LISTENER,
        `${env}-http`,
        { loadBalancerArn: UNKNOWN, protocol: "HTTP", port: 80, defaultActions: httpActions },
        { dependsOn: [lb] },
    );
    return b;
}

describe("policy-pack elb", () => {
    it("passes a compliant edge on every ELB policy", () => {
        for (const policy of [
            "elb-drop-invalid-headers",
            "elb-tls12-listener-policy",
            "elb-https-redirect",
            "elb-access-logs",
            "elb-deletion-protection-prod",
        ]) {
            expectCompliant(policy, edge("prod", {}));
        }
    });
    it("elb-drop-invalid-headers flags an ALB keeping invalid headers", () =>
        expectViolation("elb-drop-invalid-headers", edge("test", { dropInvalidHeaderFields: false }), ["test-alb"], /invalid header/));
    it("elb-drop-invalid-headers cannot verify an unknown flag", () =>
        expectCannotVerify("elb-drop-invalid-headers", edge("test", { dropInvalidHeaderFields: UNKNOWN })));
    it("elb-tls12-listener-policy flags the default and a TLS 1.1 policy", () => {
        expectViolation("elb-tls12-listener-policy", edge("test", {}, REDIRECT, null), ["test-https"], /TLS 1\.0/);
        expectViolation(
            "elb-tls12-listener-policy",
            edge("test", {}, REDIRECT, "ELBSecurityPolicy-TLS-1-1-2017-01"),
            ["test-https"],
            /TLS-1-1/,
        );
    });
    it("elb-https-redirect flags an internet-facing HTTP listener that forwards, not an internal one", () => {
        expectViolation(
            "elb-https-redirect",
            edge("test", {}, [{ type: "forward", targetGroupArn: UNKNOWN }]),
            ["test-http"],
            /redirect to HTTPS/,
        );
        expectCompliant("elb-https-redirect", edge("test", { internal: true }, [{ type: "forward", targetGroupArn: UNKNOWN }]));
    });
    it("elb-access-logs flags a load balancer without logs: advisory in test, mandatory in prod", () => {
        const [t] = expectViolation("elb-access-logs", edge("test", { accessLogs: undefined }), ["test-alb"], /access logs/);
        const [p] = expectViolation(
            "elb-access-logs",
            edge("prod", { accessLogs: { bucket: "b", enabled: false } }),
            ["prod-alb"],
            /access logs/,
        );
        expect([t.enforcementLevel, p.enforcementLevel]).to.deep.equal(["advisory", "mandatory"]);
    });
    it("elb-deletion-protection-prod flags prod only", () => {
        expectViolation(
            "elb-deletion-protection-prod",
            edge("prod", { enableDeletionProtection: false }),
            ["prod-alb"],
            /deletion protection/,
        );
        expectCompliant("elb-deletion-protection-prod", edge("test", { enableDeletionProtection: false }));
    });
});

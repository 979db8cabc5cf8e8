import { expect } from "chai";
import { probePlan } from "./probe";

/** Each mistake in test/fixtures/probe-program and the policy that must block it (mandatory in prod). */
const MISTAKES: [resource: string, policy: string][] = [
    ["probe-public-queue-policy", "resource-policy-no-public-access"],
    ["probe-vendor-key", "resource-policy-no-external-access"],
    ["probe-unscoped-permission", "resource-policy-service-scoped"],
    ["probe-open-url", "resource-policy-no-public-access"],
    ["probe-public-snapshot", "resource-policy-no-public-access"],
    ["probe-whole-account-role", "iam-trust-no-whole-account"],
    ["probe-external-id-role", "resource-policy-no-public-access"],
    ["probe-admin-attachment", "iam-no-managed-admin"],
    ["probe-service-wildcard", "iam-no-service-wildcard"],
    ["probe-short-logs", "logs-retention"],
    ["probe-short-logs", "logs-kms"],
    ["probe-open-egress", "sg-no-unrestricted-egress"],
    ["probe-ssh-nodes", "eks-node-group-no-remote-access"],
    ["probe-no-tls-db", "rds-force-ssl"],
    ["probe-http-origin", "cloudfront-origin-https"],
    ["probe-single-region-trail", "cloudtrail-baseline"],
    ["probe-bare-detector", "guardduty-protection-plans"],
    ["probe-lax-repo", "ecr-scan-and-encrypt"],
    ["probe-plain-topic", "kms-encrypted-topics-secrets-volumes"],
    ["probe-plain-secret", "kms-encrypted-topics-secrets-volumes"],
    ["probe-plain-volume", "kms-encrypted-topics-secrets-volumes"],
    ["probe-no-audit-domain", "service-log-exports"],
    ["probe-unlogged-waf", "waf-logging"],
    ["probe-old-runtime", "versions-current"],
    // v2 classes
    ["probe-stale-nodes", "eks-version-supported"],
    ["probe-unscanned-org", "inspector-enabled"],
    ["probe-unscanned-org", "securityhub-enabled"],
    ["probe-blind-db", "rds-monitoring"],
    ["probe-unlogged-db", "rds-postgres-logging"],
    ["probe-s3-only-trail", "cloudtrail-cloudwatch-logs"],
    ["probe-undocumented-sg", "sg-descriptions"],
    ["probe-coarse-template", "ec2-detailed-monitoring"],
    ["probe-one-az-fn", "multi-az-placement"],
    ["probe-leaky-fn", "lambda-env-no-secrets"],
    ["probe-ip-record", "route53-alias-records"],
    ["probe-unlogged-zone", "route53-query-logging"],
    ["probe-hoarding-repo", "ecr-lifecycle-policy"],
    ["probe-hoarding-bucket", "s3-lifecycle"],
    ["probe-fixed-table", "dynamodb-capacity-scales"],
    ["probe-counting-waf", "waf-managed-rules"],
    ["probe-headerless-cdn", "cloudfront-security-headers"],
    ["probe-open-domain", "opensearch-fine-grained-access"],
    ["probe-fragile-domain", "opensearch-ha-prod"],
    ["probe-hidden-cert", "acm-transparency-logging"],
];

describe("policy-pack on the probe program (one realistic mistake per class, test/fixtures/probe-program)", function () {
    this.timeout(300_000);
    it("blocks every mistake with a mandatory violation that names the resource", async () => {
        const plan = await probePlan();
        const mandatory = plan.stacks.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"));
        // Named twice: the violation's URN, and its message (what a reviewer reads).
        const missed = MISTAKES.filter(
            ([resource, policy]) =>
                !mandatory.some((v) => v.policy === policy && v.urn?.endsWith(`::${resource}`) && v.message.includes(resource)),
        );
        expect(
            missed.map(([r, p]) => `${p} did not block ${r}`),
            JSON.stringify(
                mandatory.map((v) => [v.policy, v.urn, v.message]),
                null,
                1,
            ),
        ).to.deep.equal([]);
        expect(plan.summary.mandatory).to.be.greaterThanOrEqual(MISTAKES.length);
    });
});

import { expect } from "chai";
import type { PlannedResource } from "../../plan-model/types";
import { VPC_CIDRS } from "../../lib/environments";
import { ORIGIN_VERIFY_HEADER } from "../../platform/edge/cdn";
import { ALB_SSL_POLICY } from "../../platform/edge/load-balancer";
import { MANAGED_RULE_GROUPS } from "../../platform/edge/waf";
import { Inventory } from "../harness";
import { ACCOUNTS, providerOf, synthesizePlatform, within } from "./fixtures";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";
const ACL = "aws:wafv2/webAcl:WebAcl";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const CERTIFICATE = "aws:acm/certificate:Certificate";

describe("platform ingress edge", () => {
    let stack: Inventory;
    let edge: Inventory;
    let testEdge: Inventory;
    before(async () => {
        const [prod, test] = await Promise.all([synthesizePlatform("prod"), synthesizePlatform("test")]);
        stack = prod;
        edge = within(prod, "payments:platform:Edge");
        testEdge = within(test, "payments:platform:Edge");
    });

    const alb = (inventory: Inventory, scheme: "public" | "internal", env = "prod") =>
        within(inventory, "payments:platform:ApplicationLoadBalancer", `${env}-alb-${scheme}`);

    describe("public ALB", () => {
        it("sits in the public subnets, drops invalid headers, logs to S3 and is deletion-protected in prod", () => {
            const lb = alb(edge, "public").one(LB);
            expect(lb.inputs).to.include({
                internal: false,
                loadBalancerType: "application",
                dropInvalidHeaderFields: true,
                enableDeletionProtection: true,
            });
            expect(lb.inputs.subnets).to.deep.equal(stack.outputs.publicSubnetIds);
            expect(edge.input(lb, "accessLogs")).to.deep.include({ enabled: true, prefix: "alb-public" });
            // S3 names are global: the account id keeps the name this account's.
            expect(edge.input(lb, "accessLogs.bucket")).to.equal(`prod-edge-logs-${ACCOUNTS.prod}`);
            expect(alb(testEdge, "public", "test").one(LB).inputs.enableDeletionProtection, "test ALBs may be destroyed").to.equal(false);
        });

        it("terminates TLS 1.2+ only and redirects HTTP to HTTPS", () => {
            const listeners = alb(edge, "public").ofType(LISTENER);
            const https = listeners.find((l) => l.inputs.port === 443)!;
            expect(https.inputs).to.include({ protocol: "HTTPS", sslPolicy: ALB_SSL_POLICY });
            expect(String(https.inputs.certificateArn)).to.match(/^arn:aws:acm:us-east-1:444444444444:certificate\//);
            const http = listeners.find((l) => l.inputs.port === 80)!;
            expect(edge.input(http, "defaultActions[0]")).to.deep.include({
                type: "redirect",
                redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            });
            expect(stack.outputs.publicHttpsListenerArn).to.match(/:listener\/app\/prod-alb-public\//);
        });

        it("forwards only requests carrying CloudFront's secret origin header, and refuses the rest", () => {
            const publicAlb = alb(edge, "public");
            const https = publicAlb.ofType(LISTENER).find((l) => l.inputs.port === 443)!;
            expect(edge.input(https, "defaultActions[0].fixedResponse.statusCode")).to.equal("403");
            const rules = publicAlb.ofType(RULE);
            expect(rules).to.have.length(2);
            for (const rule of rules) {
                const header = (rule.inputs.conditions as { httpHeader?: { httpHeaderName: string; values: string[] } }[]).find(
                    (c) => c.httpHeader,
                )?.httpHeader;
                expect(header, rule.name).to.deep.equal({ httpHeaderName: ORIGIN_VERIFY_HEADER, values: ["[secret]"] });
            }
            const api = rules.find((r) => r.name.endsWith("payments-api"))!;
            expect(api.inputs.conditions).to.deep.include({ pathPattern: { values: ["/api/*"] } });
        });

        it("is guarded by a regional WAF with AWS managed rule groups and a per-IP rate rule", () => {
            const acl = edge.one(ACL, "prod-waf-regional");
            expect(acl.inputs.scope).to.equal("REGIONAL");
            assertWebAclRules(acl, 1000);
            const association = alb(edge, "public").one("aws:wafv2/webAclAssociation:WebAclAssociation");
            expect(association.inputs.webAclArn).to.equal(stack.outputs.publicWebAclArn);
            expect(association.inputs.resourceArn).to.equal(stack.outputs.publicAlbArn);
            expect(testEdge.one(ACL, "test-waf-regional").inputs.rules).to.satisfy(
                (rules: { statement: { rateBasedStatement?: { limit: number } } }[]) =>
                    rules.some((r) => r.statement.rateBasedStatement?.limit === 2000),
            );
        });
    });

    describe("internal ALB", () => {
        it("sits in the private subnets and admits only the mgmt VPC (VPN router, Argo CD) on 80/443", () => {
            const internal = alb(edge, "internal");
            const lb = internal.one(LB);
            expect(lb.inputs.internal).to.equal(true);
            expect(lb.inputs.subnets).to.deep.equal(stack.outputs.privateSubnetIds);
            const ingress = internal.one("aws:ec2/securityGroup:SecurityGroup").inputs.ingress as {
                cidrBlocks: string[];
                fromPort: number;
            }[];
            expect(ingress.map((rule) => rule.fromPort).sort()).to.deep.equal([443, 80]);
            ingress.forEach((rule) => expect(rule.cidrBlocks).to.deep.equal([VPC_CIDRS.mgmt]));
        });

        it("routes the admin host to admin-web", () => {
            const rule = alb(edge, "internal").one(RULE);
            expect(rule.inputs.conditions).to.deep.equal([{ hostHeader: { values: ["admin.internal.prod.payments.example.com"] } }]);
        });
    });

    it("creates IP target groups for each service's TargetGroupBinding and exports them by service", () => {
        const groups = edge.ofType("aws:lb/targetGroup:TargetGroup");
        expect(groups.map((g) => g.name).sort()).to.deep.equal(["prod-admin-web", "prod-payments-api", "prod-payments-web"]);
        groups.forEach((g) => expect(g.inputs).to.include({ targetType: "ip", protocol: "HTTP" }));
        const exported = stack.outputs.targetGroupArns as Record<string, string>;
        expect(Object.keys(exported).sort()).to.deep.equal(["admin-web", "payments-api", "payments-web"]);
        expect(exported["admin-web"]).to.match(/:targetgroup\/prod-admin-web\//);
    });

    describe("CloudFront", () => {
        const distribution = () => edge.one(DISTRIBUTION);

        it("serves only TLS 1.2_2021+ on the env domain and redirects HTTP everywhere", () => {
            const d = distribution();
            expect(edge.input(d, "viewerCertificate")).to.deep.include({
                minimumProtocolVersion: "TLSv1.2_2021",
                sslSupportMethod: "sni-only",
            });
            expect(d.inputs.aliases).to.deep.equal(["prod.payments.example.com"]);
            const behaviours = [
                edge.input<Record<string, unknown>>(d, "defaultCacheBehavior"),
                ...edge.input<Record<string, unknown>[]>(d, "orderedCacheBehaviors"),
            ];
            behaviours.forEach((b) => expect(b.viewerProtocolPolicy).to.equal("redirect-to-https"));
            expect(stack.outputs.cloudfrontDomainName).to.match(/\.cloudfront\.net$/);
        });

        it("takes its certificate and WAF from us-east-1 even when the env runs in another region", async () => {
            const west = await synthesizePlatform("prod", { "platform:region": "us-west-2" });
            const zones = within(west, "payments:platform:DnsZones");
            expect(providerOf(west, zones.one(CERTIFICATE, "prod-cloudfront-cert")).region).to.equal("us-east-1");
            expect(providerOf(west, zones.one(CERTIFICATE, "prod-alb-cert")).region).to.equal("us-west-2");
            const westEdge = within(west, "payments:platform:Edge");
            expect(providerOf(west, westEdge.one(ACL, "prod-waf-cloudfront")).region).to.equal("us-east-1");
            expect(providerOf(west, westEdge.one(ACL, "prod-waf-regional")).region).to.equal("us-west-2");
            expect(String(westEdge.input(westEdge.one(DISTRIBUTION), "viewerCertificate.acmCertificateArn"))).to.match(
                /^arn:aws:acm:us-east-1:/,
            );
        });

        it("reads static assets through Origin Access Control, and the bucket admits only this distribution", () => {
            const d = distribution();
            const origins = edge.input<{ originId: string; originAccessControlId?: string; domainName: string }[]>(d, "origins");
            const s3 = origins.find((o) => o.originId === "static-assets")!;
            const oac = edge.one("aws:cloudfront/originAccessControl:OriginAccessControl");
            expect(s3.originAccessControlId).to.be.a("string").and.not.equal("");
            expect(d.dependencies).to.include(oac.urn);
            expect(oac.inputs).to.include({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
            expect(s3.domainName).to.match(new RegExp(`^prod-static-assets-${ACCOUNTS.prod}\\.s3\\.`));
            const policy = JSON.parse(
                String(
                    within(edge, "payments:lib:SecureBucket", "prod-static-assets").one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy,
                ),
            );
            const grant = policy.Statement.find((s: { Effect: string }) => s.Effect === "Allow");
            expect(grant.Principal).to.deep.equal({ Service: "cloudfront.amazonaws.com" });
            expect(grant.Condition.StringEquals["AWS:SourceArn"]).to.equal(
                `arn:aws:cloudfront::${ACCOUNTS.prod}:distribution/${stack.outputs.cloudfrontDistributionId}`,
            );
            const publicAccess = within(edge, "payments:lib:SecureBucket", "prod-static-assets").one(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            );
            expect(publicAccess.inputs).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
        });

        it("sends /api/* to the public ALB over TLS with the secret origin header", () => {
            const d = distribution();
            const alb = edge
                .input<
                    {
                        originId: string;
                        domainName: string;
                        customHeaders: { name: string; value: string }[];
                        customOriginConfig: Record<string, unknown>;
                    }[]
                >(d, "origins")
                .find((o) => o.originId === "public-alb")!;
            expect(alb.domainName).to.equal("origin.prod.payments.example.com");
            expect(alb.customHeaders).to.deep.equal([{ name: ORIGIN_VERIFY_HEADER, value: "[secret]" }]);
            expect(alb.customOriginConfig).to.deep.include({ originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] });
            const api = edge
                .input<{ pathPattern: string; targetOriginId: string }[]>(d, "orderedCacheBehaviors")
                .find((b) => b.pathPattern === "/api/*")!;
            expect(api.targetOriginId).to.equal("public-alb");
        });

        it("is guarded by a CLOUDFRONT-scope WAF created in us-east-1", () => {
            const acl = edge.one(ACL, "prod-waf-cloudfront");
            expect(acl.inputs.scope).to.equal("CLOUDFRONT");
            expect(providerOf(stack, acl).region).to.equal("us-east-1");
            assertWebAclRules(acl, 1000);
            expect(distribution().inputs.webAclId).to.equal(stack.outputs.cloudfrontWebAclArn);
        });

        it("logs requests and adds HSTS and the other security headers to every response", () => {
            const d = distribution();
            // Standard logging v2 (CloudWatch log delivery, in us-east-1): no bucket ACLs, no account outside the organization.
            expect(d.inputs.loggingConfig).to.equal(undefined);
            const source = edge.one("aws:cloudwatch/logDeliverySource:LogDeliverySource");
            expect(source.inputs).to.include({ logType: "ACCESS_LOGS" });
            expect(providerOf(stack, source).region).to.equal("us-east-1");
            const destination = edge.one("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
            expect(edge.input(destination, "deliveryDestinationConfiguration.destinationResourceArn")).to.equal(
                `arn:aws:s3:::prod-edge-logs-${ACCOUNTS.prod}/cloudfront`,
            );
            expect(edge.one("aws:cloudwatch/logDelivery:LogDelivery").inputs.deliverySourceName).to.equal(source.inputs.name);
            const headers = edge.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
            expect(edge.input(headers, "securityHeadersConfig.strictTransportSecurity")).to.deep.include({
                accessControlMaxAgeSec: 63_072_000,
                includeSubdomains: true,
                override: true,
            });
            const behaviours = [
                edge.input<Record<string, unknown>>(d, "defaultCacheBehavior"),
                ...edge.input<Record<string, unknown>[]>(d, "orderedCacheBehaviors"),
            ];
            behaviours.forEach((b) => expect(b.responseHeadersPolicyId).to.be.a("string").and.not.equal(""));
        });
    });

    it("creates the env's zones and serves the apex from CloudFront and origin.<domain> from the public ALB", () => {
        const zones = within(stack, "payments:platform:DnsZones");
        const publicZone = zones.one("aws:route53/zone:Zone", "prod-public-zone");
        expect(publicZone.inputs.name).to.equal("prod.payments.example.com");
        const privateZone = zones.one("aws:route53/zone:Zone", "prod-private-zone");
        expect(zones.input(privateZone, "vpcs[0].vpcId")).to.equal(stack.outputs.vpcId);
        expect(zones.one("aws:route53/zoneAssociation:ZoneAssociation").inputs.vpcId, "staff resolve internal names through mgmt").to.match(
            /^vpc-/,
        );
        const records = edge.ofType("aws:route53/record:Record");
        const apex = records.filter((r) => r.inputs.name === "prod.payments.example.com");
        expect(apex.map((r) => r.inputs.type).sort()).to.deep.equal(["A", "AAAA"]);
        apex.forEach((r) => expect(edge.input(r, "aliases[0].name")).to.equal(stack.outputs.cloudfrontDomainName));
        const origin = records.find((r) => r.inputs.name === "origin.prod.payments.example.com")!;
        expect(edge.input(origin, "aliases[0].name")).to.match(/^prod-alb-public-.*\.elb\.amazonaws\.com$/);
    });

    it("logs the public zone's DNS queries to a KMS-encrypted us-east-1 log group only Route 53 of this account may write", () => {
        const zones = within(stack, "payments:platform:DnsZones");
        const queryLog = zones.one("aws:route53/queryLog:QueryLog");
        const group = zones.one("aws:cloudwatch/logGroup:LogGroup", "prod-dns-query-logs");
        expect(group.inputs.name).to.equal("/aws/route53/prod.payments.example.com");
        expect(zones.input<string>(group, "kmsKeyId")).to.match(/^arn:aws:kms:us-east-1:/);
        expect(group.inputs.retentionInDays).to.be.at.least(365);
        expect(providerOf(stack, group).region).to.equal("us-east-1");
        expect(zones.input<string>(queryLog, "cloudwatchLogGroupArn")).to.match(/:log-group:\/aws\/route53\/prod\.payments\.example\.com$/);
        expect(zones.dependenciesOf(queryLog).map((d) => d.type)).to.include("aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
        const policy = JSON.parse(zones.input<string>(zones.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy"), "policyDocument"));
        expect(policy.Statement[0].Principal).to.deep.equal({ Service: "route53.amazonaws.com" });
        expect(policy.Statement[0].Condition.StringEquals["aws:SourceAccount"]).to.equal(ACCOUNTS.prod);
    });
});

function assertWebAclRules(acl: PlannedResource, rateLimit: number): void {
    const rules = acl.inputs.rules as {
        name: string;
        priority: number;
        action?: unknown;
        statement: Record<string, { name?: string; limit?: number; aggregateKeyType?: string }>;
    }[];
    const rate = rules.find((r) => r.statement.rateBasedStatement)!;
    expect(rate.statement.rateBasedStatement).to.deep.include({ limit: rateLimit, aggregateKeyType: "IP" });
    expect(rate.action).to.deep.equal({ block: {} });
    const managed = rules.filter((r) => r.statement.managedRuleGroupStatement).map((r) => r.statement.managedRuleGroupStatement.name);
    expect(managed).to.deep.equal([...MANAGED_RULE_GROUPS]);
    expect(rate.priority, "the rate rule runs first").to.equal(Math.min(...rules.map((r) => r.priority)));
}

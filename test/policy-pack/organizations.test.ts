import { PlannedResource } from "../../plan-model/types";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const POLICY = "aws:organizations/policy:Policy";
const ATTACH = "aws:organizations/policyAttachment:PolicyAttachment";
const OU = "aws:organizations/organizationalUnit:OrganizationalUnit";

function scp(b: StackBuilder, name: string, type = "SERVICE_CONTROL_POLICY", statements = 1): PlannedResource {
    const Statement = Array.from({ length: statements }, (_, i) => ({
        Sid: `S${i}`,
        Effect: "Deny",
        Action: `ec2:Action${i}`,
        Resource: "*",
    }));
    return b.add(POLICY, name, { type, content: JSON.stringify({ Version: "2012-10-17", Statement }) });
}

function attach(b: StackBuilder, policy: PlannedResource, target: PlannedResource): void {
    b.add(ATTACH, `${policy.name}-${target.name}`, { policyId: `p-${policy.name}`, targetId: UNKNOWN }, { dependsOn: [policy, target] });
}

describe("policy-pack organizations", () => {
    describe("org-policy-size", () => {
        it("passes a small SCP and ignores tag policies", () => {
            const b = new StackBuilder("org", "foundation");
            scp(b, "deny-leave");
            scp(b, "tags", "TAG_POLICY", 400);
            expectCompliant("org-policy-size", b);
        });
        it("flags an SCP and an RCP over 5,120 characters minified", () => {
            const b = new StackBuilder("org", "foundation");
            scp(b, "huge-scp", "SERVICE_CONTROL_POLICY", 120);
            scp(b, "huge-rcp", "RESOURCE_CONTROL_POLICY", 120);
            expectViolation("org-policy-size", b, ["huge-scp", "huge-rcp"], /characters minified; the limit is 5120/);
        });
        it("cannot verify content unknown until apply", () => {
            const b = new StackBuilder("org", "foundation");
            b.add(POLICY, "p", { content: UNKNOWN });
            expectCannotVerify("org-policy-size", b);
        });
    });

    describe("org-scp-attachment-limit and org-rcp-attachment-limit", () => {
        it("passes four SCPs plus FullAWSAccess on one OU, and counts RCPs separately", () => {
            const b = new StackBuilder("org", "foundation");
            const prod = b.add(OU, "prod-ou", { name: "Prod" });
            for (const name of ["a", "b", "c", "d"]) {
                attach(b, scp(b, name), prod);
            }
            for (const name of ["r1", "r2", "r3", "r4"]) {
                attach(b, scp(b, name, "RESOURCE_CONTROL_POLICY"), prod);
            }
            expectCompliant("org-scp-attachment-limit", b);
            expectCompliant("org-rcp-attachment-limit", b);
        });
        it("flags a fifth SCP (six with FullAWSAccess) and counts an explicit FullAWSAccess once", () => {
            const b = new StackBuilder("org", "foundation");
            const prod = b.add(OU, "prod-ou", { name: "Prod" });
            for (const name of ["a", "b", "c", "d", "e"]) {
                attach(b, scp(b, name), prod);
            }
            expectViolation("org-scp-attachment-limit", b, ["a-prod-ou"], /prod-ou would have 6 SCPs/);
            const explicit = new StackBuilder("org", "foundation");
            const nonProd = explicit.add(OU, "nonprod-ou", {});
            for (const name of ["a", "b", "c", "d"]) {
                attach(explicit, scp(explicit, name), nonProd);
            }
            explicit.add(ATTACH, "full-access", { policyId: "p-FullAWSAccess", targetId: UNKNOWN }, { dependsOn: [nonProd] });
            expectCompliant("org-scp-attachment-limit", explicit);
        });
        it("flags six RCPs on one OU", () => {
            const b = new StackBuilder("org", "foundation");
            const ou = b.add(OU, "ou", {});
            for (const name of ["r1", "r2", "r3", "r4", "r5"]) {
                attach(b, scp(b, name, "RESOURCE_CONTROL_POLICY"), ou);
            }
            expectViolation("org-rcp-attachment-limit", b, ["r1-ou"], /6 RCPs/);
        });
    });
});

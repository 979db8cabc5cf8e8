import { expect } from "chai";
import { AWS_MANAGED_FULL_ACCESS, ORGANIZATION_POLICY_SPECS, POLICY_QUOTAS, PolicyTarget } from "../../foundation/policies";
import { Inventory } from "../harness";
import { foundationOrg, jsonInput, outputsOf } from "./fixture";

const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";

describe("foundation guardrails as deployed", () => {
    let inventory: Inventory;
    let targetOf: (id: unknown) => PolicyTarget;
    /** Attached policy names by target and type, the AWS-managed full-access policy included. */
    let attached: Record<string, Record<string, string[]>>;

    before(async () => {
        inventory = await foundationOrg();
        const { rootId, ouIds } = outputsOf(inventory);
        const ids: Record<string, PolicyTarget> = {
            [rootId]: "root",
            [ouIds.security]: "security",
            [ouIds.workloads]: "workloads",
            [ouIds.nonProd]: "nonProd",
            [ouIds.prod]: "prod",
        };
        targetOf = (id) => ids[String(id)];
        attached = {};
        for (const attachment of inventory.ofType(ATTACHMENT)) {
            const policy = inventory.dependenciesOf(attachment).find((d) => d.type === POLICY)!;
            const type = inventory.input<string>(policy, "type");
            const target = targetOf(inventory.input(attachment, "targetId"));
            attached[target] ??= {};
            attached[target][type] ??= [AWS_MANAGED_FULL_ACCESS[type as keyof typeof AWS_MANAGED_FULL_ACCESS]];
            attached[target][type].push(inventory.input<string>(policy, "name"));
        }
    });

    it("attaches the organization-wide SCPs and RCPs to the root and the prod data SCP to the Prod OU", () => {
        expect(attached.root.SERVICE_CONTROL_POLICY).to.have.members([
            "FullAWSAccess",
            "org-guardrails-scp-baseline",
            "org-guardrails-scp-regions",
            "org-guardrails-scp-security-services",
        ]);
        expect(attached.root.RESOURCE_CONTROL_POLICY).to.have.members([
            "RCPFullAWSAccess",
            "org-guardrails-rcp-data-perimeter",
            "org-guardrails-rcp-secure-transport",
            "org-guardrails-rcp-github-federation",
        ]);
        expect(attached.prod.SERVICE_CONTROL_POLICY).to.have.members(["FullAWSAccess", "org-guardrails-scp-prod-data"]);
        expect(attached.nonProd).to.equal(undefined);
        expect(attached.security).to.equal(undefined);
    });

    it(`never attaches more than ${POLICY_QUOTAS.maxDirectlyAttachedPerTarget} policies of a type to one target`, () => {
        for (const [target, byType] of Object.entries(attached)) {
            for (const [type, names] of Object.entries(byType)) {
                expect(names.length, `${target} ${type}`).to.be.at.most(POLICY_QUOTAS.maxDirectlyAttachedPerTarget);
            }
        }
    });

    it("deploys every policy of the attachment plan, minified and within the size limit", () => {
        expect(inventory.ofType(POLICY)).to.have.length(ORGANIZATION_POLICY_SPECS.length);
        for (const policy of inventory.ofType(POLICY)) {
            const content = inventory.input<string>(policy, "content");
            expect(content.length, policy.name).to.be.at.most(POLICY_QUOTAS.maxMinifiedCharacters);
            expect(content, policy.name).to.equal(JSON.stringify(JSON.parse(content)));
        }
    });

    it("fills the policies with the real organization id, regions and role names", () => {
        const { organizationId, allowedRegions } = outputsOf(inventory);
        const perimeter = jsonInput(inventory, inventory.one(POLICY, "org-guardrails-rcp-data-perimeter"), "content");
        expect(perimeter.Statement[0].Condition.StringNotEqualsIfExists["aws:PrincipalOrgID"]).to.equal(organizationId);
        const regions = jsonInput(inventory, inventory.one(POLICY, "org-guardrails-scp-regions"), "content");
        expect(regions.Statement[0].Condition.StringNotEquals["aws:RequestedRegion"]).to.deep.equal(allowedRegions);
        expect(regions.Statement[0].Condition.ArnNotLike["aws:PrincipalArn"]).to.deep.equal(["arn:aws:iam::*:role/payments-break-glass"]);
        const baseline = jsonInput(inventory, inventory.one(POLICY, "org-guardrails-scp-baseline"), "content");
        const publicAccess = baseline.Statement.find((s: { Sid: string }) => s.Sid === "ProtectS3PublicAccessBlock");
        expect(publicAccess.Condition.ArnNotLike["aws:PrincipalArn"]).to.deep.equal([
            "arn:aws:iam::*:role/payments-deployment",
            "arn:aws:iam::*:role/OrganizationAccountAccessRole",
            "arn:aws:iam::*:role/payments-pr-deployment",
        ]);
        const prBuckets = baseline.Statement.find((s: { Sid: string }) => s.Sid === "PrBucketsOnly");
        expect(prBuckets).to.deep.include({
            NotResource: "arn:aws:s3:::pr-*",
            Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/payments-pr-deployment" } },
        });
    });

    it("exempts role names that the stack really creates", () => {
        const roleNames = inventory.ofType("aws:iam/role:Role").map((r) => inventory.input<string>(r, "name"));
        expect(roleNames).to.include.members(["payments-deployment", "payments-break-glass", "payments-pr-deployment"]);
    });
});

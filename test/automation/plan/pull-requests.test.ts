import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import type { PlannedStack } from "../../../plan-model/types";
import { planPullRequests, PullRequestFleet, sharedResourceConflicts } from "../../../automation/plan/pull-requests";

interface Statement {
    Sid?: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: unknown;
}

/** Every role policy of a PR stack (the worker's and the Pod Identity roles'), by role name. */
function rolePolicies(stack: PlannedStack): Map<string, { Statement: Statement[] }> {
    return new Map(
        stack.resources
            .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
            .map((r) => [String(r.inputs.role), JSON.parse(String(r.inputs.policy)) as { Statement: Statement[] }]),
    );
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** A concrete resource a pattern grants: `.../payments/*` -> `.../payments/object`. */
const concrete = (arn: string) => arn.replace(/\*$/, "object");

/** Where a PR's data lives: its table, bucket, queues, key, database user and index. */
const DATA_SERVICES = /^(dynamodb|s3|sqs|kms|rds-db|es):/;

/**
 * Every (action, resource) on data a PR's own policies grant, as concrete requests. A statement on
 * every resource that a condition scopes (the provisioner decrypting its secret through Secrets
 * Manager, by the secret's encryption context) names no resource to ask about: its condition is the scope.
 */
function grantedRequests(stack: PlannedStack): { action: string; resource: string }[] {
    return [...rolePolicies(stack).values()].flatMap((doc) =>
        doc.Statement.filter((st) => !(list(st.Resource).includes("*") && st.Condition !== undefined)).flatMap((st) =>
            list(st.Action)
                .filter((action) => DATA_SERVICES.test(action))
                .flatMap((action) => list(st.Resource).map((resource) => ({ action, resource: concrete(resource) }))),
        ),
    );
}

/**
 * KMS decides with the key policy too. A PR's key sets none, so it has KMS's default key policy,
 * which lets the account's IAM policies decide.
 */
function keyPolicyOf(stack: PlannedStack, account: string): unknown {
    const policy = stack.resources.find((r) => r.type === "aws:kms/key:Key")!.inputs.policy;
    return policy !== undefined
        ? JSON.parse(String(policy))
        : {
              Version: "2012-10-17",
              Statement: [
                  {
                      Sid: "Enable IAM User Permissions",
                      Effect: "Allow",
                      Principal: { AWS: `arn:aws:iam::${account}:root` },
                      Action: "kms:*",
                      Resource: "*",
                  },
              ],
          };
}

async function decide(roleArn: string, policy: unknown, action: string, resource: string, resourcePolicy?: unknown): Promise<string> {
    const result = await runSimulation(
        {
            request: {
                principal: roleArn,
                action,
                resource: { resource, accountId: resource.split(":")[4] || roleArn.split(":")[4] },
                contextVariables: {},
            },
            identityPolicies: [{ name: "inline", policy }],
            resourcePolicy: action.startsWith("kms:") ? resourcePolicy : undefined,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
}

/** 20 live PRs in the suite (the 200 run in `npm run bench:scale`); 7 and 24957 shared listener priorities under `pr % 24950`. */
const NUMBERS = [7, 24_957, ...Array.from({ length: 18 }, (_, i) => 100 + i * 37)];

describe("many live PR environments on one test platform", function () {
    let fleet: PullRequestFleet;
    let platformTest: PlannedStack;

    before(async () => {
        fleet = await planPullRequests(NUMBERS);
        platformTest = fleet.upstream.find((s) => s.project === "platform" && s.stack === "test")!;
    });

    it(`plans ${NUMBERS.length} PR stacks against one synthesized platform, with no mandatory violation`, () => {
        expect(fleet.pullRequests.map((s) => s.stack)).to.deep.equal(NUMBERS.map((n) => `pr-${n}`));
        expect(fleet.pullRequests.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"))).to.deep.equal([]);
    });

    it("claims no name, hostname, listener priority or port another live PR or the platform holds", () => {
        expect(sharedResourceConflicts([platformTest, ...fleet.pullRequests])).to.deep.equal([]);
    });

    it("lets PR 7 and PR 24957 be live together: neither claims a listener priority, their hosts differ", () => {
        const [seven, other] = fleet.pullRequests;
        for (const stack of [seven, other]) {
            expect(
                stack.resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule").map((r) => r.name),
                stack.stack,
            ).to.deep.equal([]);
        }
        expect(seven.outputs.publicHostname).to.not.equal(other.outputs.publicHostname);
    });

    it("finds the conflict when two stacks do claim the same thing (the check is not vacuous)", () => {
        const rule = (stack: string, priority: number): PlannedStack => ({
            project: "workloads",
            stack,
            outputs: {},
            violations: [],
            resources: [
                {
                    urn: `urn:pulumi:${stack}::workloads::aws:lb/listenerRule:ListenerRule::rule`,
                    type: "aws:lb/listenerRule:ListenerRule",
                    name: "rule",
                    custom: true,
                    parent: null,
                    provider: null,
                    inputs: { listenerArn: "arn:listener", priority },
                    protect: false,
                    retainOnDelete: false,
                    dependencies: [],
                },
            ],
        });
        expect(sharedResourceConflicts([rule("pr-7", 114), rule("pr-24957", 114)])).to.deep.equal([
            "priority arn:listener 114: workloads/pr-7, workloads/pr-24957",
        ]);
        // The same PR deployed twice (say, from two branches) collides on its host, names and routes.
        const twice = sharedResourceConflicts([fleet.pullRequests[0], { ...fleet.pullRequests[0], stack: "pr-7-again" }]);
        expect(twice.some((c) => c.startsWith(`hostname ${String(fleet.pullRequests[0].outputs.publicHostname)}`))).to.equal(true);
        expect(twice.some((c) => c.startsWith("name HTTPRoute pr-7/payments"))).to.equal(true);
    });

    it("holds at least 200 live PRs by the capacity model, and says what limits it", () => {
        expect(fleet.capacity).to.not.equal(undefined);
        expect(fleet.capacity!.livePullRequests).to.be.at.least(200);
        expect(fleet.capacity!.limitedBy.length).to.be.at.least(1);
    });

    it("keeps each PR's roles to its own data: every grant of PR 7 is allowed to PR 7 and denied to every role of PR 24957", async () => {
        const [seven, other] = fleet.pullRequests;
        const account = String(platformTest.outputs.accountId);
        // Shared on purpose: the test environment's SES identity and configuration set, which every PR sends through.
        const own = grantedRequests(seven).filter((request) => !request.resource.includes(":ses:"));
        expect(own.map((r) => r.action)).to.include.members([
            "rds-db:connect",
            "dynamodb:PutItem",
            "sqs:ReceiveMessage",
            "s3:GetObject",
            "kms:Decrypt",
            "es:ESHttpPut",
        ]);
        for (const [role, policy] of rolePolicies(other)) {
            const arn = `arn:aws:iam::${account}:role/${role}`;
            for (const request of own) {
                expect(
                    await decide(arn, policy, request.action, request.resource, keyPolicyOf(seven, account)),
                    `${role} ${request.action} ${request.resource}`,
                ).to.not.equal("Allowed");
            }
        }
        // Not vacuous: the same requests are allowed to the PR's own roles.
        const [role, policy] = [...rolePolicies(seven)].find(([name]) => name.endsWith("payments-worker"))!;
        const workerGrants = grantedRequests({
            ...seven,
            resources: seven.resources.filter((r) => r.type !== "aws:iam/rolePolicy:RolePolicy" || r.inputs.role === role),
        });
        for (const request of workerGrants) {
            expect(
                await decide(`arn:aws:iam::${account}:role/${role}`, policy, request.action, request.resource, keyPolicyOf(seven, account)),
                `${request.action} ${request.resource}`,
            ).to.equal("Allowed");
        }
        expect(workerGrants.find((r) => r.action === "rds-db:connect")!.resource).to.match(/dbuser:[^/]+\/payments_pr_7$/);
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CI_TARGETS, CiTarget } from "../../lib/ci-trust";
import type { AccountName } from "../../lib/environments";
import { REPO_ROOT } from "../../lib/repository";
import { accountOf, jsonInput } from "../foundation/fixture";
import { decide, Decision, Estate, synthesizedEstate } from "./ci-trust-simulator";
import { prBoundaryPolicy } from "../../foundation/pr-deployment-role";

const REPOSITORY = (parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.mgmt.yaml"), "utf8")) as { config: Record<string, string> }).config[
    "payments-bootstrap:githubRepository"
];
const GITHUB = "token.actions.githubusercontent.com";
const ALL_ACCOUNTS: AccountName[] = ["management", "security", "test", "preprod", "prod"];

/** The claims GitHub puts in a job's OIDC token. */
interface Token {
    sub: string;
    ref: string;
    workflow: string;
    repository?: string;
}

const pullRequestToken: Token = { sub: "pull_request", ref: "refs/pull/7/merge", workflow: "pr-environment.yml@refs/pull/7/merge" };
const deployToken = (environment: string, ref = "refs/heads/main"): Token => ({
    sub: `environment:${environment}`,
    ref,
    workflow: `promote.yml@${ref}`,
});
const previewToken = (target: string): Token => ({
    sub: `environment:preview-${target}`,
    ref: "refs/pull/7/merge",
    workflow: "pull-request.yml@refs/pull/7/merge",
});
const gcToken: Token = { sub: "ref:refs/heads/main", ref: "refs/heads/main", workflow: "pr-gc.yml@refs/heads/main" };

function claims(token: Token): Record<string, string> {
    const repository = token.repository ?? REPOSITORY;
    return {
        [`${GITHUB}:aud`]: "sts.amazonaws.com",
        [`${GITHUB}:sub`]: `repo:${repository}:${token.sub}`,
        [`${GITHUB}:repository`]: repository,
        [`${GITHUB}:ref`]: token.ref,
        [`${GITHUB}:job_workflow_ref`]: `${repository}/.github/workflows/${token.workflow}`,
    };
}

describe("CI trust model (IAM evaluator over the synthesized bootstrap and foundation policies)", function () {
    this.timeout(120_000);
    let estate: Estate;
    const management = () => estate.accountIds.management;
    const ciRoleArn = (name: string) => `arn:aws:iam::${management()}:role/${name}`;
    const ciRole = (name: string) => estate.bootstrap.one("aws:iam/role:Role", name);
    const ciPolicy = (name: string) => jsonInput(estate.bootstrap, estate.bootstrap.one("aws:iam/rolePolicy:RolePolicy", name), "policy");
    const accountRole = (account: AccountName, name: string) => {
        const role = estate.foundation
            .ofType("aws:iam/role:Role")
            .find((r) => estate.foundation.input(r, "name") === name && accountOf(estate.foundation, r) === estate.accountIds[account]);
        if (role === undefined) {
            throw new Error(`no role ${name} in ${account}`);
        }
        return role;
    };
    const accountRoleArn = (account: AccountName, name: string) => `arn:aws:iam::${estate.accountIds[account]}:role/${name}`;

    /** A GitHub job's token asking for a CI role. */
    const exchange = (roleName: string, token: Token): Promise<Decision> =>
        decide(estate, {
            principal: `arn:aws:iam::${management()}:oidc-provider/${GITHUB}`,
            action: "sts:AssumeRoleWithWebIdentity",
            resource: ciRoleArn(roleName),
            resourceAccount: "management",
            resourcePolicy: jsonInput(estate.bootstrap, ciRole(roleName), "assumeRolePolicy"),
            context: claims(token),
        });

    /** A CI role (its own identity policy) assuming a role in an account (that role's trust), as configure-aws-credentials does. */
    const chain = (ciRoleName: string, account: AccountName, roleName: string, action = "sts:AssumeRole"): Promise<Decision> =>
        decide(estate, {
            principal: ciRoleArn(ciRoleName),
            action,
            resource: accountRoleArn(account, roleName),
            resourceAccount: account,
            identityPolicies: [ciPolicy(ciRoleName)],
            resourcePolicy: jsonInput(estate.foundation, accountRole(account, roleName), "assumeRolePolicy"),
        });

    before(async () => {
        estate = await synthesizedEstate();
    });

    describe("a pull_request token", () => {
        it("reaches the PR CI role, and through it the PR deployment role in test, tagging both sessions", async () => {
            expect(await exchange("mgmt-ci-pr", pullRequestToken)).to.equal("Allowed");
            expect(await chain("mgmt-ci-pr", "test", "payments-pr-deployment")).to.equal("Allowed");
            expect(await chain("mgmt-ci-pr", "test", "payments-pr-deployment", "sts:TagSession")).to.equal("Allowed");
        });

        it("cannot become any deploy or preview CI role", async () => {
            for (const target of CI_TARGETS) {
                expect(await exchange(`mgmt-ci-deploy-${target}`, pullRequestToken), `deploy ${target}`).to.equal("ImplicitlyDenied");
                expect(await exchange(`mgmt-ci-preview-${target}`, pullRequestToken), `preview ${target}`).to.equal("ImplicitlyDenied");
            }
        });

        it("cannot, through the PR CI role, assume a deployment role in any account", async () => {
            for (const account of ALL_ACCOUNTS) {
                expect(await chain("mgmt-ci-pr", account, "payments-deployment"), account).to.not.equal("Allowed");
                expect(await chain("mgmt-ci-pr", account, "payments-preview"), `${account} preview`).to.not.equal("Allowed");
            }
        });

        it("of another repository or a fork's customised subject is refused", async () => {
            expect(await exchange("mgmt-ci-pr", { ...pullRequestToken, repository: "someone/fork" })).to.equal("ImplicitlyDenied");
        });
    });

    describe("deployments", () => {
        it("environment:prod on main reaches prod's deployment role; the session may be tagged", async () => {
            expect(await exchange("mgmt-ci-deploy-prod", deployToken("prod"))).to.equal("Allowed");
            expect(await chain("mgmt-ci-deploy-prod", "prod", "payments-deployment")).to.equal("Allowed");
            expect(await chain("mgmt-ci-deploy-prod", "prod", "payments-deployment", "sts:TagSession")).to.equal("Allowed");
        });

        it("another branch, environment:test and pull_request cannot become the prod deploy role", async () => {
            expect(await exchange("mgmt-ci-deploy-prod", deployToken("prod", "refs/heads/feature"))).to.equal("ImplicitlyDenied");
            expect(await exchange("mgmt-ci-deploy-prod", deployToken("test"))).to.equal("ImplicitlyDenied");
            expect(await exchange("mgmt-ci-deploy-prod", pullRequestToken)).to.equal("ImplicitlyDenied");
            expect(await exchange("mgmt-ci-deploy-prod", { ...deployToken("prod"), workflow: "evil.yml@refs/heads/main" })).to.equal(
                "ImplicitlyDenied",
            );
        });

        it("each deploy CI role assumes only its own account's deployment role", async () => {
            const home: Record<CiTarget, AccountName> = {
                org: "management",
                mgmt: "management",
                test: "test",
                preprod: "preprod",
                prod: "prod",
            };
            for (const target of CI_TARGETS) {
                for (const account of ["management", "test", "preprod", "prod"] as AccountName[]) {
                    const expected = home[target] === account ? "Allowed" : "ImplicitlyDenied";
                    expect(await chain(`mgmt-ci-deploy-${target}`, account, "payments-deployment"), `${target} -> ${account}`).to.equal(
                        expected,
                    );
                }
                expect(await chain(`mgmt-ci-deploy-${target}`, "test", "payments-pr-deployment"), `${target} -> PR role`).to.not.equal(
                    "Allowed",
                );
            }
        });

        it("the PR garbage collector on main may use the PR role only", async () => {
            expect(await exchange("mgmt-ci-pr", gcToken)).to.equal("Allowed");
            expect(await exchange("mgmt-ci-pr", { ...gcToken, workflow: "deploy.yml@refs/heads/main" })).to.equal("ImplicitlyDenied");
            expect(await exchange("mgmt-ci-deploy-test", gcToken)).to.equal("ImplicitlyDenied");
        });
    });

    describe("previews", () => {
        it("preview-<target> reaches only its read-only preview role, in its own account", async () => {
            expect(await exchange("mgmt-ci-preview-prod", previewToken("prod"))).to.equal("Allowed");
            expect(await exchange("mgmt-ci-preview-prod", previewToken("test"))).to.equal("ImplicitlyDenied");
            expect(await chain("mgmt-ci-preview-prod", "prod", "payments-preview")).to.equal("Allowed");
            expect(await chain("mgmt-ci-preview-prod", "prod", "payments-deployment")).to.not.equal("Allowed");
            expect(await chain("mgmt-ci-preview-test", "prod", "payments-preview")).to.not.equal("Allowed");
        });
    });

    describe("state and secrets", () => {
        const bucket = () => estate.bootstrap.outputs.backendUrl as string;
        const object = (key: string) => `arn:aws:s3:::${bucket().replace("s3://", "")}/${key}`;
        const state = (roleName: string, action: string, key: string) =>
            decide(estate, {
                principal: ciRoleArn(roleName),
                action,
                resource: object(key),
                resourceAccount: "management",
                identityPolicies: [ciPolicy(roleName)],
                resourcePolicy: jsonInput(estate.bootstrap, estate.bootstrap.one("aws:s3/bucketPolicy:BucketPolicy"), "policy"),
            });
        /** Each environment's key ARN is its deploy role's own; its key policy comes from the key resource of that name. */
        const secretsKey = (target: CiTarget) => {
            const own = (ciPolicy(`mgmt-ci-deploy-${target}`).Statement as { Sid: string; Resource: string }[]).find(
                (s) => s.Sid === "OwnSecretsKey",
            )!;
            return {
                arn: own.Resource,
                policy: jsonInput(estate.bootstrap, estate.bootstrap.one("aws:kms/key:Key", `mgmt-pulumi-secrets-${target}`), "policy"),
            };
        };
        const useKey = (roleName: string, target: CiTarget, action = "kms:Decrypt") =>
            decide(estate, {
                principal: ciRoleArn(roleName),
                action,
                resource: secretsKey(target).arn,
                resourceAccount: "management",
                identityPolicies: [ciPolicy(roleName)],
                resourcePolicy: secretsKey(target).policy,
            });

        it("gives every environment its own secrets key", () => {
            expect(new Set(CI_TARGETS.map((target) => secretsKey(target).arn)).size).to.equal(CI_TARGETS.length);
        });

        it("lets the PR role read and write only workloads/pr-* state and locks, and read platform/test's outputs", async () => {
            for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
                expect(await state("mgmt-ci-pr", action, ".pulumi/stacks/workloads/pr-42.json"), action).to.equal("Allowed");
                expect(await state("mgmt-ci-pr", action, ".pulumi/locks/workloads/pr-42/0b1c.json"), `${action} lock`).to.equal("Allowed");
            }
            expect(await state("mgmt-ci-pr", "s3:GetObject", ".pulumi/stacks/platform/test.json")).to.equal("Allowed");
            expect(await state("mgmt-ci-pr", "s3:PutObject", ".pulumi/stacks/platform/test.json")).to.equal("ImplicitlyDenied");
            for (const key of [
                ".pulumi/stacks/workloads/prod.json",
                ".pulumi/stacks/workloads/test.json",
                ".pulumi/stacks/platform/prod.json",
                ".pulumi/stacks/foundation/org.json",
                ".pulumi/locks/platform/test/0b1c.json",
            ]) {
                for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
                    expect(await state("mgmt-ci-pr", action, key), `${action} ${key}`).to.equal("ImplicitlyDenied");
                }
            }
        });

        it("confines each deploy role to its own stacks, and previews to reading them", async () => {
            expect(await state("mgmt-ci-deploy-prod", "s3:PutObject", ".pulumi/stacks/workloads/prod.json")).to.equal("Allowed");
            expect(await state("mgmt-ci-deploy-prod", "s3:GetObject", ".pulumi/stacks/platform/mgmt.json")).to.equal("Allowed");
            expect(await state("mgmt-ci-deploy-test", "s3:DeleteObject", ".pulumi/stacks/workloads/prod.json")).to.equal(
                "ImplicitlyDenied",
            );
            expect(await state("mgmt-ci-deploy-test", "s3:GetObject", ".pulumi/stacks/workloads/prod.json")).to.equal("ImplicitlyDenied");
            expect(await state("mgmt-ci-preview-prod", "s3:GetObject", ".pulumi/stacks/workloads/prod.json")).to.equal("Allowed");
            expect(await state("mgmt-ci-preview-prod", "s3:PutObject", ".pulumi/stacks/workloads/prod.json")).to.equal("ImplicitlyDenied");
            expect(await state("mgmt-ci-preview-prod", "s3:PutObject", ".pulumi/locks/workloads/prod/0b1c.json")).to.equal("Allowed");
        });

        it("lets the PR role decrypt with the test key only", async () => {
            expect(await useKey("mgmt-ci-pr", "test")).to.equal("Allowed");
            expect(await useKey("mgmt-ci-pr", "test", "kms:Encrypt")).to.equal("Allowed");
            for (const target of ["org", "mgmt", "preprod", "prod"] as CiTarget[]) {
                expect(await useKey("mgmt-ci-pr", target), target).to.equal("ImplicitlyDenied");
            }
        });

        it("never lets one workload environment use another's key, and keeps readers of org and mgmt outputs to decrypting", async () => {
            expect(await useKey("mgmt-ci-deploy-test", "prod")).to.equal("ImplicitlyDenied");
            expect(await useKey("mgmt-ci-deploy-prod", "test")).to.equal("ImplicitlyDenied");
            expect(await useKey("mgmt-ci-deploy-prod", "preprod")).to.equal("ImplicitlyDenied");
            expect(await useKey("mgmt-ci-preview-prod", "prod")).to.equal("Allowed");
            expect(await useKey("mgmt-ci-preview-prod", "prod", "kms:Encrypt")).to.equal("ImplicitlyDenied");
            expect(await useKey("mgmt-ci-deploy-prod", "mgmt")).to.equal("Allowed");
            expect(await useKey("mgmt-ci-deploy-prod", "mgmt", "kms:Encrypt")).to.equal("ImplicitlyDenied");
        });
    });

    describe("the PR deployment role in the test account", () => {
        const prPolicy = () =>
            jsonInput(estate.foundation, estate.foundation.one("aws:iam/rolePolicy:RolePolicy", "org-pr-deployment-role"), "policy");
        const boundaryArn = () => estate.outputs.pullRequestBoundaryArn;
        const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${estate.accountIds.test}:${resource}`;
        /** KMS keys of the estate let the account's IAM policies decide (their key policy's first statement). */
        const keyPolicy = () => ({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${estate.accountIds.test}:root` }, Action: "kms:*", Resource: "*" },
            ],
        });
        const asPr = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
            decide(estate, {
                principal: accountRoleArn("test", "payments-pr-deployment"),
                action,
                resource,
                resourceAccount: "test",
                identityPolicies: [prPolicy()],
                resourcePolicy: action.startsWith("kms:") && resource.includes(":key/") ? keyPolicy() : undefined,
                context,
            });

        it("creates its pr-* resources", async () => {
            expect(await asPr("s3:CreateBucket", "arn:aws:s3:::pr-42-payments-raw-902105368459")).to.equal("Allowed");
            expect(await asPr("s3:PutBucketPublicAccessBlock", "arn:aws:s3:::pr-42-payments-raw-902105368459")).to.equal("Allowed");
            expect(await asPr("sqs:CreateQueue", arn("sqs", "pr-42-payments-processing"))).to.equal("Allowed");
            expect(await asPr("dynamodb:CreateTable", arn("dynamodb", "table/pr-42-payments"))).to.equal("Allowed");
            expect(await asPr("lambda:CreateFunction", arn("lambda", "function:pr-42-payments-worker"))).to.equal("Allowed");
            expect(await asPr("kms:CreateKey", "*", { "aws:RequestTag/PullRequest": "42", "aws:TagKeys": ["PullRequest"] })).to.equal(
                "Allowed",
            );
        });

        it("creates no target group, listener rule or security group (a PR is reached through the platform's gateway)", async () => {
            expect(await asPr("ec2:CreateSecurityGroup", arn("ec2", "security-group/*"), { "aws:RequestTag/PullRequest": "42" })).to.equal(
                "ImplicitlyDenied",
            );
            expect(
                await asPr(
                    "elasticloadbalancing:CreateTargetGroup",
                    arn("elasticloadbalancing", "targetgroup/pr-42-payments-api/0123456789abcdef"),
                ),
            ).to.equal("ImplicitlyDenied");
            expect(
                await asPr(
                    "elasticloadbalancing:CreateRule",
                    arn("elasticloadbalancing", "listener/app/test-public/0123456789abcdef/0123456789abcdef"),
                    { "aws:RequestTag/PullRequest": "42" },
                ),
            ).to.equal("ImplicitlyDenied");
        });

        it("invokes the platform's PR provisioner and no other function, and reads no master secret", async () => {
            expect(await asPr("lambda:InvokeFunction", arn("lambda", "function:test-pr-provisioner"))).to.equal("Allowed");
            expect(await asPr("lambda:InvokeFunction", arn("lambda", "function:test-payments-provisioner"))).to.equal("ImplicitlyDenied");
            expect(await asPr("lambda:UpdateFunctionCode", arn("lambda", "function:test-pr-provisioner"))).to.equal("ImplicitlyDenied");
            expect(await asPr("secretsmanager:GetSecretValue", arn("secretsmanager", "secret:rds!db-0123"))).to.equal("ImplicitlyDenied");
        });

        it("creates roles only with the PR boundary, and cannot remove it", async () => {
            const role = `arn:aws:iam::${estate.accountIds.test}:role/pr-42-payments-worker`;
            expect(await asPr("iam:CreateRole", role, { "iam:PermissionsBoundary": boundaryArn() })).to.equal("Allowed");
            expect(await asPr("iam:CreateRole", role)).to.equal("ImplicitlyDenied");
            expect(
                await asPr("iam:CreateRole", role, { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }),
            ).to.equal("ImplicitlyDenied");
            expect(
                await asPr("iam:CreateRole", `arn:aws:iam::${estate.accountIds.test}:role/test-admin`, {
                    "iam:PermissionsBoundary": boundaryArn(),
                }),
            ).to.equal("ImplicitlyDenied");
            expect(await asPr("iam:DeleteRolePermissionsBoundary", role)).to.equal("ExplicitlyDenied");
            expect(await asPr("iam:CreatePolicyVersion", boundaryArn())).to.equal("ExplicitlyDenied");
        });

        it("can neither delete nor modify the shared test platform's EKS cluster, RDS instance, VPC or ALB", async () => {
            const cases: [string, string][] = [
                ["eks:DeleteCluster", arn("eks", "cluster/test-eks")],
                ["eks:UpdateClusterConfig", arn("eks", "cluster/test-eks")],
                ["eks:CreateAccessEntry", arn("eks", "cluster/test-eks")],
                ["rds:DeleteDBInstance", arn("rds", "db:test-postgres")],
                ["rds:ModifyDBInstance", arn("rds", "db:test-postgres")],
                ["ec2:DeleteVpc", arn("ec2", "vpc/vpc-0123456789abcdef0")],
                ["ec2:ModifyVpcAttribute", arn("ec2", "vpc/vpc-0123456789abcdef0")],
                ["elasticloadbalancing:DeleteLoadBalancer", arn("elasticloadbalancing", "loadbalancer/app/test-public/0123456789abcdef")],
                [
                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    arn("elasticloadbalancing", "loadbalancer/app/test-public/0123456789abcdef"),
                ],
                [
                    "elasticloadbalancing:DeleteListener",
                    arn("elasticloadbalancing", "listener/app/test-public/0123456789abcdef/0123456789abcdef"),
                ],
            ];
            for (const [action, resource] of cases) {
                expect(await asPr(action, resource), action).to.not.equal("Allowed");
            }
        });

        it("can read the shared platform to plan against it", async () => {
            expect(await asPr("eks:DescribeCluster", arn("eks", "cluster/test-eks"))).to.equal("Allowed");
            expect(await asPr("ec2:DescribeVpcs", "*")).to.equal("Allowed");
        });

        it("cannot change resources of the test environment itself", async () => {
            expect(await asPr("s3:DeleteBucket", "arn:aws:s3:::test-payments-raw-902105368459")).to.equal("ImplicitlyDenied");
            expect(await asPr("sqs:DeleteQueue", arn("sqs", "test-payments-processing"))).to.equal("ImplicitlyDenied");
            expect(await asPr("ec2:DeleteSecurityGroup", arn("ec2", "security-group/sg-0123456789abcdef0"))).to.equal("ImplicitlyDenied");
            const testKey = arn("kms", "key/0123abcd-0000-0000-0000-000000000000");
            expect(await asPr("kms:ScheduleKeyDeletion", testKey, { "aws:ResourceTag/Environment": "test" })).to.not.equal("Allowed");
            // Tagging the test environment's key PullRequest (to then use it) is refused too.
            expect(
                await asPr("kms:TagResource", testKey, {
                    "aws:ResourceTag/Environment": "test",
                    "aws:RequestTag/PullRequest": "42",
                    "aws:TagKeys": ["PullRequest"],
                }),
            ).to.equal("ExplicitlyDenied");
            expect(
                await asPr("kms:Decrypt", testKey, { "aws:ResourceTag/Environment": "test", "aws:ResourceTag/PullRequest": "42" }),
            ).to.equal("ExplicitlyDenied");
            expect(
                await asPr("kms:Decrypt", testKey, { "aws:ResourceTag/Environment": "pr-42", "aws:ResourceTag/PullRequest": "42" }),
            ).to.equal("Allowed");
        });
    });
});

describe("the PR permissions boundary, as AWS applies it to the roles a PR creates", function () {
    let estate: Estate;
    before(async () => {
        estate = await synthesizedEstate();
    });

    const publish = (topic: string) =>
        decide(estate, {
            principal: `arn:aws:iam::${estate.accountIds.test}:role/pr-7-payments-worker`,
            action: "sns:Publish",
            resource: `arn:aws:sns:us-east-1:${estate.accountIds.test}:${topic}`,
            resourceAccount: "test",
            identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "*" }] }],
            permissionBoundaries: [prBoundaryPolicy(estate.accountIds.test)],
        });

    it("lets a PR worker page through its own pr-* alarm topic, and no other topic", async () => {
        expect(await publish("pr-7-payments-alarms")).to.equal("Allowed");
        expect(await publish("test-payments-alarms")).to.equal("ImplicitlyDenied");
    });
});

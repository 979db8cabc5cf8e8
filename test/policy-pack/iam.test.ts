import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const TRUST_LAMBDA = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });

describe("policy-pack iam", () => {
    describe("iam-no-admin-wildcard", () => {
        it("passes scoped policies (string and object documents)", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/policy:Policy", "test-worker", {
                policy: doc({ Effect: "Allow", Action: ["sqs:ReceiveMessage"], Resource: "arn:aws:sqs:us-east-1:1:q" }),
            });
            b.add("aws:iam/rolePolicy:RolePolicy", "test-worker-inline", {
                role: "r",
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] },
            });
            b.add("aws:iam/role:Role", "test-worker-role", {
                assumeRolePolicy: TRUST_LAMBDA,
                inlinePolicies: [{ name: "deny-all", policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }],
            });
            expectCompliant("iam-no-admin-wildcard", b);
        });
        it("flags Allow *:* in a policy and in a role's inline policy", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/policy:Policy", "test-admin", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) });
            b.add("aws:iam/role:Role", "test-role", {
                assumeRolePolicy: TRUST_LAMBDA,
                inlinePolicies: [{ name: "god", policy: doc({ Effect: "Allow", Action: ["*:*"], Resource: ["*"] }) }],
            });
            b.add("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "support-inline", {
                instanceArn: "arn",
                permissionSetArn: "arn",
                inlinePolicy: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
            });
            expectViolation("iam-no-admin-wildcard", b, ["test-admin", "test-role", "support-inline"], /allows "\*" on "\*"/);
        });
        it("cannot verify a policy document unknown until apply", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/rolePolicy:RolePolicy", "test-worker-inline", { role: "r", policy: UNKNOWN });
            expectCannotVerify("iam-no-admin-wildcard", b);
        });
        it("cannot verify a document hidden as a secret in the plan", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/policy:Policy", "test-secret", { policy: "[secret]" });
            expectCannotVerify("iam-no-admin-wildcard", b);
        });
    });

    describe("iam-trust-no-wildcard-principal", () => {
        it("passes a service principal and a conditioned federated wildcard", () => {
            const b = new StackBuilder("mgmt", "foundation");
            b.add("aws:iam/role:Role", "worker", { assumeRolePolicy: TRUST_LAMBDA });
            b.add("aws:iam/role:Role", "org-reader", {
                assumeRolePolicy: doc({
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                }),
            });
            expectCompliant("iam-trust-no-wildcard-principal", b);
        });
        it("flags Principal * without a condition", () => {
            const b = new StackBuilder("mgmt", "foundation");
            b.add("aws:iam/role:Role", "open", {
                assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole" }),
            });
            b.add("aws:iam/role:Role", "open2", {
                assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: {} }),
            });
            expectViolation("iam-trust-no-wildcard-principal", b, ["open", "open2"], /any principal/);
        });
        it("cannot verify an unknown trust policy", () => {
            const b = new StackBuilder("mgmt", "foundation");
            b.add("aws:iam/role:Role", "r", { assumeRolePolicy: UNKNOWN });
            expectCannotVerify("iam-trust-no-wildcard-principal", b);
        });
    });

    describe("iam-no-users", () => {
        it("passes roles", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/role:Role", "r", { assumeRolePolicy: TRUST_LAMBDA });
            expectCompliant("iam-no-users", b);
        });
        it("flags users and access keys", () => {
            const b = new StackBuilder("test");
            b.add("aws:iam/user:User", "ci-bot", {});
            b.add("aws:iam/accessKey:AccessKey", "ci-bot-key", { user: "ci-bot" });
            expectViolation("iam-no-users", b, ["ci-bot", "ci-bot-key"], /IAM user credentials/);
        });
    });
});

describe("policy-pack iam (v2 classes)", () => {
    it("iam-no-managed-admin: flags AdministratorAccess on a workload role, allows the deployment role", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.iam.RolePolicyAttachment, "prod-worker-admin", {
            role: "prod-worker",
            policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
        });
        b.resource(aws.iam.RolePolicyAttachment, "prod-deploy-admin", {
            role: "payments-deployment",
            policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
        });
        b.resource(aws.iam.RolePolicyAttachment, "prod-worker-xray", {
            role: "prod-worker",
            policyArn: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        });
        expectViolation(
            "iam-no-managed-admin",
            b,
            ["prod-worker-admin"],
            /gives role prod-worker the AWS managed .*policy\/AdministratorAccess/,
        );
    });
    it('iam-no-service-wildcard: flags "dynamodb:*" on "*", passes scoped actions', () => {
        const b = new StackBuilder("prod");
        const policy = (Action: string, Resource: string) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource }] });
        b.resource(aws.iam.RolePolicy, "prod-wide", { role: "prod-worker", policy: policy("dynamodb:*", "*") });
        b.resource(aws.iam.RolePolicy, "prod-narrow", {
            role: "prod-worker",
            policy: policy("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:206217865489:table/prod-payments"),
        });
        expectViolation("iam-no-service-wildcard", b, ["prod-wide"], /dynamodb:\* on "\*"/);
    });
});

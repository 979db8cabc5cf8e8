import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const FN = "aws:lambda/function:Function";
const IN_VPC = { vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] } };

describe("policy-pack lambda", () => {
    describe("lambda-in-vpc", () => {
        it("passes a function in subnets with security groups, even with unknown subnet ids", () => {
            const b = new StackBuilder("test");
            b.add(FN, "test-worker", IN_VPC);
            b.add(FN, "test-other", { vpcConfig: { subnetIds: [UNKNOWN, UNKNOWN], securityGroupIds: [UNKNOWN] } });
            expectCompliant("lambda-in-vpc", b);
        });
        it("flags a function outside a VPC", () => {
            const b = new StackBuilder("test");
            b.add(FN, "test-worker", {});
            expectViolation("lambda-in-vpc", b, ["test-worker"], /not attached to VPC/);
        });
        it("cannot verify when the whole vpcConfig is unknown", () => {
            const b = new StackBuilder("test");
            b.add(FN, "test-worker", { vpcConfig: UNKNOWN });
            expectCannotVerify("lambda-in-vpc", b);
        });
    });

    describe("lambda-tracing", () => {
        it("passes active tracing", () => {
            const b = new StackBuilder("prod");
            b.add(FN, "prod-worker", { tracingConfig: { mode: "Active" } });
            expectCompliant("lambda-tracing", b);
        });
        it("flags PassThrough: mandatory in prod, advisory in test", () => {
            const prod = new StackBuilder("prod");
            prod.add(FN, "prod-worker", { tracingConfig: { mode: "PassThrough" } });
            const [p] = expectViolation("lambda-tracing", prod, ["prod-worker"], /X-Ray/);
            const test = new StackBuilder("test");
            test.add(FN, "test-worker", {});
            const [t] = expectViolation("lambda-tracing", test, ["test-worker"], /X-Ray/);
            if (p.enforcementLevel !== "mandatory" || t.enforcementLevel !== "advisory") {
                throw new Error("prod must be stricter than test");
            }
        });
    });

    describe("lambda-async-failure-destination", () => {
        it("passes an S3-invoked function with an on-failure destination, and ignores SQS-polled functions", () => {
            const b = new StackBuilder("test");
            const fn = b.add(FN, "test-thumbs", { name: "test-thumbs" });
            b.resource(
                aws.lambda.Permission,
                "test-thumbs-s3",
                { principal: "s3.amazonaws.com", function: "test-thumbs", action: "lambda:InvokeFunction" },
                { dependsOn: [fn] },
            );
            b.resource(
                aws.lambda.FunctionEventInvokeConfig,
                "test-thumbs-invoke",
                { functionName: "test-thumbs", destinationConfig: { onFailure: { destination: UNKNOWN } } },
                { dependsOn: [fn] },
            );
            b.add(FN, "test-worker", { name: "test-worker" });
            expectCompliant("lambda-async-failure-destination", b);
        });
        it("passes a dead-letter config", () => {
            const b = new StackBuilder("test");
            const fn = b.add(FN, "test-hook", { name: "test-hook", deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" } });
            b.resource(
                aws.lambda.Permission,
                "test-hook-sns",
                {
                    principal: "sns.amazonaws.com",
                    function: "arn:aws:lambda:us-east-1:1:function:test-hook",
                    action: "lambda:InvokeFunction",
                },
                { dependsOn: [fn] },
            );
            expectCompliant("lambda-async-failure-destination", b);
        });
        it("links a permission whose function name is unknown until apply through its dependency", () => {
            const b = new StackBuilder("test");
            const fn = b.add(FN, "test-cron", {});
            b.resource(
                aws.lambda.Permission,
                "test-cron-events",
                { principal: "events.amazonaws.com", function: UNKNOWN, action: "lambda:InvokeFunction" },
                { dependsOn: [fn] },
            );
            expectViolation("lambda-async-failure-destination", b, ["test-cron"], /asynchronously/);
        });
        it("cannot verify when the invoking principal is unknown", () => {
            const b = new StackBuilder("test");
            const fn = b.add(FN, "test-cron", {});
            b.resource(
                aws.lambda.Permission,
                "test-cron-events",
                { principal: UNKNOWN, function: "test-cron", action: "lambda:InvokeFunction" },
                { dependsOn: [fn] },
            );
            expectCannotVerify("lambda-async-failure-destination", b);
        });
        it("links a permission to its function through the provider's `function` input alone (no dependency)", () => {
            const b = new StackBuilder("test");
            b.resource(aws.lambda.Function, "test-hook", { name: "test-hook", role: "arn:aws:iam::902105368459:role/test-hook" });
            b.resource(aws.lambda.Permission, "test-hook-sns", {
                principal: "sns.amazonaws.com",
                function: "arn:aws:lambda:us-east-1:902105368459:function:test-hook",
                action: "lambda:InvokeFunction",
            });
            expectViolation("lambda-async-failure-destination", b, ["test-hook"], /asynchronously/);
        });
        it("flags an EventBridge-invoked function with neither", () => {
            const b = new StackBuilder("test");
            const fn = b.add(FN, "test-cron", { name: "test-cron" });
            b.resource(
                aws.lambda.Permission,
                "test-cron-events",
                { principal: "events.amazonaws.com", function: "test-cron", action: "lambda:InvokeFunction" },
                { dependsOn: [fn] },
            );
            expectViolation("lambda-async-failure-destination", b, ["test-cron"], /asynchronously/);
        });
    });
    it("lambda-env-no-secrets: access keys, private keys and literal passwords are flagged; references pass", () => {
        const b = new StackBuilder("prod");
        const fn = (name: string, variables: Record<string, string>) =>
            b.resource(aws.lambda.Function, name, { role: "arn:aws:iam::1:role/r", ...IN_VPC, environment: { variables } });
        fn("prod-worker", {
            DB_HOST: "prod-postgres.example",
            DB_USER: "payments_worker",
            PARTNER_TOKEN: "arn:aws:secretsmanager:us-east-1:1:secret:partner",
            SIGNING_KEY_SECRET: "/payments/signing",
        });
        fn("prod-leaky", { DB_PASSWORD: "hunter2hunter2", HOST: "x" });
        fn("prod-keyed", { UPLOAD_ID: "AKIAIOSFODNN7EXAMPLE" });
        fn("prod-secret", { STRIPE: "[secret]" });
        expectViolation(
            "lambda-env-no-secrets",
            b,
            ["prod-leaky", "prod-keyed", "prod-secret"],
            /credentials in environment variable\(s\) (DB_PASSWORD|UPLOAD_ID|STRIPE)\./,
        );
    });
});

import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { analyze, documentOf } from "../../policy-pack/lib/resource-policy";
import { CannotVerifyError } from "../../policy-pack/lib/unknowns";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const OWN = "206217865489";
const ESTATE = { ownAccount: OWN, estateAccounts: [OWN, "111111111111"] };
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

/** A stack in the prod account (the builder's provider carries its account id, as the estate's do). */
function prodStack(): StackBuilder {
    return new StackBuilder("prod", "workloads", { region: "us-east-1", allowedAccountIds: `["${OWN}"]` });
}

describe("policy-pack resource-policy analyzer", () => {
    it('finds "*" grants, and accepts them only under a condition that really limits who', () => {
        const open = analyze(doc({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" }), "q", ESTATE);
        expect(open.grants.map((g) => [g.kind, g.statement])).to.deep.equal([["public", 'statement "Open"']]);
        const org = analyze(
            doc({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "s3:GetObject",
                Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
            }),
            "b",
            ESTATE,
        );
        expect(org.grants).to.deep.equal([]);
        const ifExists = analyze(
            doc({
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } },
            }),
            "b",
            ESTATE,
        );
        expect(
            ifExists.grants.map((g) => g.kind),
            "IfExists lets requests without the key through",
        ).to.deep.equal(["public"]);
        const externalId = analyze(
            doc({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "secret" } },
            }),
            "r",
            { ...ESTATE, trust: true },
        );
        expect(
            externalId.grants.map((g) => g.kind),
            "an external id alone does not limit who",
        ).to.deep.equal(["public"]);
    });
    it("tells the estate's accounts from outside ones, and whole-account trust from named roles", () => {
        const outside = analyze(
            doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "kms:Decrypt" }),
            "k",
            ESTATE,
        );
        expect(outside.grants.map((g) => g.kind)).to.deep.equal(["external"]);
        const hub = analyze(
            doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/mgmt-ci" }, Action: "ecr:BatchGetImage" }),
            "r",
            ESTATE,
        );
        expect(hub.grants.map((g) => g.kind)).to.deep.equal(["cross-account"]);
        const wholeAccount = analyze(
            doc({ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${OWN}:root`] }, Action: "sts:AssumeRole" }),
            "r",
            { ...ESTATE, trust: true },
        );
        expect(wholeAccount.grants.map((g) => g.kind)).to.deep.equal(["whole-account"]);
        const narrowed = analyze(
            doc({
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${OWN}:root` },
                Action: "sts:AssumeRole",
                Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OWN}:role/payments-deployment` } },
            }),
            "r",
            { ...ESTATE, trust: true },
        );
        expect(narrowed.grants).to.deep.equal([]);
    });
    it("requires a source condition for service principals outside trust policies, and records the TLS deny", () => {
        const unscoped = analyze(
            doc({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sqs:SendMessage" }),
            "q",
            ESTATE,
        );
        expect(unscoped.grants.map((g) => g.kind)).to.deep.equal(["unscoped-service"]);
        const scoped = analyze(
            doc(
                {
                    Effect: "Allow",
                    Principal: { Service: "s3.amazonaws.com" },
                    Action: "sqs:SendMessage",
                    Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::prod-raw" } },
                },
                { Effect: "Deny", Principal: "*", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ),
            "q",
            ESTATE,
        );
        expect(scoped.grants).to.deep.equal([]);
        expect(scoped.deniesInsecureTransport).to.equal(true);
        expect(
            analyze(doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), "r", {
                ...ESTATE,
                trust: true,
            }).grants,
        ).to.deep.equal([]);
    });
    it("reads string and object documents, judges what is known and cannot verify an unknown principal", () => {
        expect(documentOf(JSON.stringify(doc({ Effect: "Allow" })), "d").Statement).to.have.length(1);
        expect(() => documentOf("{not json", "d")).to.throw(CannotVerifyError);
        const unknownPrincipal = doc({ Effect: "Allow", Principal: { AWS: "\u0000unknown" }, Action: "s3:GetObject" });
        expect(() => analyze(unknownPrincipal, "b", ESTATE)).to.throw(CannotVerifyError, /not known until apply/);
        const plusPublic = doc(
            { Effect: "Allow", Principal: { AWS: "\u0000unknown" }, Action: "s3:GetObject" },
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject" },
        );
        expect(
            analyze(plusPublic, "b", ESTATE).grants.map((g) => g.kind),
            "a public grant is a finding whatever the unknown is",
        ).to.deep.equal(["public"]);
    });
});

describe("policy-pack resource-access policies", () => {
    it("resource-policy-no-public-access flags a public queue policy, an open function URL and a snapshot shared with all, naming the statement", () => {
        const b = prodStack();
        b.resource(aws.sqs.QueuePolicy, "prod-q-policy", {
            queueUrl: "https://sqs/prod-q",
            policy: JSON.stringify(doc({ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" })),
        });
        b.resource(aws.lambda.FunctionUrl, "prod-fn-url", { functionName: "prod-fn", authorizationType: "NONE" });
        b.resource(aws.rds.Snapshot, "prod-db-snap", {
            dbInstanceIdentifier: "prod-postgres",
            dbSnapshotIdentifier: "prod-snap",
            sharedAccounts: ["all"],
        });
        b.resource(aws.sqs.QueuePolicy, "prod-ok-policy", {
            queueUrl: "https://sqs/prod-ok",
            policy: JSON.stringify(
                doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:role/prod-api` }, Action: "sqs:SendMessage" }),
            ),
        });
        const found = expectViolation("resource-policy-no-public-access", b, ["prod-q-policy", "prod-fn-url", "prod-db-snap"], /./);
        expect(found.find((v) => v.urn?.endsWith("prod-q-policy"))?.message).to.match(/statement "Anyone" \(\*\) allows any principal/);
    });
    it("resource-policy-no-external-access flags a key policy granting an unknown account, and passes the ALB log-delivery account and PrincipalOrgID", () => {
        const b = prodStack();
        b.resource(aws.kms.Key, "prod-key", {
            policy: JSON.stringify(
                doc({
                    Sid: "Vendor",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::999999999999:root" },
                    Action: "kms:Decrypt",
                    Resource: "*",
                }),
            ),
        });
        b.resource(aws.s3.BucketPolicy, "prod-logs-policy", {
            bucket: "prod-logs",
            policy: JSON.stringify(
                doc(
                    {
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::127311923021:root" },
                        Action: "s3:PutObject",
                        Resource: "arn:aws:s3:::prod-logs/*",
                    },
                    {
                        Effect: "Allow",
                        Principal: "*",
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::prod-logs/*",
                        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                    },
                ),
            ),
        });
        expectViolation("resource-policy-no-external-access", b, ["prod-key"], /statement "Vendor".*999999999999/);
    });
    it("resource-policy-service-scoped flags a Lambda permission for S3 without sourceArn and passes one with it", () => {
        const b = prodStack();
        b.resource(aws.lambda.Permission, "prod-thumbs-s3", {
            function: "prod-thumbs",
            principal: "s3.amazonaws.com",
            action: "lambda:InvokeFunction",
        });
        b.resource(aws.lambda.Permission, "prod-hook-sns", {
            function: "prod-hook",
            principal: "sns.amazonaws.com",
            action: "lambda:InvokeFunction",
            sourceArn: "arn:aws:sns:us-east-1:206217865489:prod-events",
        });
        expectViolation("resource-policy-service-scoped", b, ["prod-thumbs-s3"], /s3\.amazonaws\.com.*without aws:SourceArn/);
    });
    it("iam-trust-no-whole-account flags a role trusting its account root, passes named roles, cannot verify an unknown trust policy", () => {
        const b = prodStack();
        b.resource(aws.iam.Role, "prod-search-master", {
            assumeRolePolicy: JSON.stringify(
                doc({ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${OWN}:root`] }, Action: "sts:AssumeRole" }),
            ),
        });
        b.resource(aws.iam.Role, "prod-ok", {
            assumeRolePolicy: JSON.stringify(
                doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:role/payments-deployment` }, Action: "sts:AssumeRole" }),
            ),
        });
        expectViolation("iam-trust-no-whole-account", b, ["prod-search-master"], /trusts every principal of account 206217865489/);
        const unknown = prodStack();
        unknown.resource(aws.iam.Role, "prod-later", { assumeRolePolicy: UNKNOWN });
        expectCannotVerify("iam-trust-no-whole-account", unknown);
        const ok = prodStack();
        ok.resource(aws.iam.Role, "prod-ok", {
            assumeRolePolicy: JSON.stringify(
                doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
            ),
        });
        expectCompliant("iam-trust-no-whole-account", ok);
    });
});

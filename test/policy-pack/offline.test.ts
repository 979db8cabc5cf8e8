import { expect } from "chai";
import { PolicyResource } from "@pulumi/policy";
import { evaluateStack, hasMandatory } from "../../policy-pack/offline";
import { POLICIES, policyNamed } from "../../policy-pack/policies";
import { StackBuilder, UNKNOWN, violationsOf } from "./helpers";

const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const server = require("@pulumi/policy/server");

/** Runs the SDK's own analyzer handler (what `pulumi preview --policy-pack` calls over gRPC) on one resource. */
async function analyzeLikeTheCli(
    type: string,
    urn: string,
    props: Record<string, unknown>,
    policies = POLICIES,
): Promise<{ policy: string; level: number; message: string }[]> {
    const request = new analyzerproto.AnalyzeRequest();
    request.setType(type);
    request.setUrn(urn);
    request.setName(urn.split("::").pop());
    request.setProperties(Struct.fromJavaScript(props));
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(false);
    request.setOptions(options);
    const analyze = server.makeAnalyzeRpcFun(
        "payments-guardrails",
        "1.0.0",
        "advisory",
        policies.map((p) => p.policy),
    );
    return new Promise((resolve, reject) =>
        analyze(
            { request },
            (
                error: unknown,
                response: { getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }[] },
            ) =>
                error
                    ? reject(error)
                    : resolve(
                          response
                              .getDiagnosticsList()
                              .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() })),
                      ),
        ),
    );
}

const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("policy-pack offline evaluation", () => {
    it("lets config override a policy's level, including disabling it", () => {
        const b = new StackBuilder("test");
        b.add("aws:sqs/queue:Queue", "q", {});
        expect(violationsOf("sqs-encryption", b).map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(
            violationsOf("sqs-encryption", b, { enforcement: { "sqs-encryption": "advisory" } }).map((v) => v.enforcementLevel),
        ).to.deep.equal(["advisory"]);
        expect(violationsOf("sqs-encryption", b, { enforcement: { "sqs-encryption": "disabled" } })).to.deep.equal([]);
        expect(
            hasMandatory(
                evaluateStack(b.build(), {
                    config: { enforcement: { "sqs-encryption": "advisory" } },
                    policies: [policyNamed("sqs-encryption")],
                }),
            ),
        ).to.equal(false);
    });

    it("applies stricter prod defaults by environment, which config can name explicitly", () => {
        const b = new StackBuilder("blue");
        b.add("aws:lambda/function:Function", "fn", {});
        expect(violationsOf("lambda-tracing", b).map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(violationsOf("lambda-tracing", b, { environment: "prod" }).map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
    });

    it("skips a resource under a valid exemption in a stack policy, and reports it again once expired", () => {
        const b = new StackBuilder("test");
        const bucket = b.add("aws:s3/bucket:Bucket", "legacy", { bucket: "legacy" });
        const exemption = {
            policy: "s3-tls-only",
            owner: "payments-team",
            urn: bucket.urn,
            reason: "third-party uploader without TLS until vendor fix VND-123",
            expires: "2026-12-31",
        };
        expect(violationsOf("s3-tls-only", b, { exemptions: [exemption], asOf: "2026-12-31" })).to.deep.equal([]);
        const expired = violationsOf("s3-tls-only", b, { exemptions: [exemption], asOf: "2027-01-01" });
        expect(expired).to.have.length(1);
        expect(expired[0].message).to.match(/expired on 2026-12-31.*VND-123/);
        expect(
            violationsOf("s3-tls-only", b, { exemptions: [{ ...exemption, policy: "s3-encryption" }], asOf: "2026-12-01" }),
            "an exemption lifts only its own policy",
        ).to.have.length(1);
    });

    it("turns the plan's [unknown] into the engine's unknown, so checks report 'cannot verify until apply' as advisory", () => {
        const b = new StackBuilder("prod");
        b.add("aws:rds/instance:Instance", "db", { storageEncrypted: UNKNOWN });
        const found = evaluateStack(b.build(), { policies: [policyNamed("rds-encrypted")] });
        expect(found).to.deep.equal([
            {
                policy: "rds-encrypted",
                enforcementLevel: "advisory",
                urn: b.urn("aws:rds/instance:Instance", "db"),
                message: "cannot verify until apply: .storageEncrypted is not known until apply",
            },
        ]);
    });

    it("gives stack policies the resource graph: parents and dependencies as resources", () => {
        const b = new StackBuilder("test");
        const parent = b.add("payments:lib:SecureBucket", "c", {}, { provider: null });
        const bucket = b.add("aws:s3/bucket:Bucket", "c", {}, { parent });
        b.add("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "c-0000000" }, { dependsOn: [bucket] });
        let seen: PolicyResource[] = [];
        const probe = {
            ...policyNamed("s3-tls-only"),
            policy: {
                ...policyNamed("s3-tls-only").policy,
                validateStack: (args: { resources: PolicyResource[] }) => void (seen = args.resources),
            },
        };
        evaluateStack(b.build(), { policies: [probe] });
        const child = seen.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        expect(child.parent?.type).to.equal("payments:lib:SecureBucket");
        expect(seen.find((r) => r.name === "p")!.dependencies).to.deep.equal([child]);
        expect(child.provider?.type).to.equal("pulumi:providers:aws");
    });

    describe("the same policies in the SDK's analyzer (as `pulumi preview --policy-pack` runs them)", () => {
        it("reports a violation at the policy's level", async () => {
            const diagnostics = await analyzeLikeTheCli(
                "aws:rds/instance:Instance",
                "urn:pulumi:prod::workloads::aws:rds/instance:Instance::db",
                { publiclyAccessible: true },
                [policyNamed("rds-not-public")],
            );
            expect(diagnostics.map((d) => [d.policy, d.level])).to.deep.equal([
                ["rds-not-public", analyzerproto.EnforcementLevel.MANDATORY],
            ]);
            expect(diagnostics[0].message).to.match(/Database db is publicly accessible\.$/);
        });
        it("downgrades a check that reads an unknown to an advisory 'cannot verify until apply'", async () => {
            const diagnostics = await analyzeLikeTheCli(
                "aws:rds/instance:Instance",
                "urn:pulumi:prod::workloads::aws:rds/instance:Instance::db",
                { storageEncrypted: ENGINE_UNKNOWN },
                [policyNamed("rds-encrypted")],
            );
            expect(diagnostics).to.have.length(1);
            expect(diagnostics[0].level).to.equal(analyzerproto.EnforcementLevel.ADVISORY);
            expect(diagnostics[0].message).to.match(/cannot verify until apply: \.storageEncrypted/);
        });
        it("does not crash on any policy when every input is unknown", async () => {
            const urn = "urn:pulumi:prod::workloads::aws:s3/bucket:Bucket::b";
            const diagnostics = await analyzeLikeTheCli("aws:s3/bucket:Bucket", urn, {
                bucket: ENGINE_UNKNOWN,
                tags: ENGINE_UNKNOWN,
                region: ENGINE_UNKNOWN,
            });
            expect(
                diagnostics.every((d) => d.level === analyzerproto.EnforcementLevel.ADVISORY || !/cannot verify/.test(d.message)),
            ).to.equal(true);
        });
    });
});

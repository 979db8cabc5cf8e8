import { expect } from "chai";
import * as fs from "fs";
import { TAGGABLE_TYPES } from "../../policy-pack/policies/taggable-types";
import { TAGGABLE_TYPES_FILE, renderTaggableTypes } from "../../policy-pack/scripts/taggable-types";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const FULL_TAGS = {
    Environment: "test",
    Project: "payments",
    Layer: "workloads",
    ManagedBy: "pulumi",
    Owner: "payments-team",
    CostCenter: "cc-100",
};

describe("policy-pack tagging", () => {
    describe("tagging-required-tags", () => {
        it("counts the provider's defaultTags and skips untaggable types", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "test-q", {});
            b.add("aws:s3/bucketPolicy:BucketPolicy", "test-policy", { bucket: "b", policy: "{}" });
            expectCompliant("tagging-required-tags", b);
        });
        it("accepts explicit tags where the provider has none, including JSON-encoded provider inputs", () => {
            const b = new StackBuilder("test", "workloads", {
                region: "us-east-1",
                defaultTags: JSON.stringify({ tags: { Project: "payments" } }),
            });
            b.add("aws:sqs/queue:Queue", "test-q", { tags: { ...FULL_TAGS, Project: undefined } });
            expectCompliant("tagging-required-tags", b);
        });
        it("flags missing tags, ASG tags that defaultTags do not reach, and the PR tag in a PR stack", () => {
            const bare = new StackBuilder("test", "workloads", { region: "us-east-1" });
            bare.add("aws:sqs/queue:Queue", "test-q", { tags: { Owner: "payments-team" } });
            expectViolation("tagging-required-tags", bare, ["test-q"], /Environment, Project, Layer, ManagedBy, CostCenter/);
            const asg = new StackBuilder("test");
            asg.add("aws:autoscaling/group:Group", "test-asg", { maxSize: 1, minSize: 1 });
            expectViolation("tagging-required-tags", asg, ["test-asg"], /missing tag/);
            const pr = new StackBuilder("pr-42", "workloads", { region: "us-east-1", defaultTags: { tags: FULL_TAGS } });
            pr.add("aws:dynamodb/table:Table", "pr-42-payments", {});
            expectViolation("tagging-required-tags", pr, ["pr-42-payments"], /PullRequest/);
        });
        it("takes the required keys from config", () => {
            const b = new StackBuilder("test");
            b.add("aws:sqs/queue:Queue", "test-q", {});
            expectViolation("tagging-required-tags", b, ["test-q"], /DataClass/, { requiredTags: ["Owner", "DataClass"] });
        });
        it("cannot verify tags unknown until apply", () => {
            const b = new StackBuilder("test", "workloads", { region: "us-east-1" });
            b.add("aws:sqs/queue:Queue", "test-q", { tags: UNKNOWN });
            expectCannotVerify("tagging-required-tags", b);
        });
        it("judges exactly the installed @pulumi/aws types that take tags (regenerate with policy-pack/scripts/taggable-types.ts)", () => {
            expect(fs.readFileSync(TAGGABLE_TYPES_FILE, "utf8")).to.equal(renderTaggableTypes());
            expect(TAGGABLE_TYPES).to.include("aws:s3/bucket:Bucket").and.not.include("aws:s3/bucketPolicy:BucketPolicy");
        });
    });

    describe("tagging-environment-matches", () => {
        it("passes tags of the stack's own environment", () => {
            const b = new StackBuilder("pr-7");
            b.add("aws:sqs/queue:Queue", "pr-7-q", {});
            expectCompliant("tagging-environment-matches", b);
        });
        it("flags tags copied from another environment", () => {
            const b = new StackBuilder("prod", "workloads", {
                region: "us-east-1",
                defaultTags: { tags: { ...FULL_TAGS, Environment: "test" } },
            });
            b.add("aws:sqs/queue:Queue", "prod-q", {});
            const [v] = expectViolation("tagging-environment-matches", b, ["prod-q"], /Environment=test in the prod/);
            expect(v.enforcementLevel).to.equal("advisory");
        });
    });
});

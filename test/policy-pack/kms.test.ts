import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const KEY = "aws:kms/key:Key";

const KEY_ARN = "arn:aws:kms:us-east-1:206217865489:key/k";

describe("policy-pack kms", () => {
    describe("kms-key-rotation", () => {
        it("passes a rotating symmetric key and skips an asymmetric signing key", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", { enableKeyRotation: true });
            b.add(KEY, "prod-signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
            expectCompliant("kms-key-rotation", b);
        });
        it("flags a symmetric key without rotation", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", {});
            expectViolation("kms-key-rotation", b, ["prod-data"], /rotation/);
        });
        it("cannot verify an unknown rotation flag", () => {
            const b = new StackBuilder("prod");
            b.add(KEY, "prod-data", { enableKeyRotation: UNKNOWN });
            expectCannotVerify("kms-key-rotation", b);
        });
    });

    describe("kms-deletion-window", () => {
        it("passes the default and a 30-day window", () => {
            const b = new StackBuilder("test");
            b.add(KEY, "test-a", {});
            b.add(KEY, "test-b", { deletionWindowInDays: 30 });
            expectCompliant("kms-deletion-window", b);
        });
        it("flags a 7-day window", () => {
            const b = new StackBuilder("test");
            b.add(KEY, "test-a", { deletionWindowInDays: 7 });
            expectViolation("kms-deletion-window", b, ["test-a"], /7-day deletion window/);
        });
    });
});

describe("policy-pack kms (v2 classes)", () => {
    it("kms-encrypted-topics-secrets-volumes", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.sns.Topic, "prod-events", {});
        b.resource(aws.secretsmanager.Secret, "prod-token", {});
        b.resource(aws.ec2.LaunchTemplate, "prod-nodes", {
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }],
        });
        b.resource(aws.sns.Topic, "prod-ok-topic", { kmsMasterKeyId: KEY_ARN });
        b.resource(aws.secretsmanager.Secret, "prod-ok-secret", { kmsKeyId: KEY_ARN });
        b.resource(aws.ec2.LaunchTemplate, "prod-ok-nodes", {
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }],
        });
        expectViolation("kms-encrypted-topics-secrets-volumes", b, ["prod-events", "prod-token", "prod-nodes"], /KMS|unencrypted/);
    });
});

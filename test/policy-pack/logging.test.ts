import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { StackBuilder, expectViolation } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:206217865489:key/k";

describe("policy-pack logging", () => {
    it("logs-retention and logs-kms: 365 days and a key at prod levels (mgmt too), advisory in test", () => {
        for (const env of ["prod", "mgmt"]) {
            const b = new StackBuilder(env);
            b.resource(aws.cloudwatch.LogGroup, `${env}-audit`, { retentionInDays: 90 });
            b.resource(aws.cloudwatch.LogGroup, `${env}-ok`, { retentionInDays: 365, kmsKeyId: KEY_ARN });
            const [retention] = expectViolation("logs-retention", b, [`${env}-audit`], /90 days; at least 365/);
            const [kms] = expectViolation("logs-kms", b, [`${env}-audit`], /not encrypted/);
            expect([retention.enforcementLevel, kms.enforcementLevel]).to.deep.equal(["mandatory", "mandatory"]);
        }
        const test = new StackBuilder("test");
        test.resource(aws.cloudwatch.LogGroup, "test-app", { retentionInDays: 30 });
        const [advisory] = expectViolation("logs-retention", test, ["test-app"], /at least 90/);
        expect(advisory.enforcementLevel).to.equal("advisory");
    });
    it("service-log-exports", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.rds.Instance, "prod-db", {
            instanceClass: "db.r6g.large",
            engine: "postgres",
            enabledCloudwatchLogsExports: ["upgrade"],
        });
        b.resource(aws.opensearch.Domain, "prod-search", {
            logPublishingOptions: [{ logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: "arn:lg" }],
        });
        b.resource(aws.rds.Instance, "prod-ok-db", {
            instanceClass: "db.r6g.large",
            engine: "postgres",
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        });
        b.resource(aws.opensearch.Domain, "prod-ok-search", {
            logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: "arn:lg", enabled: true }],
        });
        expectViolation("service-log-exports", b, ["prod-db", "prod-search"], /postgresql log|audit logs/);
    });
});

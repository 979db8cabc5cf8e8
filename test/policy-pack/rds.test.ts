import * as aws from "@pulumi/aws";
import { StackBuilder, UNKNOWN, expectCannotVerify, expectCompliant, expectViolation } from "./helpers";

const DB = "aws:rds/instance:Instance";
const PRIMARY = {
    engine: "postgres",
    instanceClass: "db.r6g.large",
    storageEncrypted: true,
    publiclyAccessible: false,
    backupRetentionPeriod: 35,
    iamDatabaseAuthenticationEnabled: true,
    multiAz: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "prod-db-final",
};
const REPLICA = {
    replicateSourceDb: "arn:aws:rds:us-east-1:1:db:prod-db",
    instanceClass: "db.r6g.large",
    iamDatabaseAuthenticationEnabled: true,
    publiclyAccessible: false,
};

function prodWith(inputs: Record<string, unknown>): StackBuilder {
    const b = new StackBuilder("prod");
    b.add(DB, "prod-db", { ...PRIMARY, ...inputs });
    b.add(DB, "prod-db-replica-1", REPLICA);
    return b;
}

describe("policy-pack rds", () => {
    it("passes a compliant prod primary and replica on every RDS policy", () => {
        for (const policy of [
            "rds-encrypted",
            "rds-not-public",
            "rds-backup-retention",
            "rds-iam-auth",
            "rds-multi-az-prod",
            "rds-deletion-safety-prod",
        ]) {
            expectCompliant(policy, prodWith({}));
        }
    });

    describe("rds-encrypted", () => {
        it("flags unencrypted storage", () =>
            expectViolation("rds-encrypted", prodWith({ storageEncrypted: false }), ["prod-db"], /encrypt/));
        it("cannot verify unknown encryption", () => expectCannotVerify("rds-encrypted", prodWith({ storageEncrypted: UNKNOWN })));
    });

    describe("rds-not-public", () => {
        it("flags a publicly accessible instance", () =>
            expectViolation("rds-not-public", prodWith({ publiclyAccessible: true }), ["prod-db"], /publicly accessible/));
    });

    describe("rds-backup-retention", () => {
        it("requires 7 days in test and 30 in prod", () => {
            const test = new StackBuilder("test");
            test.add(DB, "test-db", { backupRetentionPeriod: 7 });
            expectCompliant("rds-backup-retention", test);
            expectViolation("rds-backup-retention", prodWith({ backupRetentionPeriod: 7 }), ["prod-db"], /7 day\(s\); at least 30/);
        });
        it("counts an unset retention as the API default of 1 day", () => {
            const test = new StackBuilder("test");
            test.add(DB, "test-db", {});
            expectViolation("rds-backup-retention", test, ["test-db"], /1 day/);
        });
        it("takes the minimum from config", () => {
            expectCompliant("rds-backup-retention", prodWith({ backupRetentionPeriod: 14 }), {
                policies: { "rds-backup-retention": { minBackupRetentionDays: 14 } },
            });
        });
    });

    describe("rds-iam-auth", () => {
        it("flags IAM auth off, on replicas too", () => {
            const b = prodWith({ iamDatabaseAuthenticationEnabled: false });
            b.add(DB, "prod-db-replica-2", { ...REPLICA, iamDatabaseAuthenticationEnabled: undefined });
            expectViolation("rds-iam-auth", b, ["prod-db", "prod-db-replica-2"], /IAM database authentication/);
        });
    });

    describe("rds-multi-az-prod", () => {
        it("flags a single-AZ prod primary but not a test one", () => {
            expectViolation("rds-multi-az-prod", prodWith({ multiAz: false }), ["prod-db"], /Multi-AZ/);
            const test = new StackBuilder("test");
            test.add(DB, "test-db", { multiAz: false });
            expectCompliant("rds-multi-az-prod", test);
        });
    });

    describe("rds-deletion-safety-prod", () => {
        it("flags missing deletion protection and skipped final snapshot in prod", () => {
            const found = expectViolation(
                "rds-deletion-safety-prod",
                prodWith({ deletionProtection: false, skipFinalSnapshot: true }),
                ["prod-db", "prod-db"],
                /deletion protection|final snapshot/,
            );
            if (found.length !== 2) {
                throw new Error("expected both problems");
            }
        });
    });
});

describe("policy-pack rds (v2 classes)", () => {
    it("rds-force-ssl: follows parameterGroupName to the group", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.rds.ParameterGroup, "prod-tls", {
            name: "prod-tls",
            family: "postgres16",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        });
        b.resource(aws.rds.ParameterGroup, "prod-lax", {
            name: "prod-lax",
            family: "postgres16",
            parameters: [{ name: "rds.force_ssl", value: "0" }],
        });
        b.resource(aws.rds.Instance, "prod-db", { instanceClass: "db.r6g.large", engine: "postgres", parameterGroupName: "prod-tls" });
        b.resource(aws.rds.Instance, "prod-lax-db", { instanceClass: "db.r6g.large", engine: "postgres", parameterGroupName: "prod-lax" });
        expectViolation("rds-force-ssl", b, ["prod-lax-db"], /rds.force_ssl/);
    });
    it("rds-monitoring: enhanced monitoring with a role, Performance Insights with a KMS key, tags copied to snapshots", () => {
        const b = new StackBuilder("prod");
        const monitored = {
            instanceClass: "db.r6g.large",
            monitoringInterval: 60,
            monitoringRoleArn: "arn:aws:iam::206217865489:role/prod-postgres-monitoring",
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: "arn:aws:kms:us-east-1:206217865489:key/k",
            copyTagsToSnapshot: true,
        };
        b.resource(aws.rds.Instance, "prod-db", monitored);
        b.resource(aws.rds.Instance, "prod-blind-db", {
            ...monitored,
            monitoringInterval: 0,
            performanceInsightsKmsKeyId: undefined,
            copyTagsToSnapshot: false,
        });
        expectViolation(
            "rds-monitoring",
            b,
            ["prod-blind-db"],
            /lacks enhanced monitoring, a KMS key for Performance Insights, copying tags to snapshots/,
        );
    });
    it("rds-postgres-logging: the parameter group logs DDL, slow statements and connections", () => {
        const b = new StackBuilder("prod");
        const logging = [
            { name: "rds.force_ssl", value: "1" },
            { name: "log_statement", value: "ddl" },
            { name: "log_min_duration_statement", value: "1000" },
            { name: "log_connections", value: "1" },
        ];
        b.resource(aws.rds.ParameterGroup, "prod-logged", { name: "prod-logged", family: "postgres16", parameters: logging });
        b.resource(aws.rds.ParameterGroup, "prod-quiet", {
            name: "prod-quiet",
            family: "postgres16",
            parameters: [{ name: "log_min_duration_statement", value: "-1" }],
        });
        b.resource(aws.rds.Instance, "prod-db", { instanceClass: "db.r6g.large", engine: "postgres", parameterGroupName: "prod-logged" });
        b.resource(aws.rds.Instance, "prod-quiet-db", {
            instanceClass: "db.r6g.large",
            engine: "postgres",
            parameterGroupName: "prod-quiet",
        });
        b.resource(aws.rds.Instance, "prod-mysql", { instanceClass: "db.r6g.large", engine: "mysql" });
        expectViolation("rds-postgres-logging", b, ["prod-quiet-db"], /log_statement ddl, log_min_duration_statement, log_connections 1/);
    });
});

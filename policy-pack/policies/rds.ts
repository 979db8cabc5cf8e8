import type { PolicyResource } from "@pulumi/policy";
import { PolicyDefinition, StackContext, Subject, resourcePolicy, sameReads, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, list, ofTypes } from "../lib/values";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const DATABASES = [INSTANCE, CLUSTER];

/** A read replica inherits encryption and backups from its source, so those checks skip it. */
function isReplica(db: Subject): boolean {
    // Instances name their source in replicateSourceDb, clusters in replicationSourceIdentifier.
    return has(db.props, db.type === CLUSTER ? "replicationSourceIdentifier" : "replicateSourceDb");
}

const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
/** What postgresInstances reads. */
const POSTGRES_PARAMETER_READS = {
    [INSTANCE]: ["engine", "parameterGroupName", "replicateSourceDb"],
    [PARAMETER_GROUP]: ["name", "parameters.name", "parameters.value"],
};

/**
 * Runs `check` on each PostgreSQL instance (replicas included: they take their own parameter group)
 * with the parameters its parameter group sets.
 */
function postgresInstances(ctx: StackContext<object>, check: (db: PolicyResource, parameters: Map<string, string>) => void): void {
    const groups = ofTypes(ctx.resources, [PARAMETER_GROUP]);
    ctx.each(ofTypes(ctx.resources, [INSTANCE]), (db) => {
        if (!String(db.props.engine ?? "postgres").startsWith("postgres") && !has(db.props, "replicateSourceDb")) {
            return;
        }
        const parameters = new Map<string, string>();
        for (const group of referencedBy(db, "parameterGroupName", groups, { nameKeys: ["name"] })) {
            list(group.props.parameters).forEach((p: { name: string; value: unknown }) => parameters.set(p.name, String(p.value)));
        }
        check(db, parameters);
    });
}

export const RDS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "rds-encrypted",
        domain: "rds",
        description: "RDS instances and clusters encrypt storage.",
        prevents: "Database files, snapshots and backups readable without KMS access.",
        severity: "critical",
        remediation:
            "Set storageEncrypted: true (and kmsKeyId to the environment's data key). Encryption cannot be added later without a snapshot restore.",
        level: "mandatory",
        checkov: "CKV_AWS_16",
        trivy: "AVD-AWS-0080",
        types: DATABASES,
        reads: { [INSTANCE]: ["replicateSourceDb", "storageEncrypted"], [CLUSTER]: ["replicationSourceIdentifier", "storageEncrypted"] },
        check: (db, ctx) => {
            if (!isReplica(db) && db.props.storageEncrypted !== true) {
                ctx.report(`Database ${db.name} does not encrypt its storage.`);
            }
        },
    }),
    resourcePolicy({
        name: "rds-not-public",
        domain: "rds",
        description: "RDS instances are not publicly accessible.",
        prevents: "A database endpoint resolvable to a public IP and reachable from the internet.",
        severity: "critical",
        remediation: "Set publiclyAccessible: false and place the instance in the isolated subnets.",
        level: "mandatory",
        checkov: "CKV_AWS_17",
        securityHub: ["RDS.2"],
        pci: ["1.4.4"],
        types: [INSTANCE, CLUSTER_INSTANCE],
        reads: { [INSTANCE]: ["publiclyAccessible"], [CLUSTER_INSTANCE]: ["publiclyAccessible"] },
        check: (db, ctx) => {
            if (db.props.publiclyAccessible === true) {
                ctx.report(`Database ${db.name} is publicly accessible.`);
            }
        },
    }),
    resourcePolicy<{ minBackupRetentionDays: number }>({
        name: "rds-backup-retention",
        domain: "rds",
        description: "RDS instances and clusters keep automated backups for at least 7 days (30 in prod).",
        prevents: "Too short a window to notice corruption and restore from before it.",
        severity: "high",
        remediation: "Set backupRetentionPeriod to at least the required number of days (7; 30 in prod).",
        level: "mandatory",
        checkov: "CKV_AWS_133",
        trivy: "AVD-AWS-0077",
        types: DATABASES,
        schema: { minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35 } },
        defaults: (env) => ({ minBackupRetentionDays: env === "prod" ? 30 : 7 }),
        reads: {
            [INSTANCE]: ["backupRetentionPeriod", "replicateSourceDb"],
            [CLUSTER]: ["backupRetentionPeriod", "replicationSourceIdentifier"],
        },
        check: (db, ctx) => {
            // The RDS API default is 1 day when the input is unset.
            const days = Number(db.props.backupRetentionPeriod ?? 1);
            if (!isReplica(db) && days < ctx.config.minBackupRetentionDays) {
                ctx.report(
                    `Database ${db.name} keeps backups for ${days} day(s); at least ${ctx.config.minBackupRetentionDays} are required here.`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "rds-iam-auth",
        domain: "rds",
        description: "RDS instances and clusters enable IAM database authentication.",
        prevents: "Long-lived database passwords in application config instead of short-lived IAM tokens.",
        severity: "medium",
        remediation: "Set iamDatabaseAuthenticationEnabled: true and grant rds-db:connect to the roles that connect.",
        level: "mandatory",
        checkov: "CKV_AWS_161",
        trivy: "AVD-AWS-0176",
        types: DATABASES,
        reads: sameReads(DATABASES, ["iamDatabaseAuthenticationEnabled"]),
        check: (db, ctx) => {
            if (db.props.iamDatabaseAuthenticationEnabled !== true) {
                ctx.report(`Database ${db.name} does not enable IAM database authentication.`);
            }
        },
    }),
    resourcePolicy({
        name: "rds-multi-az-prod",
        domain: "rds",
        description: "In prod, RDS instances (other than read replicas) are Multi-AZ.",
        prevents: "A prod outage, and lost writes, when one Availability Zone fails.",
        severity: "high",
        remediation: "Set multiAz: true on prod primaries.",
        level: "mandatory",
        checkov: "CKV_AWS_157",
        types: [INSTANCE],
        reads: { [INSTANCE]: ["multiAz", "replicateSourceDb"] },
        check: (db, ctx) => {
            if (ctx.prod && !isReplica(db) && db.props.multiAz !== true) {
                ctx.report(`Prod database ${db.name} is not Multi-AZ.`);
            }
        },
    }),
    resourcePolicy({
        name: "rds-deletion-safety-prod",
        domain: "rds",
        description: "In prod, RDS primaries have deletion protection and take a final snapshot on deletion.",
        prevents: "A prod database deleted by a mistaken replace or destroy, with no final snapshot.",
        severity: "high",
        remediation: "Set deletionProtection: true, skipFinalSnapshot: false and finalSnapshotIdentifier on prod primaries.",
        level: "mandatory",
        checkov: "CKV_AWS_293",
        trivy: "AVD-AWS-0177",
        types: DATABASES,
        reads: {
            [INSTANCE]: ["deletionProtection", "finalSnapshotIdentifier", "replicateSourceDb", "skipFinalSnapshot"],
            [CLUSTER]: ["deletionProtection", "finalSnapshotIdentifier", "replicationSourceIdentifier", "skipFinalSnapshot"],
        },
        check: (db, ctx) => {
            if (!ctx.prod || isReplica(db)) {
                return;
            }
            if (db.props.deletionProtection !== true) {
                ctx.report(`Prod database ${db.name} does not enable deletion protection.`);
            }
            if (db.props.skipFinalSnapshot === true || !has(db.props, "finalSnapshotIdentifier")) {
                ctx.report(
                    `Prod database ${db.name} would be deleted without a final snapshot (set skipFinalSnapshot: false and finalSnapshotIdentifier).`,
                );
            }
        },
    }),
    stackPolicy({
        name: "rds-force-ssl",
        domain: "rds",
        description: "PostgreSQL instances use a parameter group with rds.force_ssl = 1.",
        prevents: "Clients connecting without TLS, sending card data and credentials in clear inside the VPC.",
        severity: "high",
        remediation:
            'Give the instance an aws.rds.ParameterGroup with parameters [{ name: "rds.force_ssl", value: "1" }] (the postgres15+ default, but explicit survives family changes).',
        level: "mandatory",
        checkov: "CKV2_AWS_69",
        pci: ["4.2.1"],
        reads: POSTGRES_PARAMETER_READS,
        check: (ctx) =>
            postgresInstances(ctx, (db, parameters) => {
                if (parameters.get("rds.force_ssl") !== "1") {
                    ctx.report(`Database ${db.name} has no parameter group setting rds.force_ssl = 1.`, db.urn);
                }
            }),
    }),
    resourcePolicy({
        name: "rds-monitoring",
        domain: "rds",
        description:
            "RDS instances have enhanced monitoring (with its role), Performance Insights encrypted with a KMS key, and copy tags to snapshots.",
        prevents:
            "No OS-level metrics or query load history in an incident, query texts kept unencrypted, and snapshots nobody can attribute to an owner or environment.",
        severity: "medium",
        remediation:
            "Set monitoringInterval (e.g. 60) with monitoringRoleArn, performanceInsightsEnabled: true with performanceInsightsKmsKeyId, and copyTagsToSnapshot: true.",
        level: "mandatory",
        checkov: "CKV_AWS_118",
        trivy: "AVD-AWS-0133",
        securityHub: ["RDS.6", "RDS.17"],
        types: [INSTANCE],
        reads: {
            [INSTANCE]: [
                "monitoringInterval",
                "monitoringRoleArn",
                "performanceInsightsEnabled",
                "performanceInsightsKmsKeyId",
                "copyTagsToSnapshot",
            ],
        },
        check: (db, ctx) => {
            const missing = [
                Number(db.props.monitoringInterval ?? 0) > 0 && has(db.props, "monitoringRoleArn") ? undefined : "enhanced monitoring",
                db.props.performanceInsightsEnabled === true ? undefined : "Performance Insights",
                db.props.performanceInsightsEnabled === true && !has(db.props, "performanceInsightsKmsKeyId")
                    ? "a KMS key for Performance Insights"
                    : undefined,
                db.props.copyTagsToSnapshot === true ? undefined : "copying tags to snapshots",
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                ctx.report(`Database ${db.name} lacks ${missing.join(", ")}.`);
            }
        },
    }),
    stackPolicy({
        name: "rds-postgres-logging",
        domain: "rds",
        description:
            "PostgreSQL instances use a parameter group that logs schema changes (log_statement ddl, mod or all), slow statements (log_min_duration_statement) and connections (log_connections).",
        prevents: "No record of who changed the schema or privileges, or who connected, when a database is investigated.",
        severity: "medium",
        remediation:
            'Add { name: "log_statement", value: "ddl" }, { name: "log_min_duration_statement", value: "1000" } and { name: "log_connections", value: "1" } to the instance\'s aws.rds.ParameterGroup, and export the postgresql log (service-log-exports).',
        level: "mandatory",
        checkov: "CKV2_AWS_30",
        pci: ["10.2.1", "10.2.2"],
        reads: POSTGRES_PARAMETER_READS,
        check: (ctx) =>
            postgresInstances(ctx, (db, parameters) => {
                const missing = [
                    ["ddl", "mod", "all"].includes(parameters.get("log_statement") ?? "") ? undefined : "log_statement ddl",
                    Number(parameters.get("log_min_duration_statement") ?? -1) >= 0 ? undefined : "log_min_duration_statement",
                    parameters.get("log_connections") === "1" ? undefined : "log_connections 1",
                ].filter((m): m is string => m !== undefined);
                if (missing.length > 0) {
                    ctx.report(`Database ${db.name} has no parameter group setting ${missing.join(", ")}.`, db.urn);
                }
            }),
    }),
];

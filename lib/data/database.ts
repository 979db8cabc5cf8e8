import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../environments";
import { Namer } from "../naming";
import { ingressSecurityGroup } from "./ingress-security-group";
import { serviceTrustDocument } from "../aws";
import { createDataKey, statefulOptions } from "../stateful";

export const POSTGRES_PORT = 5432;
export const POSTGRES_ENGINE_VERSION = "16";
const PARAMETER_GROUP_FAMILY = "postgres16";

export interface PostgresDatabaseArgs {
    /** Environment the database belongs to; names every resource. */
    env: Environment;
    vpcId: pulumi.Input<string>;
    /** The isolated (data) subnets: the database never sits in a routable tier. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups whose members may connect on 5432 (e.g. the Lambda worker's). */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /** CIDRs that may connect on 5432 (e.g. the private subnets that host per-PR workers). */
    allowedCidrBlocks?: pulumi.Input<string>[];
    instanceClass: string;
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling. */
    maxAllocatedStorageGb: number;
    /** Initial database; per-PR databases are created inside the same instance. */
    databaseName: string;
    masterUsername?: string;
    multiAz: boolean;
    backupRetentionDays: number;
    /** Deletion protection and a final snapshot on delete. */
    deletionProtection: boolean;
    readReplicaCount: number;
    /** protect + retainOnDelete on the instance, its replicas and its KMS key. */
    protect: boolean;
    performanceInsightsRetentionDays?: number;
    /** Enhanced monitoring granularity. */
    monitoringIntervalSeconds?: 1 | 5 | 10 | 15 | 30 | 60;
}

/** The environment-dependent settings the issue fixes, so every caller sizes alike. */
export function postgresDefaultsFor(
    env: Environment,
): Pick<PostgresDatabaseArgs, "multiAz" | "backupRetentionDays" | "deletionProtection" | "protect"> {
    const prod = env === "prod";
    return {
        multiAz: env === "preprod" || prod,
        backupRetentionDays: prod ? 35 : 7,
        deletionProtection: prod,
        protect: prod,
    };
}

/**
 * RDS PostgreSQL 16 in the isolated subnets: KMS-encrypted, TLS forced, IAM authentication,
 * master password owned by Secrets Manager (never in state), Performance Insights and enhanced
 * monitoring, optional Multi-AZ and read replicas.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    readonly replicas: aws.rds.Instance[];
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly kmsKey: aws.kms.Key;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly instanceArn: pulumi.Output<string>;
    /** For `rds-db:connect` ARNs (`arn:aws:rds-db:<region>:<account>:dbuser:<resourceId>/<user>`). */
    readonly resourceId: pulumi.Output<string>;
    /** The Secrets Manager secret RDS manages for the master user. */
    readonly masterSecretArn: pulumi.Output<string>;
    readonly replicaAddresses: pulumi.Output<string[]>;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:PostgresDatabase", name, {}, opts);
        const namer = new Namer(args.env);
        const identifier = namer.name("postgres", { kind: "rdsIdentifier" });
        const stateful = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(args.protect, { parent: this, ...extra });

        this.kmsKey = createDataKey(
            namer.name("postgres", { suffix: "key" }),
            {
                name: namer.name("postgres"),
                description: `PostgreSQL storage, Performance Insights and master secret (${args.env})`,
                protect: args.protect,
            },
            this,
        );

        this.securityGroup = ingressSecurityGroup(
            {
                name: namer.name("postgres", { suffix: "sg" }),
                description: `PostgreSQL ${identifier}: 5432 from named clients only`,
                vpcId: args.vpcId,
                port: POSTGRES_PORT,
                sourceSecurityGroupIds: args.allowedSecurityGroupIds,
                sourceCidrBlocks: args.allowedCidrBlocks,
            },
            this,
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            namer.name("postgres", { suffix: "subnets" }),
            {
                name: namer.name("postgres", { suffix: "subnets" }),
                description: `Isolated subnets for ${identifier}`,
                subnetIds: args.subnetIds,
            },
            { parent: this },
        );

        const parameterGroup = new aws.rds.ParameterGroup(
            namer.name("postgres", { suffix: "params" }),
            {
                name: namer.name("postgres", { suffix: "params" }),
                family: PARAMETER_GROUP_FAMILY,
                description: `${identifier}: TLS required, slow statements logged`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    // Schema and privilege changes (CREATE, ALTER, DROP, GRANT) are audit events (PCI DSS 10.2.1.5).
                    { name: "log_statement", value: "ddl" },
                    { name: "log_min_duration_statement", value: "1000" },
                    { name: "log_connections", value: "1" },
                ],
            },
            { parent: this },
        );

        const monitoringRole = new aws.iam.Role(
            namer.name("postgres", { suffix: "monitoring", kind: "iamRole" }),
            {
                name: namer.name("postgres", { suffix: "monitoring", kind: "iamRole" }),
                description: `RDS enhanced monitoring for ${identifier}`,
                assumeRolePolicy: JSON.stringify(serviceTrustDocument("monitoring.rds.amazonaws.com")),
            },
            { parent: this },
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            namer.name("postgres", { suffix: "monitoring" }),
            { role: monitoringRole.name, policyArn: aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole },
            { parent: this },
        );

        const observability = {
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: this.kmsKey.arn,
            performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? 7,
            monitoringInterval: args.monitoringIntervalSeconds ?? 60,
            // The attachment must exist before RDS validates the role.
            monitoringRoleArn: pulumi.all([monitoringRole.arn, monitoringPolicy.id]).apply(([arn]) => arn),
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        };
        const shared = {
            instanceClass: args.instanceClass,
            parameterGroupName: parameterGroup.name,
            vpcSecurityGroupIds: [this.securityGroup.id],
            storageEncrypted: true,
            kmsKeyId: this.kmsKey.arn,
            iamDatabaseAuthenticationEnabled: true,
            publiclyAccessible: false,
            autoMinorVersionUpgrade: true,
            copyTagsToSnapshot: true,
            deletionProtection: args.deletionProtection,
            ...observability,
        };

        this.instance = new aws.rds.Instance(
            identifier,
            {
                identifier,
                engine: "postgres",
                engineVersion: POSTGRES_ENGINE_VERSION,
                dbName: args.databaseName,
                username: args.masterUsername ?? "payments_admin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: this.kmsKey.arn,
                port: POSTGRES_PORT,
                dbSubnetGroupName: subnetGroup.name,
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
                storageType: "gp3",
                multiAz: args.multiAz,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:04:30-sun:05:30",
                skipFinalSnapshot: !args.deletionProtection,
                finalSnapshotIdentifier: args.deletionProtection ? `${identifier}-final` : undefined,
                deleteAutomatedBackups: !args.deletionProtection,
                ...shared,
            },
            stateful(),
        );

        // Same-region replicas inherit the subnet group, engine, storage and credentials from
        // the source; they are read-only and need no backups of their own.
        this.replicas = Array.from({ length: args.readReplicaCount }, (_, i) => {
            const replicaId = namer.name("postgres", { suffix: `replica-${i + 1}`, kind: "rdsIdentifier" });
            return new aws.rds.Instance(
                replicaId,
                {
                    identifier: replicaId,
                    replicateSourceDb: this.instance.identifier,
                    skipFinalSnapshot: true,
                    backupRetentionPeriod: 0,
                    ...shared,
                },
                stateful(),
            );
        });

        this.address = this.instance.address;
        this.port = this.instance.port;
        this.instanceArn = this.instance.arn;
        this.resourceId = this.instance.resourceId;
        this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? "");
        this.replicaAddresses = pulumi.all(this.replicas.map((r) => r.address));
        this.registerOutputs({
            address: this.address,
            port: this.port,
            instanceArn: this.instanceArn,
            resourceId: this.resourceId,
            masterSecretArn: this.masterSecretArn,
            replicaAddresses: this.replicaAddresses,
        });
    }
}

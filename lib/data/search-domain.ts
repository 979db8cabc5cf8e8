import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../environments";
import { Namer } from "../naming";
import { arnParts, partitionOf } from "../arn";
import { createLogsKey } from "../aws";
import { ingressSecurityGroup } from "./ingress-security-group";
import { createDataKey, statefulOptions } from "../stateful";

export const OPENSEARCH_ENGINE_VERSION = "OpenSearch_2.19";
/** TLS 1.2+ with perfect-forward-secrecy ciphers only. */
export const OPENSEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";
const AVAILABILITY_ZONES = 3;
const LOG_TYPES = ["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"] as const;

export interface SearchDomainArgs {
    env: Environment;
    /** The account and region the domain lives in, for the logs key's policy. */
    accountId: pulumi.Input<string>;
    region: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ; a single-AZ domain uses the first. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups whose members may call the domain on 443. */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    allowedCidrBlocks?: pulumi.Input<string>[];
    instanceType: string;
    /** Data nodes; with zone awareness a multiple of 3 so every AZ holds a full copy. */
    instanceCount: number;
    volumeSizeGb: number;
    /** Spread data nodes (and replicas) over 3 AZs. */
    zoneAwareness: boolean;
    /** Three dedicated master nodes of this type; omitted means none. */
    dedicatedMasterType?: string;
    /**
     * The roles of the domain's account that may assume the fine-grained-access-control master role
     * (never the whole account): the provisioning functions' roles, which may not exist yet.
     */
    masterRoleTrustedPrincipalArns: pulumi.Input<string>[];
    /**
     * Create the account's OpenSearch service-linked role (required for VPC domains). Only the one
     * stack that owns the account's first domain sets this; AWS refuses a second copy.
     */
    createServiceLinkedRole: boolean;
    logRetentionDays?: number;
    /** protect + retainOnDelete on the domain, its KMS key and its log groups. */
    protect: boolean;
}

/** The fine-grained access control master role of the domain `env` owns (computable without its stack). */
export function searchMasterRoleName(env: Environment): string {
    return new Namer(env).name("search", { suffix: "master", kind: "iamRole" });
}

/** The environment-dependent settings the issue fixes. */
export function searchDefaultsFor(env: Environment): Pick<SearchDomainArgs, "zoneAwareness" | "protect" | "logRetentionDays"> {
    // PCI DSS 10.5.1: audit log history is kept for at least 12 months where cardholder data lives.
    return { zoneAwareness: env === "prod", protect: env === "prod", logRetentionDays: env === "prod" ? 365 : 90 };
}

/**
 * An OpenSearch domain reachable only inside the VPC: encrypted at rest (own KMS key) and
 * between nodes, HTTPS only with a TLS 1.2 PFS policy, fine-grained access control whose
 * master is an IAM role, and every log type in CloudWatch.
 */
export class SearchDomain extends pulumi.ComponentResource {
    readonly domain: aws.opensearch.Domain;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly kmsKey: aws.kms.Key;
    readonly masterRole: aws.iam.Role;
    /** The VPC endpoint host name (no scheme). */
    readonly endpoint: pulumi.Output<string>;
    readonly domainArn: pulumi.Output<string>;
    readonly domainName: string;

    constructor(name: string, args: SearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:SearchDomain", name, {}, opts);
        if (args.zoneAwareness && args.instanceCount % AVAILABILITY_ZONES !== 0) {
            throw new Error(
                `SearchDomain ${name}: with zone awareness the data node count must be a multiple of ${AVAILABILITY_ZONES}, got ${args.instanceCount}`,
            );
        }
        const namer = new Namer(args.env);
        this.domainName = namer.name("search", { kind: "opensearchDomain" });
        const stateful = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(args.protect, { parent: this, ...extra });

        this.kmsKey = createDataKey(
            namer.name("search", { suffix: "key" }),
            { name: namer.name("search"), description: `OpenSearch ${this.domainName} encryption at rest`, protect: args.protect },
            this,
        );

        this.securityGroup = ingressSecurityGroup(
            {
                name: namer.name("search", { suffix: "sg" }),
                description: `OpenSearch ${this.domainName}: HTTPS from named clients only`,
                vpcId: args.vpcId,
                port: 443,
                sourceSecurityGroupIds: args.allowedSecurityGroupIds,
                sourceCidrBlocks: args.allowedCidrBlocks,
            },
            this,
        );

        // Audit and slow logs name indices and users: encrypted with a key only this account's log groups may use.
        const logsKey = createLogsKey(
            namer.name("search", { suffix: "logs-key" }),
            `OpenSearch ${this.domainName} logs`,
            { accountId: args.accountId, region: args.region },
            stateful(),
        );
        const logGroups = LOG_TYPES.map(
            (logType) =>
                new aws.cloudwatch.LogGroup(
                    namer.name("search", { suffix: logType.toLowerCase().replace(/_/g, "-") }),
                    {
                        name: `/aws/opensearch/${this.domainName}/${logType.toLowerCase()}`,
                        retentionInDays: args.logRetentionDays ?? 90,
                        kmsKeyId: logsKey.arn,
                    },
                    stateful(),
                ),
        );
        // Account, region and partition come from an ARN this component already has, so the
        // policies below need neither an invoke nor extra arguments.
        const location = logGroups[0].arn.apply(arnParts);

        // CloudWatch Logs only accepts OpenSearch's writes with an account-level resource policy.
        const logPolicy = new aws.cloudwatch.LogResourcePolicy(
            namer.name("search", { suffix: "logs" }),
            {
                policyName: namer.name("search", { suffix: "logs" }),
                policyDocument: pulumi.all([location, pulumi.all(logGroups.map((g) => g.arn))]).apply(([where, arns]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "es.amazonaws.com" },
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: arns.map((arn) => `${arn}:*`),
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": where.account },
                                    ArnLike: {
                                        "aws:SourceArn": `arn:${where.partition}:es:${where.region}:${where.account}:domain/${this.domainName}`,
                                    },
                                },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );

        const trusted = args.masterRoleTrustedPrincipalArns;
        this.masterRole = new aws.iam.Role(
            searchMasterRoleName(args.env),
            {
                name: searchMasterRoleName(args.env),
                description: `Fine-grained access control master of ${this.domainName}: maps index roles, nothing else`,
                // By aws:PrincipalArn, not as principals: IAM refuses a trust policy naming a role that does not
                // exist yet, and the provisioners' roles come later (workloads' in another stack).
                assumeRolePolicy: pulumi.all([args.accountId, ...trusted]).apply(([account, ...principals]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: `arn:${partitionOf(args.region)}:iam::${account}:root` },
                                Action: "sts:AssumeRole",
                                Condition: { ArnEquals: { "aws:PrincipalArn": principals } },
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );

        const serviceLinkedRole = args.createServiceLinkedRole
            ? [
                  new aws.iam.ServiceLinkedRole(
                      namer.name("search", { suffix: "slr" }),
                      { awsServiceName: "opensearchservice.amazonaws.com" },
                      { parent: this },
                  ),
              ]
            : [];

        const subnetIds = pulumi
            .output(args.subnetIds)
            .apply((ids) => (args.zoneAwareness ? ids.slice(0, AVAILABILITY_ZONES) : ids.slice(0, 1)));

        this.domain = new aws.opensearch.Domain(
            this.domainName,
            {
                domainName: this.domainName,
                engineVersion: OPENSEARCH_ENGINE_VERSION,
                clusterConfig: {
                    instanceType: args.instanceType,
                    instanceCount: args.instanceCount,
                    zoneAwarenessEnabled: args.zoneAwareness,
                    zoneAwarenessConfig: args.zoneAwareness ? { availabilityZoneCount: AVAILABILITY_ZONES } : undefined,
                    dedicatedMasterEnabled: args.dedicatedMasterType !== undefined,
                    dedicatedMasterType: args.dedicatedMasterType,
                    dedicatedMasterCount: args.dedicatedMasterType !== undefined ? 3 : undefined,
                },
                ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGb },
                vpcOptions: { subnetIds, securityGroupIds: [this.securityGroup.id] },
                encryptAtRest: { enabled: true, kmsKeyId: this.kmsKey.arn },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
                advancedSecurityOptions: {
                    enabled: true,
                    anonymousAuthEnabled: false,
                    internalUserDatabaseEnabled: false,
                    masterUserOptions: { masterUserArn: this.masterRole.arn },
                },
                logPublishingOptions: LOG_TYPES.map((logType, i) => ({ logType, cloudwatchLogGroupArn: logGroups[i].arn, enabled: true })),
                softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
            },
            stateful({ dependsOn: [logPolicy, ...serviceLinkedRole] }),
        );

        // Any principal of the account may reach the HTTP API; fine-grained access control then
        // decides per index, based on the IAM role the request is signed with.
        new aws.opensearch.DomainPolicy(
            namer.name("search", { suffix: "access" }),
            {
                domainName: this.domain.domainName,
                accessPolicies: pulumi.all([location, this.domain.arn]).apply(([where, arn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: `arn:${where.partition}:iam::${where.account}:root` },
                                Action: "es:ESHttp*",
                                Resource: `${arn}/*`,
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );

        this.endpoint = this.domain.endpoint;
        this.domainArn = this.domain.arn;
        this.registerOutputs({ endpoint: this.endpoint, domainArn: this.domainArn, masterRoleArn: this.masterRole.arn });
    }
}

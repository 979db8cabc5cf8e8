import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { AccountContext, createLogsKey, serviceTrustPolicy } from "../lib/aws";
import { statefulOptions } from "../lib/stateful";
import { AVAILABILITY_ZONE_COUNT, NatGatewayStrategy } from "./config";

/** AWS services the private subnets reach without NAT: image pulls, credentials, queues, secrets, logs, SSM, keys. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "sqs", "secretsmanager", "logs", "ssm", "kms"] as const;
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

/**
 * Per-AZ layout of a /16 split into three /18s: private /19 first (EKS pods take an IP each),
 * then public and isolated /22s; the rest of each /18 stays free for later tiers.
 */
const SUBNET_SPECS: awsx.types.input.ec2.SubnetSpecArgs[] = [
    { type: "Private", name: "private", cidrMask: 19 },
    { type: "Public", name: "public", cidrMask: 22 },
    { type: "Isolated", name: "isolated", cidrMask: 22 },
];

const AWSX_NAT_STRATEGY: Record<NatGatewayStrategy, awsx.types.enums.ec2.NatGatewayStrategy> = {
    onePerAz: "OnePerAz",
    single: "Single",
};

export interface NetworkArgs {
    namer: Namer;
    context: AccountContext;
    cidrBlock: string;
    natGateways: NatGatewayStrategy;
    flowLogRetentionDays: number;
    /** Prod: the logs key is protected and retained on delete, so the logs it encrypts stay readable. */
    protect: boolean;
    /** awsx sub-resources are created by the plugin, out of reach of the provider's defaultTags. */
    tags: Record<string, string>;
}

/**
 * The env VPC: three tiers in three AZs, NAT egress, private endpoints for the AWS APIs the
 * workloads call, flow logs, and a default security group nobody can use.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidrBlock: string;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** One per AZ, in AZ order: where routes to other VPCs over the Transit Gateway go. */
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly isolatedRouteTableIds: pulumi.Output<string>[];
    readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    readonly logsKey: aws.kms.Key;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:Network", name, {}, opts);
        const { namer, context } = args;
        this.cidrBlock = args.cidrBlock;

        const vpc = new awsx.ec2.Vpc(
            namer.name("vpc"),
            {
                cidrBlock: args.cidrBlock,
                numberOfAvailabilityZones: AVAILABILITY_ZONE_COUNT,
                subnetStrategy: "Auto",
                subnetSpecs: SUBNET_SPECS,
                natGateways: { strategy: AWSX_NAT_STRATEGY[args.natGateways] },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { ...args.tags, Name: namer.name("vpc") },
            },
            // A remote component gets no provider from its parent: hand it the account provider.
            { parent: this, providers: { aws: this.getProvider("aws::")! } },
        );
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.isolatedSubnetIds = vpc.isolatedSubnetIds;
        // awsx gives every subnet its own route table; look each one up by its subnet.
        const routeTablesOf = (subnetIds: pulumi.Output<string[]>) =>
            Array.from(
                { length: AVAILABILITY_ZONE_COUNT },
                (_, az) => aws.ec2.getRouteTableOutput({ subnetId: subnetIds.apply((ids) => ids[az]) }, { parent: this }).routeTableId,
            );
        this.privateRouteTableIds = routeTablesOf(vpc.privateSubnetIds);
        this.isolatedRouteTableIds = routeTablesOf(vpc.isolatedSubnetIds);

        new aws.ec2.DefaultSecurityGroup(namer.name("default-sg"), { vpcId: vpc.vpcId, ingress: [], egress: [] }, { parent: this });

        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(
            namer.name("vpc-endpoints"),
            {
                name: namer.name("vpc-endpoints"),
                description: "Interface endpoints: HTTPS from inside the VPC only",
                vpcId: vpc.vpcId,
                ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidrBlock] }],
                egress: [],
            },
            { parent: this },
        );
        for (const service of GATEWAY_ENDPOINT_SERVICES) {
            new aws.ec2.VpcEndpoint(
                namer.name("endpoint", { suffix: service }),
                {
                    vpcId: vpc.vpcId,
                    serviceName: `com.amazonaws.${context.region}.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: [...this.privateRouteTableIds, ...this.isolatedRouteTableIds],
                },
                { parent: this },
            );
        }
        for (const service of INTERFACE_ENDPOINT_SERVICES) {
            new aws.ec2.VpcEndpoint(
                namer.name("endpoint", { suffix: service }),
                {
                    vpcId: vpc.vpcId,
                    serviceName: `com.amazonaws.${context.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: vpc.privateSubnetIds,
                    securityGroupIds: [this.endpointSecurityGroup.id],
                },
                { parent: this },
            );
        }

        this.logsKey = createLogsKey(
            namer.name("logs-key"),
            `${namer.env} platform logs and secrets`,
            context,
            statefulOptions(args.protect, { parent: this }),
        );
        new aws.kms.Alias(
            namer.name("logs-key"),
            { name: `alias/${namer.name("platform-logs")}`, targetKeyId: this.logsKey.keyId },
            { parent: this },
        );
        this.flowLogs(namer, context, vpc.vpcId, args.flowLogRetentionDays);
        this.registerOutputs({ vpcId: this.vpcId });
    }

    private flowLogs(namer: Namer, context: AccountContext, vpcId: pulumi.Output<string>, retentionInDays: number): void {
        const logGroup = new aws.cloudwatch.LogGroup(
            namer.name("vpc-flow-logs"),
            { name: namer.name("vpc-flow-logs", { kind: "logGroup" }), retentionInDays, kmsKeyId: this.logsKey.arn },
            { parent: this },
        );
        const role = new aws.iam.Role(
            namer.name("vpc-flow-logs"),
            {
                name: namer.name("vpc-flow-logs", { kind: "iamRole" }),
                assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", context.accountId),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            namer.name("vpc-flow-logs"),
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            namer.name("vpc-flow-logs"),
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );
    }
}

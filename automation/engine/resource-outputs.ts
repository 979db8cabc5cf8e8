import { accountIdFrom, hexFrom, uuidFrom } from "./identifiers";

/**
 * The one table of realistic outputs the offline engine returns for resources and invokes:
 * what the provider would compute on create (ids, ARNs with the right partition, account and
 * region, endpoints), so programs and policies see values shaped like the real ones.
 * Values are derived from the resource's URN, so every synthesis of a program is identical.
 */
/** Resource inputs and state as the mock runtime passes them: each resource type's own schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape depends on the resource type
export type MockProps = Record<string, any>;

export interface MockContext {
    type: string;
    /** The logical name. */
    name: string;
    urn: string;
    inputs: MockProps;
    account: string;
    region: string;
    partition: string;
    /** `inputs.name` when set, else a Pulumi-style auto-name (`<logical>-<7 hex>`). */
    physicalName: string;
    /** Deterministic hex of the given length, unique to this resource (and the optional salt). */
    hex(length: number, salt?: string): string;
    /** A resource reference to a synthetic child that remote components create (only the component registers offline). */
    reference(type: string, name: string, id: string, state: Record<string, unknown>): unknown;
}

export interface ResourceMock {
    id?: (ctx: MockContext) => string;
    outputs?: (ctx: MockContext, id: string) => Record<string, unknown>;
}

export interface InvokeContext {
    token: string;
    inputs: MockProps;
    account: string;
    region: string;
    partition: string;
}

function arn(
    ctx: { partition: string; region: string; account: string },
    service: string,
    resource: string,
    scope: { region?: boolean; account?: boolean } = {},
): string {
    const region = scope.region === false ? "" : ctx.region;
    const account = scope.account === false ? "" : ctx.account;
    return `arn:${ctx.partition}:${service}:${region}:${account}:${resource}`;
}

const prefixedId =
    (prefix: string, length = 17) =>
    (ctx: MockContext) =>
        `${prefix}-${ctx.hex(length)}`;
const physicalId = (ctx: MockContext) => ctx.physicalName;
const arnId =
    (service: string, resource: (ctx: MockContext) => string, scope?: { region?: boolean; account?: boolean }) => (ctx: MockContext) =>
        arn(ctx, service, resource(ctx), scope);

/** ARN of an EC2-family resource whose id carries its own prefix. */
const ec2Arn = (kind: string) => (ctx: MockContext, id: string) => ({ arn: arn(ctx, "ec2", `${kind}/${id}`), ownerId: ctx.account });

/** The names AWS gives the service-linked roles the estate creates (IAM's "services that work with IAM" table). */
const SERVICE_LINKED_ROLE_NAMES: Record<string, string> = {
    "config.amazonaws.com": "AWSServiceRoleForConfig",
    "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
};

const ALB_HOSTED_ZONE_ID = "Z35SXDOTRQ7X7K"; // us-east-1, per the ELB endpoints table
const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

function loadBalancerKind(inputs: MockProps): string {
    return inputs.loadBalancerType === "network" ? "net" : "app";
}

/** aws.s3.Bucket, and the deprecated BucketV2 that still resolves to the same API. */
const S3_BUCKET: ResourceMock = {
    id: (ctx) => ctx.inputs.bucket ?? `${ctx.name}-${ctx.hex(7)}`,
    outputs: (ctx, id) => ({
        bucket: id,
        arn: arn(ctx, "s3", id, { region: false, account: false }),
        bucketDomainName: `${id}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${id}.s3.${ctx.region}.amazonaws.com`,
        hostedZoneId: "Z3AQBSTGFYJSTF",
        region: ctx.region,
    }),
};

export const RESOURCE_MOCKS: Record<string, ResourceMock> = {
    // ---- providers and the engine's own resources ----
    "pulumi:providers:aws": { id: (ctx) => uuidFrom(ctx.urn) },
    "pulumi:providers:kubernetes": { id: (ctx) => uuidFrom(ctx.urn) },

    // ---- storage ----
    "aws:s3/bucket:Bucket": S3_BUCKET,
    "aws:s3/bucketV2:BucketV2": S3_BUCKET,
    "aws:dynamodb/table:Table": {
        id: physicalId,
        outputs: (ctx, id) => {
            const tableArn = arn(ctx, "dynamodb", `table/${id}`);
            return {
                name: id,
                arn: tableArn,
                streamArn: ctx.inputs.streamEnabled ? `${tableArn}/stream/2026-11-01T00:00:00.000` : undefined,
                streamLabel: "2026-11-01T00:00:00.000",
            };
        },
    },
    "aws:sqs/queue:Queue": {
        id: (ctx) => `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${ctx.physicalName}`,
        outputs: (ctx, id) => ({ name: ctx.physicalName, url: id, arn: arn(ctx, "sqs", ctx.physicalName) }),
    },
    "aws:ecr/repository:Repository": {
        id: physicalId,
        outputs: (ctx, id) => ({
            name: id,
            arn: arn(ctx, "ecr", `repository/${id}`),
            registryId: ctx.account,
            repositoryUrl: `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/${id}`,
        }),
    },

    // ---- compute ----
    "aws:lambda/function:Function": {
        id: physicalId,
        outputs: (ctx, id) => {
            const functionArn = arn(ctx, "lambda", `function:${id}`);
            return {
                name: id,
                arn: functionArn,
                qualifiedArn: `${functionArn}:$LATEST`,
                invokeArn: `arn:${ctx.partition}:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
                version: "$LATEST",
            };
        },
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx, id) => ({ uuid: id, arn: arn(ctx, "lambda", `event-source-mapping:${id}`), state: "Enabled" }),
    },
    "aws:ec2/instance:Instance": {
        id: prefixedId("i"),
        outputs: (ctx, id) => ({
            ...ec2Arn("instance")(ctx, id),
            privateIp: `10.0.${parseInt(ctx.hex(2), 16) % 64}.${(parseInt(ctx.hex(2, "ip"), 16) % 250) + 4}`,
            instanceState: "running",
        }),
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        id: prefixedId("lt"),
        outputs: (ctx, id) => ({ ...ec2Arn("launch-template")(ctx, id), name: ctx.physicalName, latestVersion: 1, defaultVersion: 1 }),
    },

    // ---- identity ----
    "aws:iam/role:Role": {
        id: physicalId,
        outputs: (ctx, id) => ({
            name: id,
            arn: arn(ctx, "iam", `role${ctx.inputs.path ?? "/"}${id}`, { region: false }),
            uniqueId: `AROA${ctx.hex(17).toUpperCase()}`,
        }),
    },
    "aws:iam/policy:Policy": {
        id: (ctx) => arn(ctx, "iam", `policy${ctx.inputs.path ?? "/"}${ctx.physicalName}`, { region: false }),
        outputs: (ctx, id) => ({ name: ctx.physicalName, arn: id, policyId: `ANPA${ctx.hex(17).toUpperCase()}` }),
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "iam", `instance-profile/${id}`, { region: false }) }),
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        id: (ctx) => arn(ctx, "iam", `oidc-provider/${String(ctx.inputs.url ?? "").replace(/^https:\/\//, "")}`, { region: false }),
        outputs: (_ctx, id) => ({ arn: id }),
    },
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
        // The provider's id is the role's ARN; AWS names the role after the service.
        id: (ctx) =>
            arn(
                ctx,
                "iam",
                `role/aws-service-role/${ctx.inputs.awsServiceName}/${SERVICE_LINKED_ROLE_NAMES[String(ctx.inputs.awsServiceName)] ?? "AWSServiceRole"}`,
                { region: false },
            ),
        outputs: (_ctx, id) => ({ arn: id, name: id.split("/").pop() }),
    },
    "aws:kms/key:Key": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx, id) => ({ keyId: id, arn: arn(ctx, "kms", `key/${id}`) }),
    },
    "aws:kms/alias:Alias": {
        id: physicalId,
        outputs: (ctx, id) => ({
            name: id,
            arn: arn(ctx, "kms", id),
            targetKeyArn: arn(ctx, "kms", `key/${ctx.inputs.targetKeyId ?? uuidFrom(ctx.urn)}`),
        }),
    },
    "aws:secretsmanager/secret:Secret": {
        id: (ctx) => arn(ctx, "secretsmanager", `secret:${ctx.physicalName}-${ctx.hex(6)}`),
        outputs: (ctx, id) => ({ name: ctx.physicalName, arn: id }),
    },
    "aws:ssoadmin/permissionSet:PermissionSet": {
        id: (ctx) => `arn:${ctx.partition}:sso:::permissionSet/ssoins-${ctx.hex(16)}/ps-${ctx.hex(16, "ps")},${ctx.inputs.instanceArn}`,
        outputs: (_ctx, id) => ({ arn: id.split(",")[0] }),
    },

    // ---- organization ----
    "aws:organizations/organization:Organization": {
        id: (ctx) => `o-${ctx.hex(10)}`,
        outputs: (ctx, id) => ({
            arn: `arn:${ctx.partition}:organizations::${ctx.account}:organization/${id}`,
            masterAccountId: ctx.account,
            masterAccountArn: `arn:${ctx.partition}:organizations::${ctx.account}:account/${id}/${ctx.account}`,
            roots: [
                {
                    id: `r-${ctx.hex(4)}`,
                    name: "Root",
                    arn: `arn:${ctx.partition}:organizations::${ctx.account}:root/${id}/r-${ctx.hex(4)}`,
                    policyTypes: (ctx.inputs.enabledPolicyTypes ?? []).map((type: string) => ({ type, status: "ENABLED" })),
                },
            ],
        }),
    },
    "aws:organizations/organizationalUnit:OrganizationalUnit": {
        id: (ctx) => `ou-${ctx.hex(4)}-${ctx.hex(8, "ou")}`,
        outputs: (ctx, id) => ({ arn: `arn:${ctx.partition}:organizations::${ctx.account}:ou/o-${hexFrom(ctx.account, 10)}/${id}` }),
    },
    "aws:organizations/account:Account": {
        id: (ctx) => accountIdFrom(`${ctx.inputs.email ?? ctx.urn}`),
        outputs: (ctx, id) => ({
            arn: `arn:${ctx.partition}:organizations::${ctx.account}:account/o-${hexFrom(ctx.account, 10)}/${id}`,
            status: "ACTIVE",
        }),
    },
    "aws:organizations/policy:Policy": {
        id: (ctx) => `p-${ctx.hex(8)}`,
        outputs: (ctx, id) => ({
            arn: `arn:${ctx.partition}:organizations::${ctx.account}:policy/o-${hexFrom(ctx.account, 10)}/${String(ctx.inputs.type ?? "service_control_policy").toLowerCase()}/${id}`,
        }),
    },

    // ---- audit ----
    "aws:cloudtrail/trail:Trail": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "cloudtrail", `trail/${id}`), homeRegion: ctx.region }),
    },
    "aws:guardduty/detector:Detector": {
        id: (ctx) => ctx.hex(32),
        outputs: (ctx, id) => ({ accountId: ctx.account, arn: arn(ctx, "guardduty", `detector/${id}`) }),
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "logs", `log-group:${id}`) }),
    },
    // Vended log delivery (CloudFront standard logging v2): the delivery names its destination by ARN.
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "logs", `delivery-source:${id}`) }),
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "logs", `delivery-destination:${id}`) }),
    },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        id: (ctx) => ctx.hex(16),
        outputs: (ctx, id) => ({ arn: arn(ctx, "logs", `delivery:${id}`) }),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        id: physicalId,
        outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "cloudwatch", `alarm:${id}`) }),
    },
    "aws:sns/topic:Topic": {
        id: (ctx) => arn(ctx, "sns", ctx.physicalName),
        outputs: (ctx, id) => ({ name: ctx.physicalName, arn: id }),
    },

    // ---- network ----
    "aws:ec2/vpc:Vpc": {
        id: prefixedId("vpc"),
        outputs: (ctx, id) => ({
            ...ec2Arn("vpc")(ctx, id),
            defaultSecurityGroupId: `sg-${ctx.hex(17, "default-sg")}`,
            mainRouteTableId: `rtb-${ctx.hex(17, "main")}`,
            defaultNetworkAclId: `acl-${ctx.hex(17)}`,
        }),
    },
    "aws:ec2/subnet:Subnet": { id: prefixedId("subnet"), outputs: ec2Arn("subnet") },
    "aws:ec2/securityGroup:SecurityGroup": {
        id: prefixedId("sg"),
        outputs: (ctx, id) => ({ ...ec2Arn("security-group")(ctx, id), name: ctx.physicalName }),
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { id: prefixedId("sg"), outputs: ec2Arn("security-group") },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { id: prefixedId("sgr"), outputs: ec2Arn("security-group-rule") },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { id: prefixedId("sgr"), outputs: ec2Arn("security-group-rule") },
    "aws:ec2/securityGroupRule:SecurityGroupRule": { id: prefixedId("sgrule", 10) },
    "aws:ec2/routeTable:RouteTable": { id: prefixedId("rtb"), outputs: ec2Arn("route-table") },
    "aws:ec2/route:Route": { id: (ctx) => `r-${ctx.inputs.routeTableId}${ctx.hex(8)}` },
    "aws:ec2/natGateway:NatGateway": {
        id: prefixedId("nat"),
        outputs: (ctx) => ({ publicIp: `3.${parseInt(ctx.hex(2), 16)}.${parseInt(ctx.hex(2, "b"), 16)}.${parseInt(ctx.hex(2, "c"), 16)}` }),
    },
    "aws:ec2/eip:Eip": {
        id: prefixedId("eipalloc"),
        outputs: (ctx, id) => ({
            allocationId: id,
            publicIp: `3.${parseInt(ctx.hex(2), 16)}.${parseInt(ctx.hex(2, "b"), 16)}.${parseInt(ctx.hex(2, "c"), 16)}`,
        }),
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        id: prefixedId("vpce"),
        outputs: (ctx, id) => ({
            ...ec2Arn("vpc-endpoint")(ctx, id),
            dnsEntries: [
                {
                    dnsName: `${id}.${String(ctx.inputs.serviceName ?? "")
                        .split(".")
                        .pop()}.${ctx.region}.vpce.amazonaws.com`,
                    hostedZoneId: "Z7HUB22UULQXV",
                },
            ],
            state: "available",
        }),
    },
    "aws:ec2/flowLog:FlowLog": { id: prefixedId("fl"), outputs: ec2Arn("vpc-flow-log") },
    "aws:ec2transitgateway/transitGateway:TransitGateway": {
        id: prefixedId("tgw"),
        outputs: (ctx, id) => ({
            arn: arn(ctx, "ec2", `transit-gateway/${id}`),
            ownerId: ctx.account,
            associationDefaultRouteTableId: `tgw-rtb-${ctx.hex(17, "assoc")}`,
            propagationDefaultRouteTableId: `tgw-rtb-${ctx.hex(17, "prop")}`,
        }),
    },
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": { id: prefixedId("tgw-attach"), outputs: (ctx) => ({ vpcOwnerId: ctx.account }) },
    "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter": {
        id: (ctx) => String(ctx.inputs.transitGatewayAttachmentId ?? `tgw-attach-${ctx.hex(17)}`),
    },
    "aws:ec2transitgateway/routeTable:RouteTable": {
        id: prefixedId("tgw-rtb"),
        outputs: (ctx, id) => ({ arn: arn(ctx, "ec2", `transit-gateway-route-table/${id}`) }),
    },
    "aws:ram/resourceShare:ResourceShare": {
        id: arnId("ram", (ctx) => `resource-share/${uuidFrom(ctx.urn)}`),
        outputs: (_ctx, id) => ({ arn: id }),
    },
    "aws:route53/zone:Zone": {
        id: (ctx) => `Z${ctx.hex(20).toUpperCase()}`,
        outputs: (ctx, id) => ({
            zoneId: id,
            arn: `arn:${ctx.partition}:route53:::hostedzone/${id}`,
            nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
        }),
    },
    "aws:route53/record:Record": {
        id: (ctx) => `${ctx.inputs.zoneId}_${ctx.inputs.name}_${ctx.inputs.type}`,
        outputs: (ctx) => ({ fqdn: ctx.inputs.name }),
    },
    "aws:acm/certificate:Certificate": {
        id: arnId("acm", (ctx) => `certificate/${uuidFrom(ctx.urn)}`),
        outputs: (ctx, id) => ({
            arn: id,
            status: "ISSUED",
            domainValidationOptions: [ctx.inputs.domainName, ...(ctx.inputs.subjectAlternativeNames ?? [])].map((domainName: string) => ({
                domainName,
                resourceRecordName: `_${hexFrom(domainName, 32)}.${domainName.replace(/^\*\./, "")}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${hexFrom(`${domainName}-value`, 32)}.acm-validations.aws.`,
            })),
        }),
    },
    "aws:acm/certificateValidation:CertificateValidation": { id: (ctx) => String(ctx.inputs.certificateArn) },

    // ---- load balancing and edge ----
    "aws:lb/loadBalancer:LoadBalancer": {
        id: (ctx) => arn(ctx, "elasticloadbalancing", `loadbalancer/${loadBalancerKind(ctx.inputs)}/${ctx.physicalName}/${ctx.hex(16)}`),
        outputs: (ctx, id) => ({
            arn: id,
            arnSuffix: id.split(":loadbalancer/")[1],
            name: ctx.physicalName,
            dnsName: `${ctx.inputs.internal ? "internal-" : ""}${ctx.physicalName}-${parseInt(ctx.hex(8), 16)}.${ctx.region}.elb.amazonaws.com`,
            zoneId: ALB_HOSTED_ZONE_ID,
        }),
    },
    "aws:lb/targetGroup:TargetGroup": {
        id: (ctx) => arn(ctx, "elasticloadbalancing", `targetgroup/${ctx.physicalName}/${ctx.hex(16)}`),
        outputs: (ctx, id) => ({ arn: id, arnSuffix: id.split(":")[5], name: ctx.physicalName }),
    },
    "aws:lb/listener:Listener": {
        id: (ctx) => `${String(ctx.inputs.loadBalancerArn).replace(":loadbalancer/", ":listener/")}/${ctx.hex(16)}`,
        outputs: (_ctx, id) => ({ arn: id }),
    },
    "aws:lb/listenerRule:ListenerRule": {
        id: (ctx) => `${String(ctx.inputs.listenerArn).replace(":listener/", ":listener-rule/")}/${ctx.hex(16)}`,
        outputs: (_ctx, id) => ({ arn: id }),
    },
    "aws:wafv2/webAcl:WebAcl": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx, id) => {
            const scope = ctx.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
            const region = scope === "global" ? "us-east-1" : ctx.region;
            return {
                arn: `arn:${ctx.partition}:wafv2:${region}:${ctx.account}:${scope}/webacl/${ctx.physicalName}/${id}`,
                capacity: 700,
                name: ctx.physicalName,
            };
        },
    },
    "aws:cloudfront/distribution:Distribution": {
        id: (ctx) => `E${ctx.hex(13).toUpperCase()}`,
        outputs: (ctx, id) => ({
            arn: `arn:${ctx.partition}:cloudfront::${ctx.account}:distribution/${id}`,
            domainName: `d${ctx.hex(13)}.cloudfront.net`,
            hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID,
            etag: `E${ctx.hex(13, "etag").toUpperCase()}`,
            status: "Deployed",
        }),
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        id: (ctx) => `E${ctx.hex(13).toUpperCase()}`,
        outputs: (ctx) => ({ etag: `E${ctx.hex(13, "etag").toUpperCase()}` }),
    },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx) => ({ etag: `E${ctx.hex(13, "etag").toUpperCase()}` }),
    },
    "aws:cloudfront/cachePolicy:CachePolicy": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx) => ({ etag: `E${ctx.hex(13, "etag").toUpperCase()}` }),
    },
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": {
        id: (ctx) => uuidFrom(ctx.urn),
        outputs: (ctx) => ({ etag: `E${ctx.hex(13, "etag").toUpperCase()}` }),
    },

    // ---- data services ----
    "aws:rds/instance:Instance": {
        id: (ctx) => `db-${ctx.hex(26).toUpperCase()}`,
        outputs: (ctx, id) => {
            const identifier = ctx.inputs.identifier ?? ctx.physicalName;
            const address = `${identifier}.c${ctx.hex(11)}.${ctx.region}.rds.amazonaws.com`;
            const port = ctx.inputs.port ?? 5432;
            return {
                identifier,
                resourceId: id,
                arn: arn(ctx, "rds", `db:${identifier}`),
                address,
                port,
                endpoint: `${address}:${port}`,
                hostedZoneId: "Z2R2ITUGPM61AM",
                masterUserSecrets: ctx.inputs.manageMasterUserPassword
                    ? [
                          {
                              secretArn: arn(ctx, "secretsmanager", `secret:rds!db-${uuidFrom(ctx.urn)}-${ctx.hex(6)}`),
                              kmsKeyId: ctx.inputs.masterUserSecretKmsKeyId ?? "",
                              secretStatus: "active",
                          },
                      ]
                    : [],
            };
        },
    },
    "aws:rds/subnetGroup:SubnetGroup": { id: physicalId, outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "rds", `subgrp:${id}`) }) },
    "aws:rds/parameterGroup:ParameterGroup": { id: physicalId, outputs: (ctx, id) => ({ name: id, arn: arn(ctx, "rds", `pg:${id}`) }) },
    "aws:opensearch/domain:Domain": {
        id: (ctx) => arn(ctx, "es", `domain/${ctx.inputs.domainName ?? ctx.physicalName}`),
        outputs: (ctx, id) => {
            const domainName = ctx.inputs.domainName ?? ctx.physicalName;
            const host = `vpc-${domainName}-${ctx.hex(26)}.${ctx.region}.es.amazonaws.com`;
            return {
                arn: id,
                domainName,
                domainId: `${ctx.account}/${domainName}`,
                endpoint: host,
                dashboardEndpoint: `${host}/_dashboards`,
            };
        },
    },
    "aws:sesv2/emailIdentity:EmailIdentity": {
        id: (ctx) => String(ctx.inputs.emailIdentity),
        outputs: (ctx, id) => ({
            arn: arn(ctx, "ses", `identity/${id}`),
            identityType: id.includes("@") ? "EMAIL_ADDRESS" : "DOMAIN",
            dkimSigningAttributes: {
                status: "SUCCESS",
                tokens: [ctx.hex(32, "1"), ctx.hex(32, "2"), ctx.hex(32, "3")],
                nextSigningKeyLength: "RSA_2048_BIT",
            },
            verifiedForSendingStatus: true,
        }),
    },
    "aws:sesv2/configurationSet:ConfigurationSet": {
        id: (ctx) => String(ctx.inputs.configurationSetName ?? ctx.physicalName),
        outputs: (ctx, id) => ({ arn: arn(ctx, "ses", `configuration-set/${id}`) }),
    },
    "aws:amp/workspace:Workspace": {
        id: (ctx) => `ws-${uuidFrom(ctx.urn)}`,
        outputs: (ctx, id) => ({
            arn: arn(ctx, "aps", `workspace/${id}`),
            prometheusEndpoint: `https://aps-workspaces.${ctx.region}.amazonaws.com/workspaces/${id}/`,
        }),
    },
    "aws:amp/scraper:Scraper": {
        id: (ctx) => `s-${uuidFrom(ctx.urn)}`,
        outputs: (ctx, id) => ({
            arn: arn(ctx, "aps", `scraper/${id}`),
            roleArn: arn(
                ctx,
                "iam",
                `role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${ctx.hex(15)}`,
                { region: false },
            ),
        }),
    },

    // ---- EKS ----
    "aws:eks/cluster:Cluster": {
        id: physicalId,
        outputs: (ctx, id) => eksClusterOutputs(ctx, id),
    },
    "aws:eks/nodeGroup:NodeGroup": {
        id: (ctx) => `${ctx.inputs.clusterName}:${ctx.inputs.nodeGroupName ?? ctx.physicalName}`,
        outputs: (ctx) => ({
            arn: arn(
                ctx,
                "eks",
                `nodegroup/${ctx.inputs.clusterName}/${ctx.inputs.nodeGroupName ?? ctx.physicalName}/${uuidFrom(ctx.urn)}`,
            ),
            nodeGroupName: ctx.inputs.nodeGroupName ?? ctx.physicalName,
            status: "ACTIVE",
        }),
    },
    "aws:eks/addon:Addon": {
        id: (ctx) => `${ctx.inputs.clusterName}:${ctx.inputs.addonName}`,
        outputs: (ctx) => ({ arn: arn(ctx, "eks", `addon/${ctx.inputs.clusterName}/${ctx.inputs.addonName}/${uuidFrom(ctx.urn)}`) }),
    },
    "aws:eks/accessEntry:AccessEntry": {
        id: (ctx) => `${ctx.inputs.clusterName}:${ctx.inputs.principalArn}`,
        outputs: (ctx) => ({
            accessEntryArn: arn(
                ctx,
                "eks",
                `access-entry/${ctx.inputs.clusterName}/role/${ctx.account}/${ctx.hex(8)}/${uuidFrom(ctx.urn)}`,
            ),
        }),
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
        id: (ctx) => `a-${ctx.hex(17)}`,
        outputs: (ctx, id) => ({
            associationId: id,
            associationArn: arn(ctx, "eks", `podidentityassociation/${ctx.inputs.clusterName}/${id}`),
        }),
    },

    // ---- remote components: only the component registers offline, so it answers with its real outputs ----
    "awsx:ec2:Vpc": { outputs: (ctx) => awsxVpcOutputs(ctx) },
    "eks:index:Cluster": { outputs: (ctx) => eksComponentOutputs(ctx) },
    "eks:index:ManagedNodeGroup": {
        outputs: (ctx) => ({
            nodeGroup: ctx.reference("aws:eks/nodeGroup:NodeGroup", ctx.name, `${ctx.name}:${ctx.name}`, {
                nodeGroupName: ctx.inputs.nodeGroupName ?? ctx.name,
                status: "ACTIVE",
            }),
        }),
    },
};

function eksClusterOutputs(ctx: MockContext, name: string): Record<string, unknown> {
    const oidcId = ctx.hex(32).toUpperCase();
    return {
        name,
        arn: arn(ctx, "eks", `cluster/${name}`),
        endpoint: `https://${oidcId}.gr7.${ctx.region}.eks.amazonaws.com`,
        certificateAuthority: {
            data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMII${ctx.hex(48)}\n-----END CERTIFICATE-----\n`).toString("base64"),
        },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${ctx.region}.amazonaws.com/id/${oidcId}` }] }],
        clusterId: uuidFrom(ctx.urn),
        platformVersion: "eks.20",
        status: "ACTIVE",
        vpcConfig: {
            ...(ctx.inputs.vpcConfig ?? {}),
            clusterSecurityGroupId: `sg-${ctx.hex(17, "cluster-sg")}`,
            vpcId: `vpc-${ctx.hex(17, "vpc")}`,
        },
    };
}

function kubeconfigFor(clusterName: string, endpoint: string, caData: string, region: string): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
        "current-context": "aws",
        users: [
            {
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
                    },
                },
            },
        ],
    };
}

function eksComponentOutputs(ctx: MockContext): Record<string, unknown> {
    const clusterName = ctx.inputs.name ?? `${ctx.name}-eksCluster-${ctx.hex(7)}`;
    const childName = `${ctx.name}-eksCluster`;
    const cluster = eksClusterOutputs(
        {
            ...ctx,
            urn: `${ctx.urn}$${childName}`,
            inputs: {
                vpcConfig: {
                    subnetIds: ctx.inputs.privateSubnetIds ?? ctx.inputs.subnetIds,
                    endpointPrivateAccess: ctx.inputs.endpointPrivateAccess,
                    endpointPublicAccess: ctx.inputs.endpointPublicAccess,
                },
            },
        },
        clusterName,
    );
    const endpoint = cluster.endpoint as string;
    const caData = (cluster.certificateAuthority as { data: string }).data;
    const issuer = (cluster.identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer;
    const kubeconfig = kubeconfigFor(clusterName, endpoint, caData, ctx.region);
    return {
        eksCluster: ctx.reference("aws:eks/cluster:Cluster", childName, clusterName, cluster),
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        clusterSecurityGroupId: `sg-${ctx.hex(17, "cluster-sg")}`,
        nodeSecurityGroupId: `sg-${ctx.hex(17, "node-sg")}`,
        clusterIngressRuleId: `sgrule-${ctx.hex(10)}`,
        oidcIssuer: issuer.replace(/^https:\/\//, ""),
        oidcProviderUrl: issuer,
        oidcProviderArn: arn(ctx, "iam", `oidc-provider/${issuer.replace(/^https:\/\//, "")}`, { region: false }),
        defaultNodeGroupAsgName: "",
        fargateProfileId: "",
        fargateProfileStatus: "",
        autoModeNodeRoleName: "",
        instanceRoles: [],
    };
}

const SUBNET_TIERS = ["Public", "Private", "Isolated"] as const;

function awsxVpcOutputs(ctx: MockContext): Record<string, unknown> {
    const azCount = ctx.inputs.availabilityZoneNames?.length ?? ctx.inputs.numberOfAvailabilityZones ?? 3;
    const specs: { type: string }[] = ctx.inputs.subnetSpecs ?? [{ type: "Public" }, { type: "Private" }];
    const ids = (tier: string) =>
        specs.some((spec) => spec.type === tier)
            ? Array.from({ length: azCount }, (_, az) => `subnet-${ctx.hex(17, `${tier}-${az}`)}`)
            : [];
    const natStrategy = ctx.inputs.natGateways?.strategy ?? "OnePerAz";
    const natCount = !specs.some((spec) => spec.type === "Private") || natStrategy === "None" ? 0 : natStrategy === "Single" ? 1 : azCount;
    const [publicSubnetIds, privateSubnetIds, isolatedSubnetIds] = SUBNET_TIERS.map(ids);
    return {
        vpcId: `vpc-${ctx.hex(17)}`,
        publicSubnetIds,
        privateSubnetIds,
        isolatedSubnetIds,
        natGatewayIds: Array.from({ length: natCount }, (_, az) => `nat-${ctx.hex(17, `nat-${az}`)}`),
        subnetLayout: specs.map((spec) => ({ type: spec.type })),
    };
}

/** Outputs of data-source invokes, keyed by invoke token. */
export const INVOKE_MOCKS: Record<string, (ctx: InvokeContext) => Record<string, unknown>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (ctx) => ({
        accountId: ctx.account,
        arn: `arn:${ctx.partition}:sts::${ctx.account}:assumed-role/offline-plan/offline`,
        userId: `AROA${hexFrom(ctx.account, 17).toUpperCase()}:offline`,
        id: ctx.account,
    }),
    "aws:index/getRegion:getRegion": (ctx) => ({
        name: ctx.region,
        region: ctx.region,
        id: ctx.region,
        description: ctx.region,
        endpoint: `ec2.${ctx.region}.amazonaws.com`,
    }),
    "aws:index/getPartition:getPartition": (ctx) => ({
        partition: ctx.partition,
        id: ctx.partition,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (ctx) => {
        const names = ["a", "b", "c", "d", "e", "f"].map((suffix) => `${ctx.region}${suffix}`);
        return { id: ctx.region, names, zoneIds: names.map((_, i) => `use1-az${i + 1}`), groupNames: [ctx.region] };
    },
    "aws:iam/getRoles:getRoles": (ctx) => {
        const permissionSet = /AWSReservedSSO_([A-Za-z]+)_/.exec(String(ctx.inputs.nameRegex ?? ""))?.[1];
        const names = permissionSet ? [`AWSReservedSSO_${permissionSet}_${hexFrom(`${ctx.account}/${permissionSet}`, 16)}`] : [];
        return {
            id: ctx.account,
            names,
            arns: names.map(
                (name) =>
                    `arn:${ctx.partition}:iam::${ctx.account}:role${ctx.inputs.pathPrefix ?? "/aws-reserved/sso.amazonaws.com/"}${name}`,
            ),
        };
    },
    "aws:ssoadmin/getInstances:getInstances": (ctx) => ({
        id: ctx.region,
        arns: [`arn:${ctx.partition}:sso:::instance/ssoins-${hexFrom(ctx.account, 16)}`],
        identityStoreIds: [`d-${hexFrom(ctx.account, 10)}`],
    }),
    "aws:eks/getAddonVersion:getAddonVersion": (ctx) => ({
        id: String(ctx.inputs.addonName),
        addonName: ctx.inputs.addonName,
        kubernetesVersion: ctx.inputs.kubernetesVersion,
        version: "v1.0.0-eksbuild.1",
    }),
    "aws:ec2/getAmi:getAmi": (ctx) => ({ id: `ami-${hexFrom(JSON.stringify(ctx.inputs), 17)}`, architecture: "x86_64" }),
    "aws:ssm/getParameter:getParameter": (ctx) => ({
        id: String(ctx.inputs.name),
        name: ctx.inputs.name,
        value: `ami-${hexFrom(String(ctx.inputs.name), 17)}`,
        type: "String",
    }),
    // ---- platform: awsx gives every subnet its own route table, which the platform looks up by subnet ----
    "aws:ec2/getRouteTable:getRouteTable": (ctx) => {
        const routeTableId = String(
            ctx.inputs.routeTableId ?? `rtb-${hexFrom(String(ctx.inputs.subnetId ?? JSON.stringify(ctx.inputs)), 17)}`,
        );
        return {
            id: routeTableId,
            routeTableId,
            arn: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:route-table/${routeTableId}`,
            ownerId: ctx.account,
            subnetId: ctx.inputs.subnetId,
            vpcId: ctx.inputs.vpcId,
            routes: [],
            associations: [],
            tags: {},
        };
    },
};

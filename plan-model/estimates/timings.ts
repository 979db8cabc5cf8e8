/**
 * How long `pulumi up` and `pulumi destroy` typically spend on one resource of each type, in
 * minutes, with the public source of each figure. The figures are typical wall-clock times of the
 * provider's create/delete call including the waiters it runs (e.g. "wait until available"), not
 * worst cases; where no vendor figure exists the source is the provider's waiter/timeout doc plus
 * the typical figure the issue records from published experience.
 *
 * Structural types (our own `payments:*` components and the stack itself) take no time of their
 * own: they finish when their children finish (see critical-path.ts). Every other type that a plan
 * contains must be listed here: an unknown type is reported by the estimate and fails the coverage
 * test, it is never silently counted as zero.
 */
import { PlannedResource } from "../types";
import {
    arrayAt,
    booleanAt,
    each,
    isReplica,
    S3_BUCKET_SETTING_TYPES,
    SES_TYPES,
    VPC_BUILDING_BLOCK_TYPES,
    stringAt,
    IAM_TYPES,
    IDENTITY_CENTER_TYPES,
    LOAD_BALANCER_PART_TYPES,
    RAM_SHARING_TYPES,
} from "./inputs";

export interface Timing {
    createMinutes: number;
    deleteMinutes: number;
    /** Where the figure comes from (URL plus what it says). */
    source: string;
}

/** A timing that applies instead of the type's base figure when the resource's inputs match. */
export interface TimingVariant extends Timing {
    label: string;
    when: (r: PlannedResource) => boolean;
}

export interface TimingEntry extends Timing {
    /** Checked in order; the first match wins. */
    variants?: TimingVariant[];
}

const TF = (resource: string) => `https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/${resource}#timeouts`;
const ISSUE8 = "issue 8 (typical published figures)";

const SRC = {
    api: "Synchronous control-plane API call, no waiter: seconds (Pulumi registry docs of the resource list no custom timeouts)",
    iam: "IAM is eventually consistent; the provider retries for propagation, typically seconds: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency",
    provider: "Provider/stack-reference registration is local to the engine: no cloud call",
    k8sObject:
        "Kubernetes API object, applied with server-side apply; Pulumi awaits readiness only for workloads: https://www.pulumi.com/docs/iac/clouds/kubernetes/guides/await-logic/",
    k8sNamespaceDelete:
        "Namespace deletion waits for finalizers of everything inside it: https://www.pulumi.com/registry/packages/kubernetes/api-docs/core/v1/namespace/",
    helm: "Helm release with Pulumi's default await of its workloads (timeout 300 s), typically 1-3 min for a controller chart: https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/",
    eks:
        "EKS control plane: 'averages 15 minutes', since reduced to about 10 (aws/containers-roadmap#1227: https://github.com/aws/containers-roadmap/issues/1227); " +
        ISSUE8,
    eksComponent:
        "@pulumi/eks Cluster = EKS control plane (~10 min, aws/containers-roadmap#1227) + OIDC provider, access entries and the vpc-cni/coredns/kube-proxy add-ons (~2 min): https://www.pulumi.com/registry/packages/eks/api-docs/cluster/",
    nodeGroup:
        "Managed node group: EC2 launch + kubelet join, typically 3-5 min; delete drains and terminates nodes: " + TF("eks_node_group"),
    addon: "EKS managed add-on reaches ACTIVE once its pods run on nodes, typically 1-2 min: " + TF("eks_addon"),
    nat: "NAT gateway pending -> available about 2 min: " + ISSUE8 + "; waiter: " + TF("nat_gateway"),
    awsxVpc:
        "awsx.ec2.Vpc: VPC, subnets, route tables (seconds) then NAT gateways in parallel (~2 min, " +
        ISSUE8 +
        "): https://www.pulumi.com/registry/packages/awsx/api-docs/ec2/vpc/",
    endpoint: "Interface endpoint pending -> available, typically 1-2 min: " + TF("vpc_endpoint"),
    tgw: "Transit Gateway about 1.5 min: " + ISSUE8 + "; waiter: " + TF("ec2_transit_gateway"),
    tgwAttachment: "Transit Gateway VPC attachment pending -> available, about 1-2 min: " + TF("ec2_transit_gateway_vpc_attachment"),
    alb: "ALB provisioning -> active, typically 2-3 min: " + TF("lb"),
    wafAssociation: "WAFv2 association retries until the load balancer accepts it, typically < 1 min: " + TF("wafv2_web_acl_association"),
    cloudfront:
        "CloudFront distribution about 4 min to Deployed; delete = disable, wait for Deployed, delete: " +
        ISSUE8 +
        "; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HowToDeleteDistribution.html",
    certValidation:
        "ACM DNS validation typically completes within minutes once the record exists: https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
    route53:
        "Route 53 change PENDING -> INSYNC, typically within 60 s: https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html",
    rds: "RDS instance about 6 min single-AZ, 15 min Multi-AZ, read replica about 8 min: " + ISSUE8 + "; waiter: " + TF("db_instance"),
    opensearch:
        "OpenSearch domain 20-40 min (more with dedicated masters / zone awareness): " + ISSUE8 + "; waiter: " + TF("opensearch_domain"),
    dynamodb: "DynamoDB table ACTIVE within seconds; PITR/TTL/stream updates add seconds: " + ISSUE8,
    sqs:
        "SQS queue creation takes seconds (attributes propagate within ~1 min): " +
        ISSUE8 +
        "; https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
    lambda: "Lambda function Pending -> Active within seconds: https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html",
    lambdaVpc:
        "VPC-attached Lambda: Hyperplane ENIs are created on create (~1 min) and released up to ~20 min after delete, which the following security-group/subnet delete waits for (hashicorp/terraform-provider-aws a54c065, #5459)",
    lambdaVpcReplace:
        "VPC-attached Lambda with replaceSecurityGroupsOnDestroy: the function's ENIs are moved to the replacement groups before delete, so its own group can go at once (hashicorp/terraform-provider-aws#37624: https://github.com/hashicorp/terraform-provider-aws/pull/37624)",
    esm: "Event source mapping Creating -> Enabled, typically < 1 min: " + TF("lambda_event_source_mapping"),
    ec2: "EC2 instance pending -> running about 1 min, terminate about 1 min: " + TF("instance"),
    asg: "Auto Scaling group waits for desired capacity in service: " + TF("autoscaling_group"),
    account:
        "Organizations CreateAccount is asynchronous, typically a few minutes: https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html",
    sso: "IAM Identity Center provisioning of permission sets/assignments is asynchronous, typically seconds: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html",
    amp: "AMP workspace CREATING -> ACTIVE within a minute: " + TF("prometheus_workspace"),
    ampScraper:
        "AMP scraper creates ENIs in the cluster VPC, 'several minutes' to ACTIVE: https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateScraper.html; " +
        TF("prometheus_scraper"),
    sesVerify: "SES domain verification completes minutes after the DNS record exists: " + TF("ses_domain_identity_verification"),
    kmsDelete:
        "KMS key deletion only schedules deletion (7-30 day window); the API call returns at once: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
};

function timing(createMinutes: number, deleteMinutes: number, source: string): TimingEntry {
    return { createMinutes, deleteMinutes, source };
}

/** One figure for many types. */

const API = timing(0.1, 0.1, SRC.api);
const IAM = timing(0.1, 0.1, SRC.iam);
const ZERO = timing(0, 0, SRC.provider);
const K8S_OBJECT = timing(0.1, 0.1, SRC.k8sObject);

const inVpc = (r: PlannedResource) => (arrayAt(r, "vpcConfig.subnetIds")?.length ?? 0) > 0 || stringAt(r, "vpcConfig.vpcId") !== undefined;

export const TIMINGS: Record<string, TimingEntry> = {
    // --- engine-level resources
    ...each(
        [
            "pulumi:pulumi:StackReference",
            "pulumi:providers:aws",
            "pulumi:providers:kubernetes",
            "pulumi:providers:eks",
            "pulumi:providers:awsx",
            "pulumi:providers:random",
            "pulumi:providers:tls",
            "pulumi:providers:command",
        ],
        ZERO,
    ),

    // --- remote components (under mocks only the component registers: its time includes its children)
    "awsx:ec2:Vpc": {
        ...timing(2.5, 3, SRC.awsxVpc),
        variants: [
            { label: "no NAT gateways", ...timing(0.5, 1, SRC.awsxVpc), when: (r) => stringAt(r, "natGateways.strategy") === "None" },
        ],
    },
    "eks:index:Cluster": {
        ...timing(12, 7, SRC.eksComponent),
        variants: [
            {
                label: "with the default node group",
                ...timing(15, 10, SRC.eksComponent + "; + default node group: " + SRC.nodeGroup),
                when: (r) =>
                    booleanAt(r, "skipDefaultNodeGroup") !== true && r.inputs.fargate === undefined && r.inputs.autoMode === undefined,
            },
        ],
    },
    "eks:index:ManagedNodeGroup": timing(4, 6, SRC.nodeGroup),
    "eks:index:NodeGroup": timing(4, 5, SRC.asg),
    "eks:index:NodeGroupV2": timing(4, 5, SRC.asg),
    "eks:index:Addon": timing(1.5, 1, SRC.addon),
    "eks:index:VpcCniAddon": timing(1, 1, SRC.addon),

    // --- EKS
    "aws:eks/cluster:Cluster": timing(10, 6, SRC.eks),
    "aws:eks/nodeGroup:NodeGroup": timing(4, 6, SRC.nodeGroup),
    "aws:eks/addon:Addon": timing(1.5, 1, SRC.addon),
    "aws:eks/fargateProfile:FargateProfile": timing(3, 3, TF("eks_fargate_profile")),
    ...each(
        [
            "aws:eks/accessEntry:AccessEntry",
            "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        ],
        API,
    ),

    // --- network
    "aws:ec2/natGateway:NatGateway": timing(2, 1, SRC.nat),
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        ...timing(2, 2, SRC.endpoint),
        variants: [
            { label: "gateway endpoint", ...timing(0.2, 0.2, SRC.endpoint), when: (r) => stringAt(r, "vpcEndpointType") === "Gateway" },
        ],
    },
    "aws:ec2/instance:Instance": timing(1, 1, SRC.ec2),
    "aws:autoscaling/group:Group": timing(2, 2, SRC.asg),
    ...each([...VPC_BUILDING_BLOCK_TYPES, "aws:ec2/eip:Eip", "aws:ec2/flowLog:FlowLog", "aws:ec2/launchTemplate:LaunchTemplate"], API),

    // --- Transit Gateway and sharing
    "aws:ec2transitgateway/transitGateway:TransitGateway": timing(1.5, 1.5, SRC.tgw),
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": timing(1.5, 1.5, SRC.tgwAttachment),
    "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter": timing(1, 0.5, SRC.tgwAttachment),
    ...each(
        [
            "aws:ec2transitgateway/routeTable:RouteTable",
            "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
            "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
            "aws:ec2transitgateway/route:Route",
        ],
        timing(0.3, 0.3, TF("ec2_transit_gateway_route_table")),
    ),
    ...each(RAM_SHARING_TYPES, API),

    // --- edge
    "aws:lb/loadBalancer:LoadBalancer": timing(3, 0.5, SRC.alb),
    "aws:alb/loadBalancer:LoadBalancer": timing(3, 0.5, SRC.alb),
    ...each(LOAD_BALANCER_PART_TYPES, API),
    ...each(
        [
            "aws:wafv2/webAcl:WebAcl",
            "aws:wafv2/ruleGroup:RuleGroup",
            "aws:wafv2/ipSet:IpSet",
            "aws:wafv2/regexPatternSet:RegexPatternSet",
            "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
        ],
        API,
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": timing(0.5, 0.2, SRC.wafAssociation),
    "aws:cloudfront/distribution:Distribution": timing(4, 8, SRC.cloudfront),
    ...each(
        [
            "aws:cloudfront/originAccessControl:OriginAccessControl",
            "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
            "aws:cloudfront/cachePolicy:CachePolicy",
            "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
            "aws:cloudfront/function:Function",
            "aws:cloudfront/keyValueStore:KeyValueStore",
        ],
        API,
    ),
    "aws:acm/certificate:Certificate": API,
    "aws:acm/certificateValidation:CertificateValidation": timing(3, 0, SRC.certValidation),
    "aws:route53/zone:Zone": timing(1, 0.5, SRC.route53),
    "aws:route53/record:Record": timing(1, 0.5, SRC.route53),
    "aws:route53/zoneAssociation:ZoneAssociation": timing(1, 1, SRC.route53),
    "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization": API,
    "aws:route53/queryLog:QueryLog": API,

    // --- data services
    "aws:rds/instance:Instance": {
        ...timing(6, 5, SRC.rds),
        variants: [
            { label: "read replica", ...timing(8, 5, SRC.rds), when: isReplica },
            { label: "Multi-AZ", ...timing(15, 8, SRC.rds), when: (r) => booleanAt(r, "multiAz") === true },
        ],
    },
    ...each(["aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/optionGroup:OptionGroup"], API),
    "aws:opensearch/domain:Domain": {
        ...timing(20, 10, SRC.opensearch),
        variants: [
            {
                label: "dedicated masters / zone awareness",
                ...timing(30, 15, SRC.opensearch),
                when: (r) =>
                    booleanAt(r, "clusterConfig.dedicatedMasterEnabled") === true ||
                    booleanAt(r, "clusterConfig.zoneAwarenessEnabled") === true,
            },
        ],
    },
    ...each(
        ["aws:opensearch/domainPolicy:DomainPolicy", "aws:opensearch/domainSamlOptions:DomainSamlOptions"],
        timing(1, 0.1, SRC.opensearch),
    ),
    "aws:dynamodb/table:Table": timing(0.3, 0.3, SRC.dynamodb),
    ...each(
        [
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "aws:dynamodb/contributorInsights:ContributorInsights",
            "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
        ],
        API,
    ),
    "aws:sqs/queue:Queue": timing(0.2, 0.1, SRC.sqs),
    ...each(
        ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/redrivePolicy:RedrivePolicy", "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"],
        API,
    ),
    "aws:lambda/function:Function": {
        ...timing(0.3, 0.1, SRC.lambda),
        variants: [
            {
                label: "in a VPC, security groups swapped before delete",
                ...timing(1, 2, SRC.lambdaVpcReplace),
                when: (r) => inVpc(r) && booleanAt(r, "replaceSecurityGroupsOnDestroy") === true,
            },
            { label: "in a VPC", ...timing(1, 20, SRC.lambdaVpc), when: inVpc },
        ],
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": timing(0.5, 0.5, SRC.esm),
    // One synchronous invocation per create and delete (the provisioner: a VPC cold start and a few SQL statements).
    "aws:lambda/invocation:Invocation": timing(0.3, 0.2, SRC.lambda),
    ...each(
        [
            "aws:lambda/permission:Permission",
            "aws:lambda/alias:Alias",
            "aws:lambda/layerVersion:LayerVersion",
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        ],
        API,
    ),
    ...each(
        [
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketV2:BucketV2",
            "aws:s3/bucketObject:BucketObject",
            "aws:s3/bucketObjectv2:BucketObjectv2",
            ...S3_BUCKET_SETTING_TYPES,
        ],
        API,
    ),
    ...each(SES_TYPES, API),
    "aws:ses/domainIdentityVerification:DomainIdentityVerification": timing(3, 0, SRC.sesVerify),

    // --- security, keys, secrets, observability
    "aws:kms/key:Key": timing(0.1, 0.1, SRC.kmsDelete),
    "aws:kms/replicaKey:ReplicaKey": timing(0.1, 0.1, SRC.kmsDelete),
    ...each(["aws:kms/alias:Alias", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/grant:Grant"], API),
    ...each(
        [
            "aws:secretsmanager/secret:Secret",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:secretsmanager/secretPolicy:SecretPolicy",
            "aws:secretsmanager/secretRotation:SecretRotation",
        ],
        API,
    ),
    ...each(["aws:ssm/parameter:Parameter", "aws:ssm/document:Document", "aws:ssm/association:Association"], API),
    ...each(
        [
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:cloudwatch/dashboard:Dashboard",
            "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
            "aws:cloudwatch/eventRule:EventRule",
            "aws:cloudwatch/eventTarget:EventTarget",
            "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
            "aws:cloudwatch/logMetricFilter:LogMetricFilter",
            "aws:cloudwatch/compositeAlarm:CompositeAlarm",
            "aws:cloudwatch/logDeliverySource:LogDeliverySource",
            "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
            "aws:cloudwatch/logDelivery:LogDelivery",
        ],
        API,
    ),
    ...each(["aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription"], API),
    "aws:amp/workspace:Workspace": timing(0.5, 0.5, SRC.amp),
    "aws:amp/scraper:Scraper": timing(10, 5, SRC.ampScraper),
    // Pulumi submits the request and returns; AWS approves it asynchronously.
    "aws:servicequotas/serviceQuota:ServiceQuota": API,
    ...each(
        [
            "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
            "aws:amp/alertManagerDefinition:AlertManagerDefinition",
            "aws:amp/workspaceConfiguration:WorkspaceConfiguration",
        ],
        timing(0.5, 0.5, SRC.amp),
    ),
    ...each(IAM_TYPES, IAM),

    // --- organization, identity, audit
    "aws:organizations/account:Account": timing(3, 0.1, SRC.account),
    ...each(
        [
            "aws:organizations/organization:Organization",
            "aws:organizations/organizationalUnit:OrganizationalUnit",
            "aws:organizations/policy:Policy",
            "aws:organizations/policyAttachment:PolicyAttachment",
            "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
            "aws:organizations/resourcePolicy:ResourcePolicy",
        ],
        API,
    ),
    ...each(IDENTITY_CENTER_TYPES, timing(0.3, 0.3, SRC.sso)),
    ...each(
        [
            "aws:cloudtrail/trail:Trail",
            "aws:guardduty/detector:Detector",
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
            "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
            "aws:guardduty/detectorFeature:DetectorFeature",
            "aws:securityhub/account:Account",
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
            "aws:inspector2/enabler:Enabler",
            "aws:inspector2/memberAssociation:MemberAssociation",
            "aws:inspector2/organizationConfiguration:OrganizationConfiguration",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
            "aws:securityhub/standardsSubscription:StandardsSubscription",
            "aws:securityhub/findingAggregator:FindingAggregator",
            "aws:securityhub/configurationPolicy:ConfigurationPolicy",
            "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation",
            "aws:cfg/configurationAggregator:ConfigurationAggregator",
            "aws:cfg/aggregateAuthorization:AggregateAuthorization",
            "aws:cfg/recorder:Recorder",
            "aws:cfg/deliveryChannel:DeliveryChannel",
            "aws:cfg/recorderStatus:RecorderStatus",
            "aws:cfg/organizationManagedRule:OrganizationManagedRule",
            "aws:cfg/rule:Rule",
            "aws:accessanalyzer/analyzer:Analyzer",
            "aws:budgets/budget:Budget",
            "aws:budgets/budgetAction:BudgetAction",
            "aws:ecr/repository:Repository",
            "aws:ecr/repositoryPolicy:RepositoryPolicy",
            "aws:ecr/lifecyclePolicy:LifecyclePolicy",
            "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
            "aws:ecr/registryPolicy:RegistryPolicy",
            "aws:ecr/replicationConfiguration:ReplicationConfiguration",
            "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
        ],
        API,
    ),

    // --- Kubernetes
    "kubernetes:core/v1:Namespace": timing(0.1, 1, SRC.k8sNamespaceDelete),
    ...each(
        [
            "kubernetes:core/v1:ResourceQuota",
            "kubernetes:core/v1:LimitRange",
            "kubernetes:core/v1:ServiceAccount",
            "kubernetes:core/v1:Secret",
            "kubernetes:core/v1:ConfigMap",
            "kubernetes:core/v1:Service",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
            "kubernetes:rbac.authorization.k8s.io/v1:Role",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            "kubernetes:storage.k8s.io/v1:StorageClass",
            "kubernetes:batch/v1:CronJob",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
            "kubernetes:policy/v1:PodDisruptionBudget",
            "kubernetes:scheduling.k8s.io/v1:PriorityClass",
            "kubernetes:argoproj.io/v1alpha1:Application",
            "kubernetes:argoproj.io/v1alpha1:AppProject",
            "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate",
            "kubernetes:argoproj.io/v1alpha1:ClusterAnalysisTemplate",
            "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
            "kubernetes:karpenter.sh/v1:NodePool",
            "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
            "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
            "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
            "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
            "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
            "kubernetes:gateway.networking.k8s.io/v1:Gateway",
            "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        ],
        K8S_OBJECT,
    ),
    "kubernetes:apps/v1:Deployment": timing(1, 0.5, SRC.k8sObject),
    ...each(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart"], timing(2, 1, SRC.helm)),
    ...each(["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"], timing(0.5, 0.5, SRC.k8sObject)),
};

/** Types that only group other resources: zero time of their own, they end when their children end. */
export function isStructural(type: string): boolean {
    return type.startsWith("payments:") || type === "pulumi:pulumi:Stack";
}

/** The timing that applies to this resource, or undefined when its type is not in the table. */
export function timingOf(r: PlannedResource): (Timing & { label?: string }) | undefined {
    if (isStructural(r.type)) return { createMinutes: 0, deleteMinutes: 0, source: "component: ends when its children end" };
    const entry = TIMINGS[r.type];
    if (!entry) return undefined;
    const variant = entry.variants?.find((v) => v.when(r));
    return variant ?? entry;
}

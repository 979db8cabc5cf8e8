import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../lib/aws-log-delivery";
import { partitionOf } from "../../lib/arn";
import { Namer } from "../../lib/naming";
import { SecureBucket } from "../../lib/secure-bucket";
import { statefulOptions } from "../../lib/stateful";
import { FIRST_WORKLOAD_RULE_PRIORITY } from "../outputs";

/** TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export type AlbScheme = "public" | "internal";

/** A service that joins an ALB target group through the Load Balancer Controller's TargetGroupBinding. */
export interface ServiceTarget {
    service: string;
    scheme: AlbScheme;
    /** Default port; TargetGroupBinding registers each pod with its own container port. */
    port: number;
    healthCheckPath: string;
    /** A port other than the traffic port for health checks. */
    healthCheckPort?: number;
    /** HTTPS: the ALB re-encrypts to a pod that serves TLS itself (it accepts the pod's own certificate). Default HTTP. */
    protocol?: "HTTP" | "HTTPS";
}

export const SERVICE_TARGETS: readonly ServiceTarget[] = [
    { service: "payments-web", scheme: "public", port: 8080, healthCheckPath: "/healthz" },
    { service: "payments-api", scheme: "public", port: 8080, healthCheckPath: "/healthz" },
    { service: "admin-web", scheme: "internal", port: 8080, healthCheckPath: "/healthz" },
];

/**
 * A bucket for load balancer (and CloudFront) logs: SSE-S3, because ALB access logs support no KMS
 * key; expiring after `retentionDays`; named with the account id, since S3 names are global. Its
 * policy is attached by the caller (`attachPolicy`), who knows which log writers it admits.
 */
export function accessLogBucket(
    namer: Namer,
    component: string,
    args: { accountId: pulumi.Input<string>; retentionDays: number; protect: boolean },
    parent: pulumi.Resource,
): SecureBucket {
    return new SecureBucket(
        namer.name(component),
        {
            bucketName: pulumi.output(args.accountId).apply((id) => namer.name(component, { suffix: id, kind: "s3Bucket" })),
            versioning: false,
            lifecycleRules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: args.retentionDays } }],
            forceDestroy: !args.protect,
            deferPolicy: true,
        },
        statefulOptions(args.protect, { parent }),
    );
}

/**
 * Lets the region's ELB log-delivery account write this account's ALB access logs under `alb-*`
 * (ALB access logs support SSE-S3 only); regions without one use the log-delivery service principal.
 */
export function albLogDeliveryStatement(
    bucketArn: pulumi.Input<string>,
    accountId: pulumi.Input<string>,
    region: string,
): pulumi.Input<aws.iam.PolicyStatement> {
    const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[region];
    return {
        Sid: "AlbAccessLogDelivery",
        Effect: "Allow",
        Principal: elbAccount
            ? { AWS: `arn:${partitionOf(region)}:iam::${elbAccount}:root` }
            : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${bucketArn}/alb-*/AWSLogs/${accountId}/*`,
    } as pulumi.Input<aws.iam.PolicyStatement>;
}

export interface AlbRoute {
    service: string;
    priority: number;
    conditions: pulumi.Input<aws.types.input.lb.ListenerRuleCondition>[];
}

export interface ApplicationLoadBalancerArgs {
    namer: Namer;
    scheme: AlbScheme;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    subnetIds: pulumi.Input<string[]>;
    /** Who may connect on 80/443. */
    ingressCidrs: string[];
    /** Regional certificate, already validated. */
    certificateArn: pulumi.Input<string>;
    deletionProtection: boolean;
    accessLogBucket: pulumi.Input<string>;
    /** What a request matching no rule gets. */
    defaultResponse: { statusCode: "403" | "404"; message: string };
    routes: AlbRoute[];
    /** The services with a target group here; default SERVICE_TARGETS (the workload services). */
    targets?: readonly ServiceTarget[];
    /** Targets of this env only, beside those (the PR gateway of the test env). */
    extraTargets?: readonly ServiceTarget[];
    webAclArn?: pulumi.Input<string>;
}

/**
 * An ALB owned by Pulumi, so the edge (listeners, TLS, WAF, logs) is reviewed in the plan and
 * services only bind pods to its target groups. HTTPS only, HTTP redirected, malformed headers
 * dropped before they reach a pod.
 */
export class ApplicationLoadBalancer extends pulumi.ComponentResource {
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly httpsListener: aws.lb.Listener;
    readonly targetGroups: Record<string, aws.lb.TargetGroup> = {};
    /** The ports its targets listen on (TargetGroupBinding registers pod IPs on these). */
    readonly targetPorts: number[];
    private readonly albName: string;

    constructor(name: string, args: ApplicationLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ApplicationLoadBalancer", name, {}, opts);
        const { namer, scheme } = args;
        const parent = { parent: this };
        const albName = namer.name("alb", { suffix: scheme, kind: "loadBalancer" });
        this.albName = albName;

        this.securityGroup = new aws.ec2.SecurityGroup(
            albName,
            {
                name: albName,
                description: `${scheme} ALB`,
                vpcId: args.vpcId,
                ingress: [443, 80].map((port) => ({
                    description: port === 443 ? "HTTPS" : "HTTP, redirected to HTTPS",
                    protocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrBlocks: args.ingressCidrs,
                })),
                egress: [{ description: "Pods in the VPC", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlocks: [args.vpcCidr] }],
            },
            parent,
        );
        this.loadBalancer = new aws.lb.LoadBalancer(
            albName,
            {
                name: albName,
                loadBalancerType: "application",
                internal: scheme === "internal",
                subnets: args.subnetIds,
                securityGroups: [this.securityGroup.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: args.deletionProtection,
                enableHttp2: true,
                idleTimeout: 60,
                accessLogs: { bucket: args.accessLogBucket, prefix: `alb-${scheme}`, enabled: true },
            },
            parent,
        );
        if (args.webAclArn !== undefined) {
            new aws.wafv2.WebAclAssociation(albName, { resourceArn: this.loadBalancer.arn, webAclArn: args.webAclArn }, parent);
        }

        const targets = [...(args.targets ?? SERVICE_TARGETS), ...(args.extraTargets ?? [])].filter((t) => t.scheme === scheme);
        // Health checks may use their own port (the PR gateway's readiness): pods must admit it too.
        this.targetPorts = [...new Set(targets.flatMap((t) => (t.healthCheckPort === undefined ? [t.port] : [t.port, t.healthCheckPort])))];
        for (const target of targets) {
            this.targetGroups[target.service] = new aws.lb.TargetGroup(
                namer.name(target.service, { kind: "targetGroup" }),
                {
                    name: namer.name(target.service, { kind: "targetGroup" }),
                    targetType: "ip",
                    protocol: target.protocol ?? "HTTP",
                    port: target.port,
                    vpcId: args.vpcId,
                    deregistrationDelay: 30,
                    healthCheck: {
                        enabled: true,
                        protocol: target.protocol ?? "HTTP",
                        path: target.healthCheckPath,
                        port: target.healthCheckPort === undefined ? "traffic-port" : String(target.healthCheckPort),
                        matcher: "200-399",
                        interval: 15,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                },
                parent,
            );
        }

        new aws.lb.Listener(
            namer.name("alb", { suffix: `${scheme}-http` }),
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            parent,
        );
        this.httpsListener = new aws.lb.Listener(
            namer.name("alb", { suffix: `${scheme}-https` }),
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: ALB_SSL_POLICY,
                certificateArn: args.certificateArn,
                defaultActions: [
                    {
                        type: "fixed-response",
                        fixedResponse: {
                            contentType: "text/plain",
                            statusCode: args.defaultResponse.statusCode,
                            messageBody: args.defaultResponse.message,
                        },
                    },
                ],
            },
            parent,
        );
        for (const route of args.routes) {
            if (route.priority >= FIRST_WORKLOAD_RULE_PRIORITY) {
                throw new Error(`listener rule priority ${route.priority} for ${route.service} is in the range reserved for workloads`);
            }
            const targetGroup = this.targetGroups[route.service];
            if (!targetGroup) {
                throw new Error(`${route.service} has no target group on the ${scheme} ALB`);
            }
            new aws.lb.ListenerRule(
                namer.name("alb-rule", { suffix: `${scheme}-${route.service}` }),
                {
                    listenerArn: this.httpsListener.arn,
                    priority: route.priority,
                    conditions: route.conditions,
                    actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                },
                parent,
            );
        }
        this.registerOutputs({ loadBalancerArn: this.loadBalancer.arn });
    }

    /**
     * Lets this ALB reach its targets: pods registered by IP sit behind the cluster security group,
     * which admits only itself until told otherwise (every target would stay unhealthy).
     */
    admitTargetsIn(podSecurityGroupId: pulumi.Input<string>): void {
        for (const port of this.targetPorts) {
            new aws.vpc.SecurityGroupIngressRule(
                `${this.albName}-to-pods-${port}`,
                {
                    securityGroupId: podSecurityGroupId,
                    referencedSecurityGroupId: this.securityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `Targets of ${this.albName} (pod IPs)`,
                },
                { parent: this },
            );
        }
    }
}

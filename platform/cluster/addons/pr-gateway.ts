import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PR_GATEWAY, PR_GATEWAY_PROXY_LABELS } from "../../outputs";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

/** The host pattern the platform forwards to the gateway, and the one host a PR's namespace may claim. */
export function pullRequestHostPattern(domainName: string): string {
    return `pr-*.${domainName}`;
}

export interface PullRequestGatewayArgs extends ClusterAddonArgs {
    domainName: string;
    /** The public ALB's target group for the gateway (platform/edge). */
    targetGroupArn: pulumi.Input<string>;
    /** The public ALB's security group: the LB controller opens the nodes' ports to it and to nothing else. */
    albSecurityGroupId: pulumi.Input<string>;
}

/**
 * CEL a PR namespace's HTTPRoutes must satisfy: exactly its own host `<namespace>.<domain>`, only
 * the PR gateway as parent. Backends in other namespaces already need a ReferenceGrant, which no
 * PR namespace can create in another.
 */
export function pullRequestRouteRules(domainName: string): { expression: string; message: string }[] {
    return [
        {
            expression: `has(object.spec.hostnames) && size(object.spec.hostnames) > 0 && object.spec.hostnames.all(h, h == namespaceObject.metadata.name + '.${domainName}')`,
            message: `a PR route may only name its own host <namespace>.${domainName}`,
        },
        {
            expression: `object.spec.parentRefs.all(p, p.name == '${PR_GATEWAY.name}' && has(p.__namespace__) && p.__namespace__ == '${PR_GATEWAY.namespace}')`,
            message: `a PR route may only attach to ${PR_GATEWAY.namespace}/${PR_GATEWAY.name}`,
        },
    ];
}

/**
 * The PR gateway (platform/outputs.ts PR_GATEWAY): Envoy Gateway, its GatewayClass and Gateway,
 * a Service over the proxies bound to the public ALB's target group, and the admission policy that
 * keeps each PR namespace to its own host (CI's right to write routes: WORKLOAD_DEPLOYER_RULES).
 */
export class PullRequestGateway extends pulumi.ComponentResource {
    constructor(name: string, args: PullRequestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:PullRequestGateway", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubernetes };
        const { namer } = args;

        // The chart ships the Gateway API CRDs and the controller; proxies are created per Gateway.
        const controller = pinnedRelease(
            {
                namer,
                release: "envoy-gateway",
                chart: CHARTS.envoyGateway,
                namespace: PR_GATEWAY.namespace,
                createNamespace: true,
                values: { deployment: { replicas: 2, pod: { ...SYSTEM_PLACEMENT } } },
            },
            k8sOpts,
        );
        const afterController = { ...k8sOpts, dependsOn: [controller] };

        // ClusterIP: the ALB reaches the proxies through the TargetGroupBinding, never through a second load balancer.
        const proxy = new k8s.apiextensions.CustomResource(
            namer.name("pr-gateway-proxy"),
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "EnvoyProxy",
                metadata: { name: PR_GATEWAY.name, namespace: PR_GATEWAY.namespace },
                spec: {
                    provider: {
                        type: "Kubernetes",
                        kubernetes: {
                            envoyService: { type: "ClusterIP" },
                            envoyDeployment: { replicas: 2, pod: { ...SYSTEM_PLACEMENT } },
                        },
                    },
                },
            },
            afterController,
        );
        const gatewayClass = new k8s.apiextensions.CustomResource(
            namer.name("pr-gateway-class"),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "GatewayClass",
                metadata: { name: PR_GATEWAY.gatewayClass },
                spec: {
                    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
                    parametersRef: {
                        group: "gateway.envoyproxy.io",
                        kind: "EnvoyProxy",
                        name: PR_GATEWAY.name,
                        namespace: PR_GATEWAY.namespace,
                    },
                },
            },
            { ...k8sOpts, dependsOn: [controller, proxy] },
        );
        new k8s.apiextensions.CustomResource(
            namer.name("pr-gateway"),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: PR_GATEWAY.name, namespace: PR_GATEWAY.namespace },
                spec: {
                    gatewayClassName: PR_GATEWAY.gatewayClass,
                    listeners: [
                        {
                            name: PR_GATEWAY.listener,
                            protocol: "HTTP",
                            port: PR_GATEWAY.port,
                            hostname: `*.${args.domainName}`,
                            allowedRoutes: {
                                kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
                                namespaces: {
                                    from: "Selector",
                                    selector: { matchExpressions: [{ key: PR_GATEWAY.namespaceLabel, operator: "Exists" }] },
                                },
                            },
                        },
                    ],
                },
            },
            { ...k8sOpts, dependsOn: [gatewayClass] },
        );

        // Our own Service with a stable name over the proxies, so the TargetGroupBinding can name it.
        const service = new k8s.core.v1.Service(
            namer.name("pr-gateway-service"),
            {
                metadata: { name: "pr-gateway", namespace: PR_GATEWAY.namespace },
                spec: {
                    type: "ClusterIP",
                    selector: PR_GATEWAY_PROXY_LABELS,
                    ports: [
                        { name: "http", port: PR_GATEWAY.port, targetPort: PR_GATEWAY.port, protocol: "TCP" },
                        { name: "ready", port: PR_GATEWAY.readinessPort, targetPort: PR_GATEWAY.readinessPort, protocol: "TCP" },
                    ],
                },
            },
            afterController,
        );
        new k8s.apiextensions.CustomResource(
            namer.name("pr-gateway-binding"),
            {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: "pr-gateway", namespace: PR_GATEWAY.namespace },
                spec: {
                    serviceRef: { name: service.metadata.name, port: PR_GATEWAY.port },
                    targetGroupARN: args.targetGroupArn,
                    targetType: "ip",
                    networking: {
                        ingress: [
                            {
                                from: [{ securityGroup: { groupID: args.albSecurityGroupId } }],
                                ports: [
                                    { protocol: "TCP", port: PR_GATEWAY.port },
                                    { protocol: "TCP", port: PR_GATEWAY.readinessPort },
                                ],
                            },
                        ],
                    },
                },
            },
            afterController,
        );

        // A PR controls its own stack, so its namespace could try to take another PR's host: the API server refuses.
        const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            namer.name("pr-route-hosts"),
            {
                metadata: { name: "payments-pr-route-hosts" },
                spec: {
                    failurePolicy: "Fail",
                    matchConstraints: {
                        resourceRules: [
                            {
                                apiGroups: ["gateway.networking.k8s.io"],
                                apiVersions: ["*"],
                                resources: ["httproutes"],
                                operations: ["CREATE", "UPDATE"],
                            },
                        ],
                    },
                    validations: pullRequestRouteRules(args.domainName),
                },
            },
            afterController,
        );
        new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            namer.name("pr-route-hosts"),
            {
                metadata: { name: "payments-pr-route-hosts" },
                spec: {
                    policyName: policy.metadata.name,
                    validationActions: ["Deny"],
                    matchResources: { namespaceSelector: { matchExpressions: [{ key: PR_GATEWAY.namespaceLabel, operator: "Exists" }] } },
                },
            },
            k8sOpts,
        );

        this.registerOutputs({});
    }
}

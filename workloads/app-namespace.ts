import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_MANAGERS_GROUP, NAMESPACE_OWNER_ROLE, WORKLOAD_DEPLOYER_ROLE, WORKLOAD_DEPLOYERS_GROUP } from "../lib/cluster-rbac";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { PodIdentityRole } from "../lib/pod-identity";
import { PR_GATEWAY } from "../platform/outputs";
import { RAW_PAYLOAD_PREFIX } from "./ingest";
import { HTTP_PORT, METRICS_PORT, NAME_LABEL, ServiceName, serviceSelector } from "./services";

/** Where the EKS Pod Identity agent serves credentials on every node. */
const POD_IDENTITY_AGENT = "169.254.170.23/32";

export interface NamespaceQuota {
    cpu: string;
    memory: string;
    requestsCpu?: string;
    requestsMemory?: string;
    pods: number;
}

/** Pods that may send HTTP to the services: the PR gateway's proxies, for a PR namespace. */
export interface IngressPeer {
    namespace: string;
    podLabels: Record<string, string>;
}

export interface AppNamespaceArgs {
    env: Environment;
    /** The namespace: `payments` in an env cluster, `pr-<n>` for a PR (tenancy.ts namespaceFor). */
    name: string;
    /** The services this env runs; each gets a service account. */
    services: readonly ServiceName[];
    quota: NamespaceQuota;
    /** The ALBs register pod IPs and the metrics collector scrapes from inside the VPC. */
    vpcCidr: pulumi.Input<string>;
    /** A PR's number: labels the namespace so the PR gateway admits its routes. */
    pullRequest?: number;
    /** When set, HTTP comes only from these pods (a PR behind the gateway) instead of the VPC (ALB target groups). */
    httpFrom?: IngressPeer;
    /** The aws provider for IAM and Pod Identity; Kubernetes objects use `kubernetes`. */
    kubernetes: k8s.Provider;
    clusterName: pulumi.Input<string>;
    tableArn: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    dataKeyArn: pulumi.Input<string>;
    /** pr-<n>: the boundary every role it creates must carry. */
    permissionsBoundary?: string;
}

/** A tier-1 API permission set: its table, its payload prefix, the data key; nothing else. */
function apiPolicy(tableArn: string, bucketArn: string, dataKeyArn: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "RecordPayments",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                Resource: tableArn,
            },
            {
                Sid: "ArchiveRawPayloads",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:GetObject"],
                Resource: `${bucketArn}/${RAW_PAYLOAD_PREFIX}*`,
            },
            { Sid: "UseDataKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: dataKeyArn },
        ],
    };
}

/** Staff tooling reads payments and their payloads and changes nothing. */
function adminPolicy(tableArn: string, bucketArn: string, dataKeyArn: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadPayments",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable"],
                Resource: tableArn,
            },
            {
                Sid: "ListRawPayloads",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucketArn,
                Condition: { StringLike: { "s3:prefix": `${RAW_PAYLOAD_PREFIX}*` } },
            },
            { Sid: "ReadRawPayloads", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${RAW_PAYLOAD_PREFIX}*` },
            { Sid: "DecryptWithDataKey", Effect: "Allow", Action: "kms:Decrypt", Resource: dataKeyArn },
        ],
    };
}

const POLICIES: Partial<Record<ServiceName, (tableArn: string, bucketArn: string, dataKeyArn: string) => aws.iam.PolicyDocument>> = {
    "payments-api": apiPolicy,
    "admin-web": adminPolicy,
};

/**
 * The env's namespace in its cluster: Pod Security `restricted`, a quota and default limits,
 * default-deny network policies with the few allows the services need, and a service account
 * per service; those that call AWS get their own Pod Identity role.
 */
export class AppNamespace extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    /** Pod Identity role ARNs by service (services without AWS access have none). */
    readonly roleArns: Partial<Record<ServiceName, pulumi.Output<string>>> = {};

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:AppNamespace", name, {}, opts);
        const namer = new Namer(args.env);
        const k8sOpts = { parent: this, provider: args.kubernetes };

        this.namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name: args.name,
                    labels: {
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "payments.io/environment": args.env,
                        ...(args.pullRequest === undefined ? {} : { [PR_GATEWAY.namespaceLabel]: String(args.pullRequest) }),
                    },
                },
            },
            k8sOpts,
        );
        const ns = this.namespace.metadata.name;
        const inNamespace = (objectName: string) => ({ name: objectName, namespace: ns });

        // Quotas, limits and the CRDs the charts render are outside every EKS access policy: the
        // platform's workload-deployer role grants them, bound here for this namespace only.
        // The owner binding lets CI delete this namespace (and no other) on teardown.
        const bind = (role: string, groups: string[]) =>
            new k8s.rbac.v1.RoleBinding(
                `${name}-${role.split(":")[1]}`,
                {
                    metadata: inNamespace(role),
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
                    subjects: groups.map((group) => ({ kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" })),
                },
                k8sOpts,
            );
        const afterRbac = {
            ...k8sOpts,
            dependsOn: [
                bind(WORKLOAD_DEPLOYER_ROLE, [NAMESPACE_MANAGERS_GROUP, WORKLOAD_DEPLOYERS_GROUP]),
                bind(NAMESPACE_OWNER_ROLE, [NAMESPACE_MANAGERS_GROUP]),
            ],
        };

        new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            {
                metadata: inNamespace("payments-quota"),
                spec: {
                    hard: {
                        "requests.cpu": args.quota.requestsCpu ?? args.quota.cpu,
                        "requests.memory": args.quota.requestsMemory ?? args.quota.memory,
                        "limits.cpu": args.quota.cpu,
                        "limits.memory": args.quota.memory,
                        pods: String(args.quota.pods),
                        "services.loadbalancer": "0",
                        "services.nodeports": "0",
                    },
                },
            },
            afterRbac,
        );
        // With a quota on requests and limits, pods without them are rejected; these defaults fill them in.
        new k8s.core.v1.LimitRange(
            `${name}-limits`,
            {
                metadata: inNamespace("payments-defaults"),
                spec: {
                    limits: [
                        {
                            type: "Container",
                            defaultRequest: { cpu: "100m", memory: "128Mi" },
                            default: { cpu: "500m", memory: "512Mi" },
                            max: { cpu: "2", memory: "4Gi" },
                        },
                    ],
                },
            },
            afterRbac,
        );

        this.networkPolicies(name, ns, args, k8sOpts);

        for (const service of args.services) {
            new k8s.core.v1.ServiceAccount(
                `${name}-${service}`,
                { metadata: { ...inNamespace(service), labels: serviceSelector(service) }, automountServiceAccountToken: false },
                k8sOpts,
            );
            const policy = POLICIES[service];
            if (policy === undefined) {
                continue;
            }
            const role = new PodIdentityRole(
                service,
                {
                    namer,
                    clusterName: args.clusterName,
                    serviceAccounts: [{ namespace: args.name, serviceAccount: service }],
                    permissionsBoundary: args.permissionsBoundary,
                    policy: pulumi
                        .all([args.tableArn, args.bucketArn, args.dataKeyArn])
                        .apply(([table, bucket, key]) => policy(table, bucket, key)),
                },
                // The association names the namespace, which must exist first.
                { parent: this, dependsOn: [this.namespace] },
            );
            this.roleArns[service] = role.roleArn;
        }

        this.registerOutputs({ namespace: ns });
    }

    private networkPolicies(name: string, ns: pulumi.Output<string>, args: AppNamespaceArgs, opts: pulumi.CustomResourceOptions): void {
        const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: { name: suffix, namespace: ns }, spec }, opts);
        const services = { key: NAME_LABEL, operator: "In", values: [...args.services] };
        const tcp = (port: number) => ({ protocol: "TCP", port });

        policy("default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        policy("allow-dns", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        });
        // Target groups register pod IPs, so ALB traffic and the metrics collector arrive from VPC addresses;
        // behind the PR gateway, HTTP comes only from its proxies.
        policy("allow-from-vpc", {
            podSelector: { matchExpressions: [services] },
            policyTypes: ["Ingress"],
            ingress:
                args.httpFrom === undefined
                    ? [{ from: [{ ipBlock: { cidr: args.vpcCidr } }], ports: [tcp(HTTP_PORT), tcp(METRICS_PORT)] }]
                    : [
                          {
                              from: [
                                  {
                                      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.httpFrom.namespace } },
                                      podSelector: { matchLabels: args.httpFrom.podLabels },
                                  },
                              ],
                              ports: [tcp(HTTP_PORT)],
                          },
                          { from: [{ ipBlock: { cidr: args.vpcCidr } }], ports: [tcp(METRICS_PORT)] },
                      ],
        });
        const callers = args.services.filter((s) => s !== "payments-api");
        if (args.services.includes("payments-api") && callers.length > 0) {
            policy("allow-to-api", {
                podSelector: { matchLabels: serviceSelector("payments-api") },
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [{ podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: callers }] } }],
                        ports: [tcp(HTTP_PORT)],
                    },
                ],
            });
            policy("allow-api-calls", {
                podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: callers }] },
                policyTypes: ["Egress"],
                egress: [{ to: [{ podSelector: { matchLabels: serviceSelector("payments-api") } }], ports: [tcp(HTTP_PORT)] }],
            });
        }
        // AWS APIs (VPC endpoints, gateway endpoints, NAT) for the services with a Pod Identity role.
        const awsCallers = args.services.filter((s) => POLICIES[s] !== undefined);
        if (awsCallers.length > 0) {
            policy("allow-aws-apis", {
                podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: awsCallers }] },
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] },
                    { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [tcp(80)] },
                ],
            });
        }
    }
}

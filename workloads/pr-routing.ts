import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PullRequestEnvironment, pullRequestHostname } from "../lib/environments";
import { Namer } from "../lib/naming";
import { ALB_ORIGIN_HOST, API_PATH, PR_GATEWAY } from "../platform/outputs";
import { HTTP_PORT } from "./services";

export interface PullRequestRoutingArgs {
    env: PullRequestEnvironment;
    /** The PR's namespace, where the route lives beside the services it points at. */
    namespace: pulumi.Input<string>;
    domainName: pulumi.Input<string>;
    publicZoneId: pulumi.Input<string>;
    kubernetes: k8s.Provider;
}

/**
 * `pr-<n>.<test domain>` through the test platform's shared PR gateway: the ALB forwards every
 * `pr-*` host to the gateway with one platform rule, and this HTTPRoute sends the PR's host to its
 * own services (`/api` to payments-api, the rest to payments-web). No target group, listener rule
 * or priority per PR, so nothing two live PRs could contend for but their hostnames, which are
 * unique by PR number and enforced by the platform's admission policy.
 */
export class PullRequestRouting extends pulumi.ComponentResource {
    readonly hostname: pulumi.Output<string>;

    constructor(name: string, args: PullRequestRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:PullRequestRouting", name, {}, opts);
        const namer = new Namer(args.env);
        this.hostname = pulumi.output(args.domainName).apply((domain) => pullRequestHostname(args.env, domain));
        const backend = (service: string) => [{ kind: "Service", name: service, port: HTTP_PORT }];
        // API_PATH is the ALB's pattern (`/api/*`); Gateway API prefixes are whole path segments.
        const apiPrefix = API_PATH.replace(/\/\*$/, "");

        new k8s.apiextensions.CustomResource(
            namer.name("route"),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: "payments", namespace: args.namespace },
                spec: {
                    parentRefs: [
                        {
                            group: "gateway.networking.k8s.io",
                            kind: "Gateway",
                            name: PR_GATEWAY.name,
                            namespace: PR_GATEWAY.namespace,
                            sectionName: PR_GATEWAY.listener,
                        },
                    ],
                    hostnames: [this.hostname],
                    rules: [
                        { matches: [{ path: { type: "PathPrefix", value: apiPrefix } }], backendRefs: backend("payments-api") },
                        { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: backend("payments-web") },
                    ],
                },
            },
            { parent: this, provider: args.kubernetes },
        );

        new aws.route53.Record(
            namer.name("host"),
            {
                zoneId: args.publicZoneId,
                name: this.hostname,
                type: "CNAME",
                ttl: 60,
                records: [pulumi.interpolate`${ALB_ORIGIN_HOST}.${args.domainName}`],
            },
            { parent: this },
        );
        this.registerOutputs({ hostname: this.hostname });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PullRequestEnvironment, pullRequestHostname } from "../lib/environments";
import { Namer } from "../lib/naming";
import { ALB_ORIGIN_HOST, API_PATH, FIRST_WORKLOAD_RULE_PRIORITY } from "../platform/outputs";
import { HTTP_PORT, PUBLIC_SERVICES, ServiceName } from "./services";

/** The ALB's highest rule priority. */
const MAX_RULE_PRIORITY = 50_000;
const RULES_PER_PULL_REQUEST = 2;

/**
 * Listener rule priorities of a PR: unique per PR number within the range the platform leaves to
 * workloads, API path before the catch-all host rule.
 */
export function pullRequestRulePriorities(pullRequest: number): { api: number; web: number } {
    const slots = Math.floor((MAX_RULE_PRIORITY - FIRST_WORKLOAD_RULE_PRIORITY) / RULES_PER_PULL_REQUEST);
    const api = FIRST_WORKLOAD_RULE_PRIORITY + (pullRequest % slots) * RULES_PER_PULL_REQUEST;
    return { api, web: api + 1 };
}

export interface PullRequestRoutingArgs {
    /** `pr-<n>`. */
    env: PullRequestEnvironment;
    pullRequest: number;
    vpcId: pulumi.Input<string>;
    /** The test platform's public HTTPS listener (its certificate covers `*.<domain>`). */
    listenerArn: pulumi.Input<string>;
    domainName: pulumi.Input<string>;
    publicZoneId: pulumi.Input<string>;
}

/**
 * `pr-<n>.<test domain>` on the test platform's public ALB: the PR's own target groups (joined by
 * its pods through TargetGroupBinding), two host rules on the shared listener and a DNS name
 * pointing at the ALB's origin record. No load balancer, certificate or distribution of its own.
 */
export class PullRequestRouting extends pulumi.ComponentResource {
    readonly hostname: pulumi.Output<string>;
    readonly targetGroupArns: Partial<Record<ServiceName, pulumi.Output<string>>> = {};

    constructor(name: string, args: PullRequestRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:PullRequestRouting", name, {}, opts);
        const namer = new Namer(args.env);
        this.hostname = pulumi.output(args.domainName).apply((domain) => pullRequestHostname(args.env, domain));
        const priorities = pullRequestRulePriorities(args.pullRequest);

        for (const service of PUBLIC_SERVICES) {
            const groupName = namer.name(service, { kind: "targetGroup" });
            const group = new aws.lb.TargetGroup(
                groupName,
                {
                    name: groupName,
                    vpcId: args.vpcId,
                    targetType: "ip",
                    protocol: "HTTP",
                    port: HTTP_PORT,
                    deregistrationDelay: 30,
                    healthCheck: { path: "/healthz", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
                },
                { parent: this },
            );
            this.targetGroupArns[service] = group.arn;
        }

        const rule = (service: ServiceName, priority: number, conditions: aws.types.input.lb.ListenerRuleCondition[]) =>
            new aws.lb.ListenerRule(
                namer.name(service, { suffix: "rule" }),
                {
                    listenerArn: args.listenerArn,
                    priority,
                    conditions,
                    actions: [{ type: "forward", targetGroupArn: this.targetGroupArns[service] }],
                },
                { parent: this },
            );
        const host = { hostHeader: { values: [this.hostname] } };
        rule("payments-api", priorities.api, [host, { pathPattern: { values: [API_PATH] } }]);
        rule("payments-web", priorities.web, [host]);

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

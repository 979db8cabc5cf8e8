import { Estate, EstateResource } from "./estate";
import { judge } from "./flow";
import { checkNetwork, clusterPods, Endpoint, groupsEndpoint, INTERNET } from "./network";
import { Flow } from "../../plan-model/flows";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

function clusterOfStack(estate: Estate, stack: string): EstateResource | undefined {
    const env = stack.split("/")[1];
    const name = env.startsWith("pr-") ? "test-eks" : `${env}-eks`;
    return estate.ofType("eks:index:Cluster").find((c) => c.inputs.name === name);
}

/** Every forwarding listener rule: its load balancer reaches the target group's pods on the target port. */
function targetGroupFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const balancers = estate.ofType("aws:lb/loadBalancer:LoadBalancer");
    const listeners = estate.ofType("aws:lb/listener:Listener");
    for (const rule of estate.ofType("aws:lb/listenerRule:ListenerRule")) {
        const listener = listeners.find((l) => l.arn === rule.inputs.listenerArn);
        const lb = balancers.find((b) => b.arn === listener?.inputs.loadBalancerArn);
        for (const action of (rule.inputs.actions as { type: string; targetGroupArn?: string }[]) ?? []) {
            const tg = estate.ofType("aws:lb/targetGroup:TargetGroup").find((t) => t.arn === action.targetGroupArn);
            const cluster = clusterOfStack(estate, tg?.stack ?? rule.stack);
            if (!tg || !lb || !cluster || tg.inputs.targetType !== "ip") {
                continue;
            }
            const source = groupsEndpoint(estate, `ALB ${lb.inputs.name}`, (lb.inputs.securityGroups as string[]) ?? []);
            flows.push(
                judge(
                    {
                        kind: "network",
                        subject: `ALB ${lb.inputs.name}`,
                        action: `tcp/${tg.inputs.port}`,
                        target: `pods of target group ${tg.inputs.name}`,
                        expect: "allowed",
                        stack: tg.stack,
                    },
                    checkNetwork(estate, source, clusterPods(estate, cluster), Number(tg.inputs.port)),
                ),
            );
        }
    }
    for (const lb of balancers) {
        const source = groupsEndpoint(estate, `ALB ${lb.inputs.name}`, (lb.inputs.securityGroups as string[]) ?? []);
        flows.push(
            judge(
                {
                    kind: "network",
                    subject: "the internet",
                    action: "tcp/443",
                    target: `ALB ${lb.inputs.name}`,
                    expect: lb.inputs.internal ? "denied" : "allowed",
                    stack: lb.stack,
                },
                checkNetwork(estate, INTERNET, source, 443),
            ),
        );
    }
    return flows;
}

/**
 * Internal load balancers (the env's admin ALB, the hub's Argo CD ALB): staff on the VPN reach them
 * (the VPN router forwards their traffic from inside the mgmt VPC); pods of other environments do not.
 */
function internalIngressFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const routers = estate.ofType("aws:ec2/launchTemplate:LaunchTemplate").filter((t) => /vpn-router/.test(t.name));
    for (const lb of estate.ofType("aws:lb/loadBalancer:LoadBalancer").filter((b) => b.inputs.internal === true)) {
        const target = groupsEndpoint(estate, `ALB ${lb.inputs.name}`, (lb.inputs.securityGroups as string[]) ?? []);
        for (const router of routers) {
            const groups = ((router.inputs.networkInterfaces as any[]) ?? []).flatMap((n) => (n.securityGroups as string[]) ?? []);
            flows.push(
                judge(
                    {
                        kind: "network",
                        subject: `staff on the VPN (${router.name})`,
                        action: "tcp/443",
                        target: `ALB ${lb.inputs.name}`,
                        expect: "allowed",
                        stack: lb.stack,
                    },
                    checkNetwork(estate, groupsEndpoint(estate, `VPN router ${router.name}`, groups), target, 443),
                ),
            );
        }
        const own = clusterOfStack(estate, lb.stack);
        for (const cluster of estate.ofType("eks:index:Cluster").filter((c) => c !== own && c.inputs.name !== "mgmt-eks")) {
            flows.push(
                judge(
                    {
                        kind: "network",
                        subject: `pods in ${cluster.inputs.name}`,
                        action: "tcp/443",
                        target: `ALB ${lb.inputs.name}`,
                        expect: "denied",
                        stack: lb.stack,
                    },
                    checkNetwork(estate, clusterPods(estate, cluster), target, 443),
                ),
            );
        }
    }
    return flows;
}

/** Data stores admit the clients named for them, and neither the pods nor the internet. */
function dataStoreFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const shared = (r: EstateResource) => r.urn.includes("payments:platform:SharedData");
    const stores: { label: string; groups: string[]; port: number; stack: string; shared: boolean }[] = [
        ...estate.ofType("aws:rds/instance:Instance").map((db) => ({
            label: `PostgreSQL ${db.inputs.identifier}`,
            groups: (db.inputs.vpcSecurityGroupIds as string[]) ?? [],
            port: 5432,
            stack: db.stack,
            shared: shared(db),
        })),
        ...estate.ofType("aws:opensearch/domain:Domain").map((d) => ({
            label: `OpenSearch ${d.inputs.domainName}`,
            groups: ((d.inputs.vpcOptions as any)?.securityGroupIds as string[]) ?? [],
            port: 443,
            stack: d.stack,
            shared: shared(d),
        })),
    ];
    for (const store of stores.filter((s) => s.groups.length > 0)) {
        const target = groupsEndpoint(estate, store.label, store.groups);
        for (const fn of estate.ofType("aws:lambda/function:Function")) {
            const groups = ((fn.inputs.vpcConfig as any)?.securityGroupIds as string[]) ?? [];
            const env = ((fn.inputs.environment as any)?.variables ?? {}) as Record<string, string>;
            const wired = Object.values(env).some((v) => v.includes(store.label.split(" ")[1]));
            if (groups.length > 0 && wired) {
                flows.push(
                    judge(
                        {
                            kind: "network",
                            subject: `lambda ${fn.inputs.name}`,
                            action: `tcp/${store.port}`,
                            target: store.label,
                            expect: "allowed",
                            stack: fn.stack,
                        },
                        checkNetwork(estate, groupsEndpoint(estate, `lambda ${fn.inputs.name}`, groups), target, store.port),
                    ),
                );
            }
        }
        const cluster = clusterOfStack(estate, store.stack);
        // test's shared stores admit the VPC by design (per-PR workers' groups come later): no pod denial to prove there.
        if (cluster && !store.shared) {
            flows.push(
                judge(
                    {
                        kind: "network",
                        subject: `pods in ${cluster.inputs.name}`,
                        action: `tcp/${store.port}`,
                        target: store.label,
                        expect: "denied",
                        stack: store.stack,
                    },
                    checkNetwork(estate, clusterPods(estate, cluster), target, store.port),
                ),
            );
        }
        flows.push(
            judge(
                {
                    kind: "network",
                    subject: "the internet",
                    action: `tcp/${store.port}`,
                    target: store.label,
                    expect: "denied",
                    stack: store.stack,
                },
                checkNetwork(estate, INTERNET, target, store.port),
            ),
        );
    }
    return flows;
}

/** Cluster APIs: the mgmt VPC (Argo CD, runners) reaches every env API; env VPCs reach neither each other nor mgmt's. */
function crossVpcFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const clusters = estate.ofType("eks:index:Cluster");
    const mgmt = clusters.find((c) => c.inputs.name === "mgmt-eks");
    for (const target of clusters) {
        const api: Endpoint = { ...clusterPods(estate, target), label: `${target.inputs.name} API` };
        for (const source of clusters) {
            if (source === target) {
                continue;
            }
            const expect = source === mgmt ? "allowed" : "denied";
            flows.push(
                judge(
                    {
                        kind: "network",
                        subject: `pods in ${source.inputs.name}`,
                        action: "tcp/443",
                        target: api.label,
                        expect,
                        stack: target.stack,
                    },
                    checkNetwork(estate, clusterPods(estate, source), api, 443),
                ),
            );
            if (source !== mgmt && target !== mgmt) {
                flows.push(
                    judge(
                        {
                            kind: "network",
                            subject: `pods in ${source.inputs.name}`,
                            action: "tcp/8080",
                            target: `pods in ${target.inputs.name}`,
                            expect: "denied",
                            stack: target.stack,
                        },
                        checkNetwork(estate, clusterPods(estate, source), clusterPods(estate, target), 8080),
                    ),
                );
            }
        }
    }
    return flows;
}

export function networkFlows(estate: Estate): Flow[] {
    return [...targetGroupFlows(estate), ...internalIngressFlows(estate), ...dataStoreFlows(estate), ...crossVpcFlows(estate)];
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SYSTEM_PLACEMENT } from "../node-groups";
import { PodIdentityRole, arnContext } from "../../../lib/pod-identity";
import { CHARTS } from "../versions";
import { ClusterAddonArgs, pinnedRelease } from "./helm";

export const EXTERNAL_DNS_SERVICE_ACCOUNT = { namespace: "external-dns", serviceAccount: "external-dns" };

export interface ExternalDnsArgs extends ClusterAddonArgs {
    /** The env's private hosted zone: the only zone external-dns may read or change. */
    privateZoneId: pulumi.Input<string>;
}

export function externalDnsPolicy(clusterArn: string, zoneId: string): aws.iam.PolicyDocument {
    const zoneArn = `arn:${arnContext(clusterArn).partition}:route53:::hostedzone/${zoneId}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ManageRecordsInThePrivateZone",
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource"],
                Resource: zoneArn,
            },
            // Listing zones has no resource-level permission; the zone-id filter keeps writes to one zone.
            { Sid: "ListZones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
        ],
    };
}

/** Publishes internal Service/Ingress names into the env's private zone (never the public one). */
export class ExternalDns extends pulumi.ComponentResource {
    constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:ExternalDns", name, {}, opts);
        const role = new PodIdentityRole(
            "external-dns",
            {
                namer: args.namer,
                clusterName: args.clusterName,
                serviceAccounts: [EXTERNAL_DNS_SERVICE_ACCOUNT],
                policy: pulumi.all([args.clusterArn, args.privateZoneId]).apply(([arn, zoneId]) => externalDnsPolicy(arn, zoneId)),
            },
            { parent: this },
        );
        pinnedRelease(
            {
                namer: args.namer,
                release: "external-dns",
                chart: CHARTS.externalDns,
                namespace: EXTERNAL_DNS_SERVICE_ACCOUNT.namespace,
                createNamespace: true,
                values: {
                    provider: { name: "aws" },
                    env: [{ name: "AWS_DEFAULT_REGION", value: pulumi.output(args.clusterArn).apply((arn) => arnContext(arn).region) }],
                    serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT.serviceAccount },
                    sources: ["service", "ingress"],
                    policy: "upsert-only",
                    registry: "txt",
                    txtOwnerId: args.clusterName,
                    extraArgs: [pulumi.interpolate`--zone-id-filter=${args.privateZoneId}`, "--aws-zone-type=private"],
                    ...SYSTEM_PLACEMENT,
                },
            },
            { parent: this, provider: args.kubernetes, dependsOn: [role] },
        );
        this.registerOutputs({});
    }
}

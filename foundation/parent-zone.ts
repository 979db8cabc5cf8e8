import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, createLogsKey } from "../lib/aws";
import { logDnsQueries } from "../lib/dns-query-logs";

export interface ParentZoneArgs {
    /** The domain every environment's public zone is delegated from, e.g. payments.example.com. */
    domainName: string;
    /** The management account and region (us-east-1: Route 53 writes query logs only there). */
    context: AccountContext;
}

/** A year of query logs (PCI DSS 10.5.1), as for the organization trail. */
const QUERY_LOG_RETENTION_DAYS = 365;

/**
 * The parent domain's public zone, in the management account. Each platform stack writes its
 * environment's NS delegation here (docs/dns-delegation.md), so its id is a fact this stack
 * produces and exports, never a value typed into platform stack files. The registrar (or the
 * grandparent zone) delegates to `nameServers` once, by hand; a zone that already exists is adopted
 * with `pulumi import aws:route53/zone:Zone <name> <zone id>`.
 */
export class ParentZone extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    readonly nameServers: pulumi.Output<string[]>;

    constructor(name: string, args: ParentZoneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:ParentZone", name, {}, opts);
        const zone = new aws.route53.Zone(
            name,
            { name: args.domainName, comment: "Parent of every environment's public zone (platform stacks delegate here)" },
            // Deleting it would take every environment's public names, and its delegation, with it.
            { parent: this, protect: true, retainOnDelete: true },
        );
        const logsKey = createLogsKey(`${name}-query-logs-key`, `${args.domainName} DNS query logs`, args.context, {
            parent: this,
            protect: true,
        });
        logDnsQueries(
            `${name}-query-logs`,
            {
                zoneId: zone.zoneId,
                domainName: args.domainName,
                accountId: args.context.accountId,
                kmsKeyArn: logsKey.arn,
                retentionInDays: QUERY_LOG_RETENTION_DAYS,
            },
            { parent: this },
        );
        this.zoneId = zone.zoneId;
        this.nameServers = zone.nameServers;
        this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
    }
}

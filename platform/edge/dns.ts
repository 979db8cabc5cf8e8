import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logDnsQueries } from "../../lib/dns-query-logs";
import { Namer } from "../../lib/naming";

/** The env's DNS: its public domain, private zone and where the public zone is delegated. */
export interface DnsSettings {
    /** The env's public domain: CloudFront answers on it, services on `<host>.<domainName>`. */
    domainName: string;
    /** The private zone (associated with the VPC) for internal names; a subdomain of domainName. */
    privateZoneName: string;
}

export interface DnsZonesArgs {
    namer: Namer;
    dns: DnsSettings;
    vpcId: pulumi.Input<string>;
    /** Given where CloudFront serves the env: it only accepts certificates from us-east-1, whatever the stack's region. */
    usEast1Provider?: aws.Provider;
    /** The mgmt VPC, so staff on the VPN resolve the env's internal names through the mgmt resolver. */
    hub?: { vpcId: pulumi.Input<string>; provider: aws.Provider };
    /** The management account's provider, where the parent zone lives. */
    parentProvider: aws.Provider;
    /**
     * foundation/org's parentZoneId: the stack delegates its public zone there before ACM
     * validates, so the first apply completes (docs/dns-delegation.md).
     */
    parentZoneId: pulumi.Input<string>;
    /** Public zone query logging: Route 53 writes only to us-east-1 log groups (usEast1Provider, else the stack runs there). */
    queryLogging: { accountId: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string>; retentionInDays: number };
}

/**
 * The env's public zone (delegated from the parent domain's zone by an NS record this stack
 * writes there first, docs/dns-delegation.md),
 * its private zone (which external-dns writes service names into), and DNS-validated
 * certificates: one regional for the ALBs, and where CloudFront serves the env one in us-east-1.
 */
export class DnsZones extends pulumi.ComponentResource {
    readonly publicZone: aws.route53.Zone;
    readonly privateZone: aws.route53.Zone;
    /** Regional: the apex, `*.<domainName>` and `*.<privateZoneName>`; issued before listeners use it. */
    readonly albCertificateArn: pulumi.Output<string>;
    /** us-east-1: the apex CloudFront answers on; only with `usEast1Provider`. */
    readonly cloudfrontCertificateArn?: pulumi.Output<string>;

    constructor(name: string, args: DnsZonesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:DnsZones", name, {}, opts);
        const { namer, dns } = args;
        this.publicZone = new aws.route53.Zone(
            namer.name("public-zone"),
            { name: dns.domainName, comment: `${namer.env} public zone` },
            { parent: this },
        );
        // ACM finds validation records only once the parent delegates: every validation waits for this.
        const delegation = new aws.route53.Record(
            namer.name("public-zone-delegation"),
            { zoneId: args.parentZoneId, name: dns.domainName, type: "NS", ttl: 300, records: this.publicZone.nameServers },
            { parent: this, provider: args.parentProvider },
        );
        this.privateZone = new aws.route53.Zone(
            namer.name("private-zone"),
            { name: dns.privateZoneName, comment: `${namer.env} internal names`, vpcs: [{ vpcId: args.vpcId }] },
            // Further VPCs join through ZoneAssociation, which the inline list must not undo.
            { parent: this, ignoreChanges: ["vpcs"] },
        );
        if (args.hub) {
            const authorization = new aws.route53.VpcAssociationAuthorization(
                namer.name("private-zone-hub"),
                { zoneId: this.privateZone.zoneId, vpcId: args.hub.vpcId },
                { parent: this },
            );
            new aws.route53.ZoneAssociation(
                namer.name("private-zone-hub"),
                { zoneId: authorization.zoneId, vpcId: authorization.vpcId },
                { parent: this, provider: args.hub.provider },
            );
        }

        const albCertificate = new aws.acm.Certificate(
            namer.name("alb-cert"),
            {
                domainName: dns.domainName,
                subjectAlternativeNames: [`*.${dns.domainName}`, `*.${dns.privateZoneName}`],
                validationMethod: "DNS",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
            },
            { parent: this },
        );
        // ACM gives a name and its wildcard the same validation record, in every region of the account:
        // one record per distinct name validates both certificates.
        const validationRecord = (domainName: string) => {
            const option = albCertificate.domainValidationOptions.apply((options) => {
                const match = options.find((o) => o.domainName === domainName);
                if (!match) {
                    throw new Error(`ACM returned no validation option for ${domainName}`);
                }
                return match;
            });
            return new aws.route53.Record(
                namer.name("cert-validation", { suffix: domainName.replace(/^\*\./, "wildcard-") }),
                {
                    zoneId: this.publicZone.zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: true,
                },
                { parent: this },
            );
        };
        const apexRecord = validationRecord(dns.domainName);
        const privateRecord = validationRecord(`*.${dns.privateZoneName}`);
        this.albCertificateArn = new aws.acm.CertificateValidation(
            namer.name("alb-cert"),
            { certificateArn: albCertificate.arn, validationRecordFqdns: [apexRecord.fqdn, privateRecord.fqdn] },
            { parent: this, dependsOn: [delegation] },
        ).certificateArn;

        logDnsQueries(
            args.namer.name("dns-query-logs"),
            { zoneId: this.publicZone.zoneId, domainName: args.dns.domainName, ...args.queryLogging },
            { parent: this, ...(args.usEast1Provider ? { provider: args.usEast1Provider } : {}) },
        );

        if (args.usEast1Provider) {
            const usEast1 = { parent: this, provider: args.usEast1Provider };
            const cloudfrontCertificate = new aws.acm.Certificate(
                namer.name("cloudfront-cert"),
                { domainName: dns.domainName, validationMethod: "DNS", options: { certificateTransparencyLoggingPreference: "ENABLED" } },
                usEast1,
            );
            this.cloudfrontCertificateArn = new aws.acm.CertificateValidation(
                namer.name("cloudfront-cert"),
                { certificateArn: cloudfrontCertificate.arn, validationRecordFqdns: [apexRecord.fqdn] },
                { ...usEast1, dependsOn: [delegation] },
            ).certificateArn;
        }
        this.registerOutputs({ publicZoneId: this.publicZone.zoneId });
    }
}

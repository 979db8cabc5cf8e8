import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadEnvironment } from "../lib/environments";
import { Namer } from "../lib/naming";

/** Easy DKIM always publishes three selectors. */
const DKIM_TOKEN_COUNT = 3;
const TRACKED_EVENTS = ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE"];

/*
 * Names of an environment's receipt sender, computable without reading its stack: a pr-<n>
 * sends through the test environment's identity (its domain) and configuration set.
 */
export function receiptConfigurationSetName(env: WorkloadEnvironment): string {
    return new Namer(env).name("payments-receipts");
}

export function receiptFromAddress(domainName: string): string {
    return `receipts@${domainName}`;
}

/** `arn:<partition>:ses:<region>:<account>:<resource>` for an identity or configuration set. */
export function sesArn(where: { partition: string; region: string; account: string }, resource: string): string {
    return `arn:${where.partition}:ses:${where.region}:${where.account}:${resource}`;
}

export interface ReceiptEmailArgs {
    env: WorkloadEnvironment;
    /** The env's public domain; receipts come from `receipts@<domain>`. */
    domainName: pulumi.Input<string>;
    /** The public hosted zone of that domain, for the DKIM records. */
    zoneId: pulumi.Input<string>;
}

/**
 * Receipts through SES v2: the env's domain as identity with Easy DKIM (2048-bit, records in
 * Route 53), a configuration set that requires TLS, suppresses bounces and complaints and sends
 * every delivery event to CloudWatch, and a sending policy naming the only roles that may send.
 */
export class ReceiptEmail extends pulumi.ComponentResource {
    readonly identity: aws.sesv2.EmailIdentity;
    readonly configurationSet: aws.sesv2.ConfigurationSet;
    readonly fromAddress: pulumi.Output<string>;
    private readonly namer: Namer;

    constructor(name: string, args: ReceiptEmailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:ReceiptEmail", name, {}, opts);
        this.namer = new Namer(args.env);
        const configurationSetName = receiptConfigurationSetName(args.env);
        const child = { parent: this };

        this.configurationSet = new aws.sesv2.ConfigurationSet(
            configurationSetName,
            {
                configurationSetName,
                deliveryOptions: { tlsPolicy: "REQUIRE" },
                reputationOptions: { reputationMetricsEnabled: true },
                sendingOptions: { sendingEnabled: true },
                suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
            },
            child,
        );
        new aws.sesv2.ConfigurationSetEventDestination(
            configurationSetName,
            {
                configurationSetName: this.configurationSet.configurationSetName,
                eventDestinationName: "cloudwatch",
                eventDestination: {
                    enabled: true,
                    matchingEventTypes: TRACKED_EVENTS,
                    cloudWatchDestination: {
                        dimensionConfigurations: [
                            { dimensionName: "environment", dimensionValueSource: "MESSAGE_TAG", defaultDimensionValue: args.env },
                        ],
                    },
                },
            },
            child,
        );

        this.identity = new aws.sesv2.EmailIdentity(
            this.namer.name("payments-receipts", { suffix: "identity" }),
            {
                emailIdentity: args.domainName,
                configurationSetName: this.configurationSet.configurationSetName,
                dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
            },
            child,
        );
        for (let i = 0; i < DKIM_TOKEN_COUNT; i++) {
            const token = this.identity.dkimSigningAttributes.apply((dkim) => dkim?.tokens?.[i] ?? "");
            new aws.route53.Record(
                this.namer.name("payments-receipts", { suffix: `dkim-${i + 1}` }),
                {
                    zoneId: args.zoneId,
                    name: pulumi.interpolate`${token}._domainkey.${args.domainName}`,
                    type: "CNAME",
                    ttl: 1800,
                    records: [pulumi.interpolate`${token}.dkim.amazonses.com`],
                },
                child,
            );
        }
        this.fromAddress = pulumi.output(args.domainName).apply(receiptFromAddress);
        this.registerOutputs({ identityArn: this.identity.arn, configurationSet: this.configurationSet.configurationSetName });
    }

    /** The sending authorization policy: only these roles may send as the identity. */
    authorizeSenders(senderRoleArns: pulumi.Input<string>[]): aws.sesv2.EmailIdentityPolicy {
        return new aws.sesv2.EmailIdentityPolicy(
            this.namer.name("payments-receipts", { suffix: "senders" }),
            {
                emailIdentity: this.identity.emailIdentity,
                policyName: "payments-senders",
                policy: pulumi.all([this.identity.arn, pulumi.all(senderRoleArns)]).apply(([identityArn, principals]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "PaymentsServicesOnly",
                                Effect: "Allow",
                                Principal: { AWS: principals },
                                Action: ["ses:SendEmail", "ses:SendRawEmail"],
                                Resource: identityArn,
                            },
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            { parent: this },
        );
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { GUARDDUTY_FEATURES, INSPECTOR_RESOURCE_TYPES } from "../lib/threat-detection";
import { policyDocument } from "./policies/document";

export interface SecurityServicesArgs {
    securityAccountId: pulumi.Input<string>;
    /** Every other account, by name: Inspector is enabled in each (accounts created later get it from the organization). */
    memberAccountIds: Record<string, pulumi.Input<string>>;
    /** Registers the delegated administrators, which only the management account can do. */
    managementProvider: aws.Provider;
    /** The organization (with service access enabled) must exist before any delegation. */
    organizationReady: pulumi.Resource[];
}

/**
 * GuardDuty, Security Hub, Inspector, AWS Config and IAM Access Analyzer for the whole organization, run
 * from the security account as delegated administrator so security staff never need management access.
 */
export class SecurityServices extends pulumi.ComponentResource {
    constructor(name: string, args: SecurityServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:SecurityServices", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const inManagement = { parent: this, provider: args.managementProvider, dependsOn: args.organizationReady };
        const delegate = (service: string) =>
            new aws.organizations.DelegatedAdministrator(
                namer.name("delegated-admin", { suffix: service.split(".")[0] }),
                { accountId: args.securityAccountId, servicePrincipal: service },
                inManagement,
            );

        // GuardDuty: the admin account's detector first, then the delegation, then auto-enable for every member.
        const detector = new aws.guardduty.Detector(
            namer.name("guardduty"),
            { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
            child,
        );
        const guardDutyAdmin = new aws.guardduty.OrganizationAdminAccount(
            namer.name("guardduty-admin"),
            { adminAccountId: args.securityAccountId },
            { ...inManagement, dependsOn: [...args.organizationReady, detector] },
        );
        const guardDutyOrg = new aws.guardduty.OrganizationConfiguration(
            namer.name("guardduty-org"),
            { detectorId: detector.id, autoEnableOrganizationMembers: "ALL" },
            { ...child, dependsOn: [guardDutyAdmin] },
        );
        for (const feature of GUARDDUTY_FEATURES) {
            new aws.guardduty.OrganizationConfigurationFeature(
                namer.name("guardduty-feature", { suffix: feature.toLowerCase().replace(/_/g, "-") }),
                {
                    detectorId: detector.id,
                    name: feature,
                    autoEnable: "ALL",
                    // Runtime monitoring needs its agent: GuardDuty manages the EKS add-on.
                    ...(feature === "RUNTIME_MONITORING"
                        ? { additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", autoEnable: "ALL" }] }
                        : {}),
                },
                { ...child, dependsOn: [guardDutyOrg] },
            );
        }

        const securityHub = new aws.securityhub.Account(
            namer.name("securityhub"),
            { enableDefaultStandards: true, autoEnableControls: true },
            child,
        );
        const securityHubAdmin = new aws.securityhub.OrganizationAdminAccount(
            namer.name("securityhub-admin"),
            { adminAccountId: args.securityAccountId },
            { ...inManagement, dependsOn: [...args.organizationReady, securityHub] },
        );
        new aws.securityhub.OrganizationConfiguration(
            namer.name("securityhub-org"),
            { autoEnable: true, autoEnableStandards: "DEFAULT" },
            { ...child, dependsOn: [securityHubAdmin] },
        );

        // Inspector: the delegation (from the management account), then the admin account's own
        // scanning, which the organization configuration requires, then every existing member
        // (associated first) and auto-enable for accounts created later.
        const inspectorAdmin = new aws.inspector2.DelegatedAdminAccount(
            namer.name("inspector-admin"),
            { accountId: args.securityAccountId },
            inManagement,
        );
        const resourceTypes = [...INSPECTOR_RESOURCE_TYPES];
        const inspector = new aws.inspector2.Enabler(
            namer.name("inspector"),
            { accountIds: [args.securityAccountId], resourceTypes },
            { ...child, dependsOn: [inspectorAdmin] },
        );
        new aws.inspector2.OrganizationConfiguration(
            namer.name("inspector-org"),
            { autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: true } },
            { ...child, dependsOn: [inspector] },
        );
        const members = Object.entries(args.memberAccountIds).map(
            ([account, accountId]) =>
                new aws.inspector2.MemberAssociation(
                    namer.name("inspector-member", { suffix: account }),
                    { accountId },
                    { ...child, dependsOn: [inspector] },
                ),
        );
        new aws.inspector2.Enabler(
            namer.name("inspector-members"),
            { accountIds: Object.values(args.memberAccountIds), resourceTypes },
            { ...child, dependsOn: members },
        );

        const configAdmin = delegate("config.amazonaws.com");
        const aggregatorRole = new aws.iam.Role(
            namer.name("config-aggregator", { kind: "iamRole" }),
            {
                name: namer.name("config-aggregator", { kind: "iamRole" }),
                assumeRolePolicy: JSON.stringify(
                    policyDocument({ Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole" }),
                ),
            },
            child,
        );
        new aws.iam.RolePolicyAttachment(
            namer.name("config-aggregator"),
            { role: aggregatorRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations" },
            child,
        );
        new aws.cfg.ConfigurationAggregator(
            namer.name("config-aggregator"),
            { name: namer.name("config-aggregator"), organizationAggregationSource: { allRegions: true, roleArn: aggregatorRole.arn } },
            { ...child, dependsOn: [configAdmin] },
        );

        const analyzerAdmin = delegate("access-analyzer.amazonaws.com");
        new aws.accessanalyzer.Analyzer(
            namer.name("access-analyzer"),
            { analyzerName: namer.name("access-analyzer"), type: "ORGANIZATION" },
            { ...child, dependsOn: [analyzerAdmin] },
        );
        this.registerOutputs({});
    }
}

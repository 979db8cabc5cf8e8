import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_OF_ENVIRONMENT, AccountName, MEMBER_ACCOUNTS, MemberAccount, WORKLOAD_ENVIRONMENTS } from "../lib/environments";
import { Namer } from "../lib/naming";
import { accountProvider } from "../lib/provider";
import { ciRoleName, roleArn } from "../lib/ci-trust";
import { AccountRoles, RoleNames } from "./account-roles";
import { PrDeploymentRole } from "./pr-deployment-role";
import { AccountBudgets } from "./budgets";
import { AlertTopic, BUDGETS } from "../lib/alert-topic";
import { ConfigRecorder } from "./config-recorder";
import { FOUNDATION_ENVIRONMENT, loadFoundationConfig } from "./config";
import { Guardrails } from "./guardrails";
import { IdentityCenter, resolveAssignments } from "./identity-center";
import { LogArchive } from "./log-archive";
import { Organization, ORGANIZATION_ACCESS_ROLE } from "./organization";
import { ParentZone } from "./parent-zone";
import { OrganizationTrail, trailArn } from "./organization-trail";
import type { FoundationOutputs } from "./outputs";
import { CentralRegistry } from "./registry";
import { SecurityServices } from "./security-services";

type StackOutputs = { [K in keyof FoundationOutputs]: pulumi.Input<FoundationOutputs[K]> };

/** The workload accounts: their clusters pull from the central registry. */

function foundation(): StackOutputs {
    const config = loadFoundationConfig();
    const namer = new Namer(FOUNDATION_ENVIRONMENT);
    const roleNames: RoleNames = { deployment: config.deploymentRoleName, breakGlass: config.breakGlassRoleName };

    const management = accountProvider(namer.name("provider", { suffix: "management" }), {
        region: config.region,
        sessionName: "foundation",
        tags: config.tags,
        allowedAccountIds: [config.managementAccountId],
    });
    const inManagement = { provider: management };

    const organization = new Organization(
        namer.name("organization"),
        { accounts: config.accounts, protectedAccounts: ["prod"] },
        inManagement,
    );
    const roleArgs = { managementAccountId: config.managementAccountId, roleNames };
    const accountIds: Record<AccountName, pulumi.Input<string>> = { management: config.managementAccountId, ...organization.accountIds };

    new Guardrails(
        namer.name("guardrails"),
        {
            organizationId: organization.organizationId,
            parameters: {
                allowedRegions: config.allowedRegions,
                deploymentRoleName: roleNames.deployment,
                breakGlassRoleName: roleNames.breakGlass,
                organizationAccessRoleName: ORGANIZATION_ACCESS_ROLE,
                githubRepository: config.githubRepository,
            },
            targetIds: organization.policyTargetIds,
        },
        inManagement,
    );

    // Member accounts are reached through the role Organizations created in them: this stack
    // creates the deployment roles there, so it cannot deploy through them itself.
    const members = Object.fromEntries(
        MEMBER_ACCOUNTS.map((account) => [
            account,
            accountProvider(namer.name("provider", { suffix: account }), {
                region: config.region,
                roleArn: pulumi.interpolate`arn:aws:iam::${organization.accountIds[account]}:role/${ORGANIZATION_ACCESS_ROLE}`,
                sessionName: "foundation",
                tags: config.tags,
                allowedAccountIds: [organization.accountIds[account]],
            }),
        ]),
    ) as Record<MemberAccount, aws.Provider>;
    const managementRoles = new AccountRoles(
        namer.name("roles", { suffix: "management" }),
        { ...roleArgs, account: "management", breakGlass: false },
        inManagement,
    );
    const memberRoles = Object.fromEntries(
        MEMBER_ACCOUNTS.map((account) => [
            account,
            new AccountRoles(
                namer.name("roles", { suffix: account }),
                { ...roleArgs, account, breakGlass: true },
                { provider: members[account] },
            ),
        ]),
    ) as Record<MemberAccount, AccountRoles>;
    // Pull requests deploy into the test account only, through this role alone.
    const prRole = new PrDeploymentRole(
        namer.name("pr-deployment"),
        { accountId: organization.accountIds.test, prCiRoleArn: roleArn(config.managementAccountId, ciRoleName("pr")) },
        { provider: members.test },
    );

    new IdentityCenter(
        namer.name("identity-center"),
        {
            instanceArn: config.identityCenter.instanceArn,
            groups: config.identityCenter.groups,
            assignments: resolveAssignments(config.identityCenter.assignments),
            accountIds,
        },
        inManagement,
    );

    const trailName = namer.name("audit-trail");
    const logArchive = new LogArchive(
        namer.name("log-archive"),
        {
            ...config.logArchive,
            // Bucket names are global: the management account id keeps this one ours.
            bucketName: namer.name("audit-logs", { suffix: config.managementAccountId, kind: "s3Bucket" }),
            securityAccountId: organization.accountIds.security,
            managementAccountId: config.managementAccountId,
            organizationId: organization.organizationId,
            trailArn: trailArn(config.region, config.managementAccountId, trailName),
            configAccountIds: Object.values(accountIds),
        },
        { provider: members.security },
    );
    new OrganizationTrail(
        trailName,
        {
            trailName,
            bucketName: logArchive.bucketName,
            kmsKeyArn: logArchive.keyArn,
            managementAccountId: config.managementAccountId,
            region: config.region,
        },
        // The bucket policy must let CloudTrail in before the trail is created.
        { ...inManagement, dependsOn: [logArchive, ...organization.ready] },
    );
    // Every account records its configuration into the archive: the aggregator below reads them all.
    const accountProviders: Record<AccountName, aws.Provider> = { management, ...members };
    for (const account of Object.keys(accountProviders) as AccountName[]) {
        new ConfigRecorder(
            namer.name("config", { suffix: account }),
            { bucketName: logArchive.bucketName, kmsKeyArn: logArchive.keyArn, archive: logArchive },
            { provider: accountProviders[account] },
        );
    }
    new SecurityServices(
        namer.name("security-services"),
        {
            securityAccountId: organization.accountIds.security,
            memberAccountIds: Object.fromEntries(Object.entries(accountIds).filter(([account]) => account !== "security")),
            managementProvider: management,
            organizationReady: organization.ready,
        },
        { provider: members.security },
    );

    const registry = new CentralRegistry(
        namer.name("registry"),
        { ...config.registry, pullAccountIds: WORKLOAD_ENVIRONMENTS.map((env) => organization.accountIds[ACCOUNT_OF_ENVIRONMENT[env]]) },
        inManagement,
    );
    const budgetAlertsTopic = namer.name("budget-alerts");
    const budgetAlerts = new AlertTopic(
        budgetAlertsTopic,
        {
            topicName: budgetAlertsTopic,
            // The topic's own ARN, known before it exists (budgets live in the payer account, in the stacks' region).
            locatedBy: `arn:aws:sns:${config.region}:${config.managementAccountId}:${budgetAlertsTopic}`,
            publishers: [BUDGETS],
            subscription: config.budgetAlerts,
            protect: true,
        },
        inManagement,
    );
    new AccountBudgets(
        namer.name("budgets"),
        { budgets: config.budgets, accountIds, alertTopicArn: budgetAlerts.topic.arn },
        { ...inManagement, dependsOn: [budgetAlerts] },
    );

    const parentZone = new ParentZone(
        namer.name("parent-zone"),
        { domainName: config.parentDomain, context: { accountId: config.managementAccountId, region: config.region } },
        inManagement,
    );

    return {
        organizationId: organization.organizationId,
        rootId: organization.rootId,
        ouIds: pulumi.output(organization.ouIds),
        accountIds: pulumi.output(accountIds),
        deploymentRoleArns: pulumi.output({
            management: managementRoles.deploymentRoleArn,
            ...(Object.fromEntries(MEMBER_ACCOUNTS.map((account) => [account, memberRoles[account].deploymentRoleArn])) as Record<
                MemberAccount,
                pulumi.Output<string>
            >),
        }),
        previewRoleArns: pulumi.output({
            management: managementRoles.previewRoleArn,
            ...(Object.fromEntries(MEMBER_ACCOUNTS.map((account) => [account, memberRoles[account].previewRoleArn])) as Record<
                MemberAccount,
                pulumi.Output<string>
            >),
        }),
        pullRequestDeploymentRoleArn: prRole.roleArn,
        pullRequestBoundaryArn: prRole.boundaryArn,
        breakGlassRoleArns: pulumi.output(
            Object.fromEntries(MEMBER_ACCOUNTS.map((account) => [account, memberRoles[account].breakGlassRoleArn!])) as Record<
                MemberAccount,
                pulumi.Output<string>
            >,
        ),
        allowedRegions: config.allowedRegions,
        ecrRegistry: `${config.managementAccountId}.dkr.ecr.${config.region}.amazonaws.com`,
        ecrRepositoryUrls: registry.repositoryUrls,
        logArchiveBucket: logArchive.bucketName,
        identityCenterInstanceArn: config.identityCenter.instanceArn,
        parentZoneId: parentZone.zoneId,
        parentZoneNameServers: parentZone.nameServers,
    };
}

export = foundation;

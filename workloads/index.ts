import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PR_APP_PROJECT, PR_APPLICATIONS_NAMESPACE, prBoundaryArn, roleArn } from "../lib/ci-trust";
import { provisionerRoleName } from "../lib/provisioning";
import { isPullRequestEnvironment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { accountProvider } from "../lib/provider";
import { partitionOf } from "../lib/arn";
import { PR_GATEWAY, PR_GATEWAY_PROXY_LABELS, SharedDataServices } from "../platform/outputs";
import { AlertTopic, CLOUDWATCH_ALARMS } from "../lib/alert-topic";
import { AppNamespace } from "./app-namespace";
import { ArgoApplications, ServiceRelease } from "./argo-applications";
import { loadWorkloadsConfig } from "./config";
import { PostgresDatabase, postgresDefaultsFor } from "../lib/data/database";
import { DataProvisioning, DataProvisioningArgs } from "./data-provisioning";
import { Ingest } from "./ingest";
import { WorkloadsOutputs } from "./outputs";
import { PlatformReference } from "./platform-reference";
import { PullRequestRouting } from "./pr-routing";
import { ProcessingQueue } from "./processing-queue";
import { ReceiptEmail, receiptConfigurationSetName, receiptFromAddress, sesArn } from "./receipt-email";
import { SearchDomain, searchDefaultsFor, searchMasterRoleName } from "../lib/data/search-domain";
import { PUBLIC_SERVICES, SERVICES, ServiceName } from "./services";
import { sharedDataServices } from "../lib/data/shared-data";
import { databaseNameFor, indexPrefixFor, namespaceFor, workerDatabaseUserFor, workerRoleName } from "./tenancy";
import { transactionIndexName } from "./worker/contract";
import { WorkerFunction } from "./worker-function";
import { WorkerSecurityGroup } from "../lib/data/worker-security-group";

type StackExports<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const config = loadWorkloadsConfig();
const { env, platformEnv } = config;
const namer = new Namer(env);
const pullRequest = isPullRequestEnvironment(env);

const platform = new PlatformReference(config.stackOrg, platformEnv, `workloads/${env}`);

const provider = accountProvider(namer.name("aws"), {
    region: config.region,
    roleArn: config.deploymentRoleArn,
    sessionName: `workloads-${env}`,
    tags: config.tags,
    // The role's account must be the one the platform env runs in: the provider refuses any other.
    allowedAccountIds: [platform.require("accountId")],
});
const envKubernetes = new k8s.Provider(namer.name("kubernetes"), { kubeconfig: platform.require("kubeconfig") });
const hubKubernetes = new k8s.Provider(namer.name("kubernetes", { suffix: "argocd-hub" }), {
    kubeconfig: platform.require("argocdHubKubeconfig"),
});
/** Options of every AWS-side component: the account provider flows to all their children. */
const inAccount = { provider };
/** The PR deployment role may create roles only with this boundary. */
const permissionsBoundary = pullRequest ? prBoundaryArn(config.accountId) : undefined;

const ingest = new Ingest(
    namer.name("ingest"),
    {
        env,
        accountId: config.accountId,
        glacierAfterDays: config.rawPayload.glacierAfterDays,
        objectLockDays: config.rawPayload.objectLockDays,
        forceDestroy: pullRequest,
        protect: config.protect,
    },
    inAccount,
);

// What pages the on-call engineer: the DLQ depth alarm and the worker (configuration errors, conflicting payloads).
const alarms = new AlertTopic(
    namer.name("alarms"),
    {
        topicName: namer.name("payments-alarms"),
        locatedBy: ingest.table.arn,
        publishers: [CLOUDWATCH_ALARMS],
        subscription: config.alarms,
        protect: config.protect,
    },
    // Was workloads/alarm-topic.ts: the alias keeps the key and topic in place.
    { ...inAccount, aliases: [{ type: "payments:workloads:AlarmTopic" }] },
);

const queue = new ProcessingQueue(
    namer.name("processing"),
    {
        env,
        bucket: ingest.bucket,
        consumerTimeoutSeconds: config.worker.timeoutSeconds,
        consumerBatchingWindowSeconds: config.worker.batchingWindowSeconds,
        maxReceiveCount: config.queue.maxReceiveCount,
        dlqAlarmThreshold: config.queue.dlqAlarmThreshold,
        alarmTopicArn: alarms.topic.arn,
    },
    inAccount,
);

const vpcId = platform.require("vpcId");
/** A PR's worker joins the group the test platform shares among all PR workers; other envs own theirs. */
function workerSecurityGroupId(): pulumi.Output<string> {
    if (pullRequest) {
        return platform.requireSet("pullRequestWorkerSecurityGroupId", `update platform/${platformEnv} (pulumi up there)`);
    }
    return new WorkerSecurityGroup(namer.name("worker-network"), { env, vpcId, vpcCidr: platform.require("vpcCidr") }, inAccount)
        .securityGroup.id;
}
const workerSecurityGroup = workerSecurityGroupId();

/** test and every pr-<n> use the test platform's instances; preprod and prod own theirs. */
function dataServices(): pulumi.Output<SharedDataServices> {
    if (config.dataServices.mode === "shared") {
        return platform.requireSet("sharedData", "set platform:sharedData in its stack file and run pulumi up there");
    }
    const { postgres, search } = config.dataServices;
    const clients = [workerSecurityGroup];
    const database = new PostgresDatabase(
        namer.name("postgres"),
        {
            env,
            vpcId,
            subnetIds: platform.require("isolatedSubnetIds"),
            allowedSecurityGroupIds: clients,
            instanceClass: postgres.instanceClass,
            allocatedStorageGb: postgres.allocatedStorageGb,
            maxAllocatedStorageGb: postgres.maxAllocatedStorageGb,
            databaseName: databaseNameFor(env),
            readReplicaCount: postgres.readReplicaCount,
            ...postgresDefaultsFor(env),
        },
        inAccount,
    );
    const domain = new SearchDomain(
        namer.name("search"),
        {
            env,
            accountId: config.accountId,
            region: config.region,
            vpcId,
            subnetIds: platform.require("privateSubnetIds"),
            allowedSecurityGroupIds: clients,
            // Index roles are mapped by this environment's provisioning function (and the deployment role, break-glass).
            masterRoleTrustedPrincipalArns: [config.deploymentRoleArn, roleArn(config.accountId, provisionerRoleName(env))],
            instanceType: search.instanceType,
            instanceCount: search.instanceCount,
            volumeSizeGb: search.volumeSizeGb,
            dedicatedMasterType: search.dedicatedMasterType,
            // The account's only domain, so this stack owns the OpenSearch service-linked role.
            createServiceLinkedRole: true,
            ...searchDefaultsFor(env),
        },
        inAccount,
    );
    return sharedDataServices(database, domain);
}
const data = dataServices();

const domainName = platform.require("domainName");
// A pr-<n> sends receipts through the test environment's identity: SES is not per PR.
const email = pullRequest
    ? undefined
    : new ReceiptEmail(namer.name("receipts"), { env: platformEnv, domainName, zoneId: platform.require("publicZoneId") }, inAccount);
const sesLocation = { partition: partitionOf(config.region), region: config.region, account: config.accountId };
const sender = {
    fromAddress: email?.fromAddress ?? domainName.apply(receiptFromAddress),
    identityArn: email?.identity.arn ?? domainName.apply((domain) => sesArn(sesLocation, `identity/${domain}`)),
    configurationSetName: email?.configurationSet.configurationSetName ?? pulumi.output(receiptConfigurationSetName(platformEnv)),
    configurationSetArn:
        email?.configurationSet.arn ?? pulumi.output(sesArn(sesLocation, `configuration-set/${receiptConfigurationSetName(platformEnv)}`)),
};

const databaseName = databaseNameFor(env);
const indexPrefix = indexPrefixFor(env);
const iamRoleArn = (name: string) => `arn:${sesLocation.partition}:iam::${config.accountId}:role/${name}`;
// Both names are fixed by the naming helper, so the grants can be made before the roles exist.
const workerRoleArn = iamRoleArn(workerRoleName(env));
const logsKeyArn = platform.require("logsKeyArn");
/** A PR invokes the test platform's provisioner with its number; a full environment runs its own. */
function provisionerFor(): DataProvisioningArgs["provisioner"] {
    if (pullRequest) {
        const functionName = platform.requireSet("pullRequestProvisionerFunctionName", `update platform/${platformEnv} (pulumi up there)`);
        return { kind: "pull-request", functionName };
    }
    return {
        kind: "own",
        subnetIds: platform.require("privateSubnetIds"),
        securityGroupId: workerSecurityGroup,
        database: {
            host: data.postgresEndpoint,
            port: data.postgresPort,
            masterSecretArn: data.postgresSecretArn,
            database: databaseName,
            workerUser: workerDatabaseUserFor(env),
            dropOnDelete: false,
        },
        search: {
            endpoint: pulumi.interpolate`https://${data.opensearchEndpoint}`,
            masterRoleArn: iamRoleArn(searchMasterRoleName(platformEnv)),
            roleName: `${indexPrefix}-worker`,
            index: transactionIndexName(indexPrefix),
            backendRoles: [workerRoleArn],
            dropIndexOnDelete: false,
        },
        logRetentionDays: config.worker.logRetentionDays,
        logsKeyArn,
    };
}
const provisioning = new DataProvisioning(namer.name("data-provisioning"), { env, provisioner: provisionerFor() }, inAccount);
const worker = new WorkerFunction(
    namer.name("worker"),
    {
        env,
        subnetIds: platform.require("privateSubnetIds"),
        securityGroupId: workerSecurityGroup,
        ...config.worker,
        queueArn: queue.queue.arn,
        deadLetterQueue: { arn: queue.deadLetterQueue.arn, url: queue.deadLetterQueue.url },
        alarmTopic: { arn: alarms.topic.arn, keyArn: alarms.key.arn },
        tableName: ingest.table.name,
        tableArn: ingest.table.arn,
        bucketArn: ingest.bucket.arn,
        dataKeyArn: ingest.dataKey.arn,
        database: {
            host: data.postgresEndpoint,
            port: data.postgresPort,
            name: databaseName,
            user: workerDatabaseUserFor(env),
            instanceArn: data.postgresInstanceArn,
            resourceId: data.postgresResourceId,
        },
        search: { endpoint: data.opensearchEndpoint, domainArn: data.opensearchDomainArn, indexPrefix },
        email: sender,
        permissionsBoundary,
        provisioning: provisioning.invocations,
        logsKeyArn: pullRequest ? undefined : logsKeyArn,
    },
    inAccount,
);

// PR environments preview the public services only; admin-web needs the internal ALB and VPN.
const services: readonly ServiceName[] = pullRequest ? PUBLIC_SERVICES : SERVICES;
const clusterName = platform.require("clusterName");
const appNamespace = new AppNamespace(
    namer.name("namespace"),
    {
        env,
        name: namespaceFor(env),
        services,
        quota: config.namespace,
        vpcCidr: platform.require("vpcCidr"),
        pullRequest: config.pullRequest,
        httpFrom: pullRequest ? { namespace: PR_GATEWAY.namespace, podLabels: PR_GATEWAY_PROXY_LABELS } : undefined,
        kubernetes: envKubernetes,
        clusterName,
        tableArn: ingest.table.arn,
        bucketArn: ingest.bucket.arn,
        dataKeyArn: ingest.dataKey.arn,
        permissionsBoundary,
    },
    inAccount,
);
email?.authorizeSenders([worker.role.arn, appNamespace.roleArns["payments-api"]!]);

const routing = pullRequest
    ? new PullRequestRouting(
          namer.name("routing"),
          {
              env,
              namespace: appNamespace.namespace.metadata.name,
              domainName,
              publicZoneId: platform.require("publicZoneId"),
              kubernetes: envKubernetes,
          },
          { ...inAccount, dependsOn: [appNamespace] },
      )
    : undefined;
/** A full env's services join the platform's target groups; a PR's are reached through the gateway and join none. */
const targetGroupArn = (service: ServiceName): pulumi.Output<string> | undefined =>
    pullRequest ? undefined : platform.targetGroupArn(service);

const publicHostname = routing?.hostname ?? domainName;
const settings: Record<ServiceName, Record<string, pulumi.Input<string>>> = {
    "payments-api": {
        PAYMENTS_TABLE_NAME: ingest.table.name,
        RAW_PAYLOAD_BUCKET: ingest.bucket.bucket,
        PUBLIC_HOSTNAME: publicHostname,
    },
    "payments-web": {
        PUBLIC_HOSTNAME: publicHostname,
        API_BASE_PATH: "/api",
        STATIC_ASSETS_BUCKET: platform.require("staticAssetsBucket"),
    },
    // Only what its role may read (AppNamespace adminPolicy): no queue or search endpoint it could never reach.
    "admin-web": {
        PAYMENTS_TABLE_NAME: ingest.table.name,
        RAW_PAYLOAD_BUCKET: ingest.bucket.bucket,
    },
};
const releases: ServiceRelease[] = services.map((service) => ({
    service,
    targetGroupArn: targetGroupArn(service),
    roleArn: appNamespace.roleArns[service],
    settings: { ...settings[service], DATABASE_NAME: databaseName, OPENSEARCH_INDEX_PREFIX: indexPrefix },
}));

const applications = new ArgoApplications(
    namer.name("applications"),
    {
        env,
        platformEnv,
        namespace: appNamespace.namespace.metadata.name,
        argocdNamespace: pullRequest ? PR_APPLICATIONS_NAMESPACE : platform.require("argocdNamespace"),
        project: pullRequest ? PR_APP_PROJECT : platformEnv,
        hubKubernetes,
        envKubernetes,
        region: config.region,
        chartRegistry: config.chartRegistry,
        chartVersion: config.chartVersion,
        imageRegistry: config.imageRegistry,
        imageTag: config.imageTag,
        releases,
        canary: config.canary.enabled
            ? {
                  weights: config.canary.weights,
                  pauseMinutes: config.canary.pauseMinutes,
                  maxErrorRate: config.canary.maxErrorRate,
                  metricsQueryEndpoint: platform.require("metricsQueryEndpoint"),
              }
            : undefined,
    },
    { ...inAccount, dependsOn: [appNamespace] },
);

const outputs: StackExports<WorkloadsOutputs> = {
    environment: env,
    pullRequest: config.pullRequest ?? null,
    namespace: appNamespace.namespace.metadata.name,
    paymentsTableName: ingest.table.name,
    paymentsTableArn: ingest.table.arn,
    rawPayloadBucket: ingest.bucket.bucket,
    rawPayloadBucketArn: ingest.bucket.arn,
    processingQueueUrl: queue.queue.url,
    processingQueueArn: queue.queue.arn,
    deadLetterQueueUrl: queue.deadLetterQueue.url,
    deadLetterQueueArn: queue.deadLetterQueue.arn,
    workerFunctionName: worker.function.name,
    workerRoleArn: worker.role.arn,
    apiRoleArn: appNamespace.roleArns["payments-api"]!,
    adminRoleArn: appNamespace.roleArns["admin-web"] ?? "",
    postgresEndpoint: data.postgresEndpoint,
    databaseName,
    opensearchEndpoint: data.opensearchEndpoint,
    opensearchIndexPrefix: indexPrefix,
    sesIdentityArn: sender.identityArn,
    sesConfigurationSet: sender.configurationSetName,
    publicHostname,
    argocdApplications: applications.applicationNames as Record<string, string>,
};

export = outputs;

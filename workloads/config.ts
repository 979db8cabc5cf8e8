import * as pulumi from "@pulumi/pulumi";
import { ROLE_ARN_PATTERN } from "../lib/arn";
import { PR_DEPLOYMENT_ROLE_NAME } from "../lib/ci-trust";
import { AlertSubscription, readAlertSubscription } from "../lib/alert-topic";
import { COMMON_CONFIG_KEYS, ConfigReader, LOG_RETENTION_DAYS } from "../lib/config";
import {
    Environment,
    WORKLOAD_ENVIRONMENTS,
    WorkloadEnvironment,
    isPullRequestEnvironment,
    isWorkloadEnvironment,
    pullRequestNumber,
    PULL_REQUEST_PLATFORM,
} from "../lib/environments";
import { standardTags } from "../lib/tags";

/**
 * The keys every workloads stack file holds (`workloads/Pulumi.pr.yaml` included), so a stack
 * never silently runs on a default another stack does not share.
 */
export const WORKLOADS_CONFIG_KEYS = [
    "stackOrg",
    ...COMMON_CONFIG_KEYS,
    "deploymentRoleArn",
    "chartRegistry",
    "imageRegistry",
    "chartVersion",
    "imageTag",
    "worker",
    "queue",
    "rawPayload",
    "namespace",
    "canary",
    "dataServices",
    "alarms",
] as const;

export interface WorkerConfig {
    timeoutSeconds: number;
    memoryMb: number;
    reservedConcurrency: number;
    batchSize: number;
    batchingWindowSeconds: number;
    logRetentionDays: number;
}

export interface QueueConfig {
    /** Receives before a message moves to the DLQ. */
    maxReceiveCount: number;
    /** DLQ depth that raises the alarm. */
    dlqAlarmThreshold: number;
}

export interface RawPayloadConfig {
    glacierAfterDays: number;
    /** Days every raw payload stays immutable (object lock, compliance mode); prod only. */
    objectLockDays: number;
}

export interface NamespaceConfig {
    /** CPU and memory limits the namespace's pods may add up to. */
    cpu: string;
    memory: string;
    /** What they may request (reserve on nodes), when less than the limits: what the cluster must hold for every live PR. */
    requestsCpu?: string;
    requestsMemory?: string;
    pods: number;
}

export interface CanaryConfig {
    enabled: boolean;
    /** Traffic weights (percent) of the canary steps, increasing, below 100. */
    weights: number[];
    pauseMinutes: number;
    /** 5xx share above which the analysis fails and the rollout aborts. */
    maxErrorRate: number;
}

export interface PostgresSizing {
    instanceClass: string;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    readReplicaCount: number;
}

export interface SearchSizing {
    instanceType: string;
    instanceCount: number;
    volumeSizeGb: number;
    dedicatedMasterType?: string;
}

/** `shared` uses the test platform's PostgreSQL and OpenSearch (test and pr-<n>); otherwise the stack owns its own. */
export type DataServicesConfig = { mode: "shared" } | { mode: "dedicated"; postgres: PostgresSizing; search: SearchSizing };

export interface WorkloadsConfig {
    env: Environment;
    /** The platform stack this one runs on: its own env, or `test` for a pr-<n>. */
    platformEnv: WorkloadEnvironment;
    pullRequest?: number;
    stackOrg: string;
    region: string;
    owner: string;
    costCenter: string;
    tags: Record<string, string>;
    deploymentRoleArn: string;
    /** The account the stack deploys into: the deployment role's. */
    accountId: string;
    /** OCI registry path of the Helm charts in the central ECR, without scheme. */
    chartRegistry: string;
    imageRegistry: string;
    chartVersion: string;
    imageTag: string;
    worker: WorkerConfig;
    queue: QueueConfig;
    rawPayload: RawPayloadConfig;
    namespace: NamespaceConfig;
    canary: CanaryConfig;
    dataServices: DataServicesConfig;
    /** Who the DLQ alarm and the worker page (the environment's alarm topic's subscription). */
    alarms: AlertSubscription;
    /** Stateful resources are protected and retained on delete. */
    protect: boolean;
}

const REGISTRY = /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\/[a-z0-9._/-]+)?$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const KUBE_QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/;
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const SEARCH_INSTANCE_TYPE = /^[a-z0-9]+\.[a-z0-9]+\.search$/;
/** Lambda's maximum timeout; SQS caps the visibility timeout (6x this) at 12 hours. */
const MAX_LAMBDA_TIMEOUT = 900;

type Fields<T> = Partial<Record<keyof T, unknown>>;

/** Reads the fields of one structured key, recording every bad field against that key. */
class ObjectFields<T> {
    constructor(
        private readonly reader: ConfigReader,
        private readonly key: string,
        readonly raw: Fields<T>,
    ) {}

    integer(field: keyof T & string, min: number, max: number): number {
        const value = this.raw[field];
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.reader.problem(
                this.key,
                `${field} ${JSON.stringify(value)} is not an integer in ${min}..${max}`,
                `set workloads:${this.key}.${field} to an integer in ${min}..${max}`,
            );
            return min;
        }
        return value;
    }

    number(field: keyof T & string, min: number, max: number): number {
        const value = this.raw[field];
        if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
            this.reader.problem(
                this.key,
                `${field} ${JSON.stringify(value)} is not a number in ${min}..${max}`,
                `set workloads:${this.key}.${field} to a number in ${min}..${max}`,
            );
            return min;
        }
        return value;
    }

    text(field: keyof T & string, pattern: RegExp, example: string): string {
        const value = this.raw[field];
        if (typeof value !== "string" || !pattern.test(value)) {
            this.reader.problem(
                this.key,
                `${field} ${JSON.stringify(value)} is not valid`,
                `set workloads:${this.key}.${field}, e.g. ${example}`,
            );
            return "";
        }
        return value;
    }

    boolean(field: keyof T & string): boolean {
        const value = this.raw[field];
        if (typeof value !== "boolean") {
            this.reader.problem(
                this.key,
                `${field} ${JSON.stringify(value)} is not a boolean`,
                `set workloads:${this.key}.${field} to true or false`,
            );
            return false;
        }
        return value;
    }
}

function fields<T>(reader: ConfigReader, key: string): ObjectFields<T> {
    const raw = reader.object<unknown>(key);
    if (raw !== undefined && (raw === null || typeof raw !== "object" || Array.isArray(raw))) {
        reader.problem(key, "is not a mapping", `write workloads:${key} as a YAML mapping`);
    }
    return new ObjectFields<T>(reader, key, (raw !== null && typeof raw === "object" ? raw : {}) as Fields<T>);
}

function readWorker(reader: ConfigReader): WorkerConfig {
    const f = fields<WorkerConfig>(reader, "worker");
    const worker: WorkerConfig = {
        timeoutSeconds: f.integer("timeoutSeconds", 3, MAX_LAMBDA_TIMEOUT),
        memoryMb: f.integer("memoryMb", 128, 10240),
        reservedConcurrency: f.integer("reservedConcurrency", 2, 1000),
        batchSize: f.integer("batchSize", 1, 10000),
        batchingWindowSeconds: f.integer("batchingWindowSeconds", 0, 300),
        logRetentionDays: f.integer("logRetentionDays", 1, 3653),
    };
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(worker.logRetentionDays)) {
        reader.problem(
            "worker",
            `logRetentionDays ${worker.logRetentionDays} is not a retention CloudWatch Logs accepts`,
            `set workloads:worker.logRetentionDays to one of ${LOG_RETENTION_DAYS.join(", ")}`,
        );
    }
    if (worker.batchSize > 10 && worker.batchingWindowSeconds < 1) {
        reader.problem(
            "worker",
            `batchSize ${worker.batchSize} needs a batching window (SQS allows more than 10 messages per batch only with one)`,
            "set workloads:worker.batchingWindowSeconds to at least 1, or batchSize to 10 or less",
        );
    }
    return worker;
}

function readQueue(reader: ConfigReader): QueueConfig {
    const f = fields<QueueConfig>(reader, "queue");
    return { maxReceiveCount: f.integer("maxReceiveCount", 1, 1000), dlqAlarmThreshold: f.integer("dlqAlarmThreshold", 1, 1_000_000) };
}

function readRawPayload(reader: ConfigReader, env: Environment): RawPayloadConfig {
    const f = fields<RawPayloadConfig>(reader, "rawPayload");
    const config = { glacierAfterDays: f.integer("glacierAfterDays", 1, 3650), objectLockDays: f.integer("objectLockDays", 0, 3650) };
    if (env === "prod" && config.objectLockDays === 0) {
        reader.problem(
            "rawPayload",
            "objectLockDays is 0 in prod, so raw payloads could be altered or deleted",
            "set workloads:rawPayload.objectLockDays to the retention the auditors require, e.g. 2555",
        );
    }
    if (env !== "prod" && config.objectLockDays > 0) {
        reader.problem(
            "rawPayload",
            `objectLockDays is ${config.objectLockDays} outside prod, which would make the bucket undeletable`,
            "set workloads:rawPayload.objectLockDays to 0",
        );
    }
    return config;
}

function readNamespace(reader: ConfigReader): NamespaceConfig {
    const f = fields<NamespaceConfig>(reader, "namespace");
    return {
        cpu: f.text("cpu", KUBE_QUANTITY, "8"),
        memory: f.text("memory", KUBE_QUANTITY, "16Gi"),
        ...(f.raw.requestsCpu === undefined ? {} : { requestsCpu: f.text("requestsCpu", KUBE_QUANTITY, "500m") }),
        ...(f.raw.requestsMemory === undefined ? {} : { requestsMemory: f.text("requestsMemory", KUBE_QUANTITY, "1Gi") }),
        pods: f.integer("pods", 1, 1000),
    };
}

function readCanary(reader: ConfigReader, env: Environment): CanaryConfig {
    const f = fields<CanaryConfig>(reader, "canary");
    const enabled = f.boolean("enabled");
    if ((env === "preprod" || env === "prod") && !enabled) {
        reader.problem(
            "canary",
            `canary releases are off in ${env}`,
            "set workloads:canary.enabled to true: preprod and prod roll out through Argo Rollouts canaries",
        );
    }
    if (!enabled) {
        return { enabled, weights: [], pauseMinutes: 0, maxErrorRate: 0 };
    }
    const raw = f.raw;
    const weights = Array.isArray(raw.weights) ? (raw.weights as unknown[]) : [];
    const valid =
        weights.length > 0 &&
        weights.every(
            (w, i) => typeof w === "number" && Number.isInteger(w) && w > 0 && w < 100 && (i === 0 || w > (weights[i - 1] as number)),
        );
    if (!valid) {
        reader.problem(
            "canary",
            `weights ${JSON.stringify(raw.weights)} is not an increasing list of percentages below 100`,
            "set workloads:canary.weights, e.g. [10, 25, 50]",
        );
    }
    return {
        enabled,
        weights: valid ? (weights as number[]) : [],
        pauseMinutes: f.integer("pauseMinutes", 1, 120),
        maxErrorRate: f.number("maxErrorRate", 0, 0.5),
    };
}

function readDataServices(reader: ConfigReader, env: Environment): DataServicesConfig {
    // A plain string in the stack file is not JSON, so "shared" is recognised before parsing.
    const raw = reader.optionalString("dataServices") === "shared" ? "shared" : reader.object<unknown>("dataServices");
    const sharedAllowed = env === "test" || isPullRequestEnvironment(env);
    if (raw === "shared") {
        if (!sharedAllowed) {
            reader.problem(
                "dataServices",
                `"shared" is for test and pr-<n> only: ${env} must not share the test environment's data`,
                "set workloads:dataServices to a mapping with postgres and search sizing",
            );
        }
        return { mode: "shared" };
    }
    if (sharedAllowed) {
        reader.problem(
            "dataServices",
            `${env} uses the test platform's PostgreSQL and OpenSearch and must not create its own`,
            "set workloads:dataServices to shared",
        );
        return { mode: "shared" };
    }
    const data = (raw !== null && typeof raw === "object" ? raw : {}) as { postgres?: unknown; search?: unknown };
    const postgres = new ObjectFields<PostgresSizing>(reader, "dataServices", (data.postgres ?? {}) as Fields<PostgresSizing>);
    const search = new ObjectFields<SearchSizing>(reader, "dataServices", (data.search ?? {}) as Fields<SearchSizing>);
    const postgresSizing: PostgresSizing = {
        instanceClass: postgres.text("instanceClass", DB_INSTANCE_CLASS, "db.r6g.large"),
        allocatedStorageGb: postgres.integer("allocatedStorageGb", 20, 65536),
        maxAllocatedStorageGb: postgres.integer("maxAllocatedStorageGb", 20, 65536),
        readReplicaCount: postgres.integer("readReplicaCount", 0, 5),
    };
    if (postgresSizing.maxAllocatedStorageGb < postgresSizing.allocatedStorageGb) {
        reader.problem(
            "dataServices",
            "postgres.maxAllocatedStorageGb is below postgres.allocatedStorageGb",
            "raise workloads:dataServices.postgres.maxAllocatedStorageGb",
        );
    }
    if (env === "prod" && postgresSizing.readReplicaCount < 1) {
        reader.problem(
            "dataServices",
            "prod has no PostgreSQL read replica",
            "set workloads:dataServices.postgres.readReplicaCount to at least 1",
        );
    }
    const searchSizing: SearchSizing = {
        instanceType: search.text("instanceType", SEARCH_INSTANCE_TYPE, "r6g.large.search"),
        instanceCount: search.integer("instanceCount", 1, 80),
        volumeSizeGb: search.integer("volumeSizeGb", 10, 16384),
        dedicatedMasterType:
            search.raw.dedicatedMasterType === undefined
                ? undefined
                : search.text("dedicatedMasterType", SEARCH_INSTANCE_TYPE, "m6g.large.search"),
    };
    if (env === "prod") {
        if (searchSizing.instanceCount % 3 !== 0) {
            reader.problem(
                "dataServices",
                `search.instanceCount ${searchSizing.instanceCount} cannot spread evenly over 3 AZs`,
                "set workloads:dataServices.search.instanceCount to a multiple of 3",
            );
        }
        if (searchSizing.dedicatedMasterType === undefined) {
            reader.problem(
                "dataServices",
                "prod OpenSearch has no dedicated master nodes",
                "set workloads:dataServices.search.dedicatedMasterType, e.g. m6g.large.search",
            );
        }
    }
    return { mode: "dedicated", postgres: postgresSizing, search: searchSizing };
}

/** Parses and validates the whole stack configuration; throws one InvalidConfigError listing every problem. */
export function loadWorkloadsConfig(stack: string = pulumi.getStack()): WorkloadsConfig {
    const reader = new ConfigReader("workloads");
    const pullRequest = pullRequestNumber(stack);
    const isWorkloadEnv = isWorkloadEnvironment(stack);
    if (pullRequest === undefined && !isWorkloadEnv) {
        reader.problem(
            "stack",
            `"${stack}" is not a workloads stack`,
            `select one of ${WORKLOAD_ENVIRONMENTS.join(", ")} or pr-<n> (e.g. pr-42)`,
        );
    }
    const env = (isWorkloadEnv || pullRequest !== undefined ? stack : "test") as Environment;
    const owner = reader.string("owner");
    const costCenter = reader.string("costCenter");
    const worker = readWorker(reader);
    const deploymentRoleArn = reader.roleArn(
        "deploymentRoleArn",
        "arn:aws:iam::<account>:role/<deployment role from foundation/org deploymentRoleArns>",
    );
    if (
        pullRequest !== undefined &&
        ROLE_ARN_PATTERN.test(deploymentRoleArn) &&
        !deploymentRoleArn.endsWith(`:role/${PR_DEPLOYMENT_ROLE_NAME}`)
    ) {
        reader.problem(
            "deploymentRoleArn",
            `${deploymentRoleArn} is not the PR deployment role: a pull request's code must not run as an account administrator`,
            `set workloads:deploymentRoleArn to foundation/org's pullRequestDeploymentRoleArn (role/${PR_DEPLOYMENT_ROLE_NAME})`,
        );
    }
    const config: WorkloadsConfig = {
        env,
        platformEnv: pullRequest !== undefined ? PULL_REQUEST_PLATFORM : (env as WorkloadEnvironment),
        pullRequest,
        stackOrg: reader.stackOrg(),
        region: reader.region(),
        owner,
        costCenter,
        tags: standardTags({ environment: env, layer: "workloads", owner, costCenter, pullRequest }),
        deploymentRoleArn,
        accountId: deploymentRoleArn.split(":")[4] ?? "",
        chartRegistry: reader.string("chartRegistry", { pattern: REGISTRY, hint: "<account>.dkr.ecr.us-east-1.amazonaws.com/charts" }),
        imageRegistry: reader.string("imageRegistry", { pattern: REGISTRY, hint: "<account>.dkr.ecr.us-east-1.amazonaws.com" }),
        chartVersion: reader.string("chartVersion", { pattern: SEMVER, hint: "1.4.2 (a published chart version)" }),
        imageTag: reader.string("imageTag", { pattern: IMAGE_TAG, hint: "an immutable tag such as 1.4.2 or the commit SHA" }),
        worker,
        queue: readQueue(reader),
        rawPayload: readRawPayload(reader, env),
        namespace: readNamespace(reader),
        canary: readCanary(reader, env),
        dataServices: readDataServices(reader, env),
        alarms: readAlertSubscription(reader, "alarms"),
        protect: env === "prod",
    };
    if (config.imageTag === "latest") {
        reader.problem(
            "imageTag",
            `"latest" is mutable, so Argo CD could not tell which build runs`,
            "set workloads:imageTag to an immutable tag (release version or commit SHA)",
        );
    }
    reader.done();
    return config;
}

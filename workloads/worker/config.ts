import { WORKER_ENVIRONMENT_VARIABLES, WorkerEnvironmentVariable } from "./contract";

export interface WorkerConfig {
    region: string;
    tableName: string;
    database: { host: string; port: number; name: string; user: string };
    openSearch: { endpoint: string; indexPrefix: string };
    email: { fromAddress: string; configurationSet: string };
    deadLetterQueueUrl: string;
    alarmTopicArn: string;
}

/** The function is misconfigured: no message can succeed until the deployment is fixed. */
export class WorkerConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Worker configuration is invalid: ${problems.join("; ")}`);
        this.name = "WorkerConfigError";
    }
}

/** Reads and checks every variable at once, so one deployment fixes every mistake. */
export function readWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
    const problems: string[] = [];
    const values = {} as Record<WorkerEnvironmentVariable, string>;
    for (const name of WORKER_ENVIRONMENT_VARIABLES) {
        const value = env[name]?.trim() ?? "";
        if (value === "") {
            problems.push(`${name} is not set`);
        }
        values[name] = value;
    }
    const region = env.AWS_REGION?.trim() ?? "";
    if (region === "") {
        problems.push("AWS_REGION is not set");
    }
    const port = Number(values.DB_PORT);
    if (values.DB_PORT !== "" && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        problems.push(`DB_PORT "${values.DB_PORT}" is not a TCP port`);
    }
    if (values.OPENSEARCH_ENDPOINT !== "" && !/^https:\/\//.test(values.OPENSEARCH_ENDPOINT)) {
        problems.push(`OPENSEARCH_ENDPOINT "${values.OPENSEARCH_ENDPOINT}" must be an https:// URL (the domain enforces HTTPS)`);
    }
    if (values.OPENSEARCH_INDEX_PREFIX !== "" && !/^[a-z0-9][a-z0-9_-]*$/.test(values.OPENSEARCH_INDEX_PREFIX)) {
        problems.push(`OPENSEARCH_INDEX_PREFIX "${values.OPENSEARCH_INDEX_PREFIX}" must be lower-case letters, digits, "-" or "_"`);
    }
    if (problems.length > 0) {
        throw new WorkerConfigError(problems);
    }
    return {
        region,
        tableName: values.TABLE_NAME,
        database: { host: values.DB_HOST, port, name: values.DB_NAME, user: values.DB_USER },
        openSearch: { endpoint: values.OPENSEARCH_ENDPOINT, indexPrefix: values.OPENSEARCH_INDEX_PREFIX },
        email: { fromAddress: values.SES_FROM_ADDRESS, configurationSet: values.SES_CONFIGURATION_SET },
        deadLetterQueueUrl: values.DEAD_LETTER_QUEUE_URL,
        alarmTopicArn: values.ALARM_TOPIC_ARN,
    };
}

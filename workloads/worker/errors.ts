/**
 * The worker's failure taxonomy. Every error a message meets is classified once, in `classify`,
 * and the class alone decides its fate:
 *  - transient: may succeed later (throttling, 5xx, dropped connections, a busy lease); the message
 *    is reported failed and SQS redelivers it after the visibility timeout;
 *  - poison: can never succeed as it is (a payload breaking the contract, a conflicting second
 *    payload, an address SES refuses); the message goes to the DLQ at once with its reason as
 *    message attributes and is not retried;
 *  - configuration: no message can succeed until the deployment is fixed (missing database, role,
 *    grant, table, permission); the alarm topic pages a person and the message is retried, so
 *    nothing is lost while they fix it.
 */
export type FailureClass = "transient" | "poison" | "configuration";

export abstract class WorkerError extends Error {
    abstract readonly failureClass: FailureClass;
    /** A short, stable, machine-readable reason (a message attribute and a log field). */
    readonly reason: string;

    constructor(reason: string, message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.reason = reason;
    }
}

export class TransientError extends WorkerError {
    readonly failureClass = "transient";
    override readonly name = "TransientError";
}

export class PoisonMessageError extends WorkerError {
    readonly failureClass = "poison";
    override readonly name = "PoisonMessageError";
    /** Also page a person: the poison says something is wrong upstream, not only with one message. */
    readonly alert: boolean;

    constructor(reason: string, message: string, options?: { cause?: unknown; alert?: boolean }) {
        super(reason, message, options);
        this.alert = options?.alert ?? false;
    }
}

export class ConfigurationError extends WorkerError {
    readonly failureClass = "configuration";
    override readonly name = "ConfigurationError";
}

/** Another delivery holds the payment's lease; this one is retried after the visibility timeout. */
export class PaymentBusyError extends TransientError {
    constructor(paymentId: string) {
        super("lease-held", `payment ${paymentId} is leased by another delivery; retrying later`);
    }
}

export function describeError(error: unknown): { errorName: string; errorMessage: string } {
    if (error instanceof Error) {
        return { errorName: error.name, errorMessage: error.message };
    }
    return { errorName: "NonError", errorMessage: String(error) };
}

/** Which store or service raised an error: the same HTTP status means different things per service. */
export type Service = "postgres" | "dynamodb" | "s3" | "ses" | "opensearch" | "sqs" | "sns";

interface ErrorShape {
    name?: unknown;
    code?: unknown;
    statusCode?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $fault?: unknown;
    meta?: { statusCode?: unknown; body?: { error?: { type?: unknown } } };
}

const NETWORK_CODES = new Set([
    "ECONNRESET",
    "ECONNREFUSED",
    "ETIMEDOUT",
    "EPIPE",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EAI_AGAIN",
    "ENOTFOUND",
]);
const AWS_THROTTLING = new Set([
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "LimitExceededException",
]);
const AWS_CONFIGURATION = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "ResourceNotFoundException",
    "NoSuchBucket",
    "KMSAccessDeniedException",
    "KMSDisabledException",
    "KMS.DisabledException",
    "AuthorizationErrorException",
    "NotFoundException",
    "NonExistentQueue",
    "AWS.SimpleQueueService.NonExistentQueue",
    // SES: the account or identity cannot send, whatever the message.
    "AccountSuspendedException",
    "SendingPausedException",
    "MailFromDomainNotVerifiedException",
]);
/** SES refused this one message (e.g. `Illegal address`): sending it again gets the same answer. */
const SES_POISON = new Set(["MessageRejected", "BadRequestException"]);
const S3_POISON = new Set(["NoSuchKey", "NoSuchVersion", "InvalidObjectState"]);

/**
 * PostgreSQL SQLSTATE classes (Appendix A of the PostgreSQL manual): the data or the statement's
 * values are wrong (poison), the deployment is wrong (configuration), or the server is momentarily
 * unable (transient).
 */
function classifySqlState(state: string): FailureClass {
    const cls = state.slice(0, 2);
    if (cls === "22" || cls === "23") return "poison"; // data exception (22021 bad encoding/NUL), integrity violation
    if (cls === "28" || cls === "3D" || cls === "3F" || state === "42501" || state === "42P01" || state === "42703" || state === "42883") {
        return "configuration"; // bad credentials, missing database/schema, missing privilege, table, column, function
    }
    if (cls === "42") return "configuration"; // any other syntax/access rule error: the worker and schema disagree
    return "transient"; // 08 connection, 40 rollback, 53 resources, 57 operator intervention, 55P03 lock
}

function classifyAws(service: Service, error: ErrorShape, name: string): FailureClass {
    const status = Number(error.$metadata?.httpStatusCode ?? 0);
    if (AWS_THROTTLING.has(name) || status === 429 || status >= 500 || error.$fault === "server") return "transient";
    if (service === "ses" && SES_POISON.has(name)) return "poison";
    if (service === "s3" && S3_POISON.has(name)) return "poison";
    if (AWS_CONFIGURATION.has(name) || status === 401 || status === 403) return "configuration";
    // Any other 4xx from SES refused this message (address, content): the same request fails again.
    if (service === "ses" && status >= 400 && status < 500) return "poison";
    if (name === "ExpiredToken" || name === "ExpiredTokenException" || name === "RequestTimeout" || name === "RequestTimeoutException")
        return "transient";
    if (service === "dynamodb" && name === "ValidationException") return "configuration"; // key schema or table disagree with the worker
    return status >= 400 && status < 500 ? "configuration" : "transient";
}

function classifyOpenSearch(status: number): FailureClass {
    if (status === 429 || status >= 500 || status === 409 || status === 0) return "transient";
    if (status === 401 || status === 403 || status === 404) return "configuration"; // role mapping or index permissions missing
    return "poison"; // 400: the document itself is refused (mapping conflict)
}

/**
 * Maps any error to the taxonomy. Unknown errors are transient: retrying costs little, and the
 * redrive policy still dead-letters a message that never succeeds.
 */
export function classify(error: unknown, service: Service): WorkerError {
    if (error instanceof WorkerError) return error;
    const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
    const name = typeof shape.name === "string" ? shape.name : "Error";
    const { errorMessage } = describeError(error);
    const message = `${service}: ${name}: ${errorMessage}`;
    const make = (cls: FailureClass, reason: string): WorkerError =>
        cls === "poison"
            ? new PoisonMessageError(reason, message, { cause: error })
            : cls === "configuration"
              ? new ConfigurationError(reason, message, { cause: error })
              : new TransientError(reason, message, { cause: error });

    if (typeof shape.code === "string" && NETWORK_CODES.has(shape.code)) return make("transient", `${service}-${shape.code}`);
    if (service === "postgres") {
        if (typeof shape.code === "string" && /^[0-9A-Z]{5}$/.test(shape.code))
            return make(classifySqlState(shape.code), `sqlstate-${shape.code}`);
        return make("transient", "postgres-connection"); // "Connection terminated", timeouts: no SQLSTATE
    }
    if (service === "opensearch") {
        const status = Number(shape.meta?.statusCode ?? shape.statusCode ?? 0);
        const type = typeof shape.meta?.body?.error?.type === "string" ? shape.meta.body.error.type : `status-${status}`;
        return make(classifyOpenSearch(status), `opensearch-${type}`);
    }
    return make(classifyAws(service, shape, name), `${service}-${name}`);
}

/** Runs one call against `service`, classifying whatever it throws. */
export async function against<T>(service: Service, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        throw classify(error, service);
    }
}

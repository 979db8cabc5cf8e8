import { PoisonMessageError } from "./errors";
import { PAYLOAD_OBJECT_SUFFIX } from "./contract";

/** One archived payload an S3 notification points at. */
export interface PayloadObject {
    bucket: string;
    key: string;
    /** Set on versioned buckets: the worker reads exactly the version that raised the event. */
    versionId?: string;
    /** The object's size as the event reports it, checked against the limit before any read. */
    size?: number;
    paymentId: string;
}

/** What one SQS message body asks the worker to do. */
export type NotificationBody =
    /** S3 sends this once when the notification is configured; there is nothing to process. */
    { kind: "test-event" } | { kind: "objects"; objects: PayloadObject[]; ignoredEvents: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
    return typeof value === "string" && UUID.test(value);
}

/** S3 URL-encodes keys in notifications, with spaces as "+". */
export function decodeS3Key(key: string): string {
    try {
        return decodeURIComponent(key.replace(/\+/g, " "));
    } catch {
        throw new PoisonMessageError("bad-object-key", `object key "${key}" is not URL-encoded`);
    }
}

/** `.../<paymentId>.json` -> paymentId (lower-cased, as the API writes it). */
export function paymentIdFromKey(key: string): string {
    const fileName = key.slice(key.lastIndexOf("/") + 1);
    const id = fileName.endsWith(PAYLOAD_OBJECT_SUFFIX) ? fileName.slice(0, -PAYLOAD_OBJECT_SUFFIX.length) : "";
    if (!isUuid(id)) {
        throw new PoisonMessageError("bad-object-key", `object key "${key}" does not end in "<payment UUID>${PAYLOAD_OBJECT_SUFFIX}"`);
    }
    return id.toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses an S3 event notification delivered through SQS; anything else is a poison message. */
export function parseNotification(body: string): NotificationBody {
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch {
        throw new PoisonMessageError("bad-notification", "message body is not JSON");
    }
    if (!isRecord(parsed)) {
        throw new PoisonMessageError("bad-notification", "message body is not a JSON object");
    }
    if (parsed.Event === "s3:TestEvent") {
        return { kind: "test-event" };
    }
    if (!Array.isArray(parsed.Records) || parsed.Records.length === 0) {
        throw new PoisonMessageError("bad-notification", "message body is not an S3 event notification (no Records)");
    }
    const objects: PayloadObject[] = [];
    const ignoredEvents: string[] = [];
    parsed.Records.forEach((record: unknown, i) => {
        const s3 = isRecord(record) && isRecord(record.s3) ? record.s3 : undefined;
        const bucket = s3 && isRecord(s3.bucket) ? s3.bucket.name : undefined;
        const object = s3 && isRecord(s3.object) ? s3.object : undefined;
        const eventName = isRecord(record) ? record.eventName : undefined;
        if (typeof eventName !== "string" || typeof bucket !== "string" || !object || typeof object.key !== "string") {
            throw new PoisonMessageError(
                "bad-notification",
                `Records[${i}] is not an S3 event record (eventName, s3.bucket.name, s3.object.key)`,
            );
        }
        // Only new payloads carry work; deletions, restores and lifecycle events do not.
        if (!eventName.startsWith("ObjectCreated:")) {
            ignoredEvents.push(eventName);
            return;
        }
        const key = decodeS3Key(object.key);
        const versionId = typeof object.versionId === "string" && object.versionId !== "" ? object.versionId : undefined;
        const size = typeof object.size === "number" ? object.size : undefined;
        objects.push({ bucket, key, versionId, ...(size !== undefined ? { size } : {}), paymentId: paymentIdFromKey(key) });
    });
    return { kind: "objects", objects, ignoredEvents };
}

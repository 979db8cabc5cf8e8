/**
 * The worker's seams: small interfaces that the real clients (pg, OpenSearch) and the test
 * doubles (PGlite, an in-memory index) both satisfy, so the handler logic runs unchanged in tests.
 */

/** What the worker needs from PostgreSQL; `pg.Pool`/`pg.Client` and PGlite both fit. */
export interface Database {
    query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Writes a document under a caller-chosen id, replacing any earlier version (idempotent). */
export interface Indexer {
    index(index: string, id: string, document: Record<string, unknown>): Promise<void>;
}

/** Moves a poison message to the dead-letter queue at once, its failure attached as message attributes. */
export interface DeadLetters {
    send(message: { messageId: string; body: string }, failure: { failureClass: string; reason: string; message: string }): Promise<void>;
}

/** Pages a person (the alarm topic): configuration errors and conflicting payloads. */
export interface Alarms {
    page(subject: string, details: Record<string, unknown>): Promise<void>;
}

/** One JSON object per line, so CloudWatch Logs Insights can filter on fields. */
export interface Logger {
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
    error(message: string, fields?: Record<string, unknown>): void;
}

export const jsonLogger: Logger = {
    info: (message, fields) => console.log(JSON.stringify({ level: "info", message, ...fields })),
    warn: (message, fields) => console.warn(JSON.stringify({ level: "warn", message, ...fields })),
    error: (message, fields) => console.error(JSON.stringify({ level: "error", message, ...fields })),
};

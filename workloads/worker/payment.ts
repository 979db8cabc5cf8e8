import { createHash } from "crypto";
import { z } from "zod";
import { CURRENCIES, CURRENCY_MINOR_UNITS } from "./currencies";
import { PoisonMessageError } from "./errors";

/** Far above any real payment (< 1 KiB), far below what would strain the function's memory. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_MERCHANT_REFERENCE_LENGTH = 128;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL, OpenSearch and SES all store faithfully: no NUL (22021), no lone surrogate (stored as U+FFFD). */
const text = (max: number) =>
    z
        .string()
        .max(max)
        .refine((s) => !s.includes("\u0000"), "must not contain NUL")
        .refine((s) => !LONE_SURROGATE.test(s), "must not contain a lone UTF-16 surrogate");

/**
 * RFC 3339 with a mandatory offset, and a real calendar date: the pattern alone would take
 * 2026-02-30, which `Date` silently rolls over to March 2nd.
 */
const rfc3339 = z.iso.datetime({ offset: true, precision: undefined }).refine((s) => {
    const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})T/.exec(s) ?? [];
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}, "is not a calendar date");

/**
 * The raw payload the API archives to S3 for each submitted payment (the contract between the
 * API and the worker). Amounts are integers in the currency's minor unit, never floats. Unknown
 * fields are refused: a field the worker ignores is a field someone expected it to act on.
 */
export const PaymentPayload = z.strictObject({
    paymentId: z.uuid(),
    amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    currency: z.enum(CURRENCIES as [string, ...string[]]),
    customerEmail: text(MAX_EMAIL_LENGTH).pipe(z.email()),
    createdAt: rfc3339,
    merchantReference: text(MAX_MERCHANT_REFERENCE_LENGTH).optional(),
});

export interface Payment {
    paymentId: string;
    amountMinor: number;
    /** ISO 4217, from the allow-list. */
    currency: string;
    customerEmail: string;
    /** When the API accepted the payment, normalised to UTC (`toISOString`). */
    createdAt: string;
    merchantReference?: string;
}

/** A validated payload and the digest of its exact bytes: two deliveries agree only if their digests do. */
export interface ParsedPayment {
    payment: Payment;
    digest: string;
}

export function payloadDigest(raw: Uint8Array): string {
    return createHash("sha256").update(raw).digest("hex");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Validates the archived payload against the contract and against the object it came from. Every
 * problem is listed, so the DLQ entry explains itself.
 */
export function parsePayment(raw: Uint8Array, expectedPaymentId: string): ParsedPayment {
    const poison = (detail: string) => new PoisonMessageError("invalid-payload", `payload of payment ${expectedPaymentId} ${detail}`);
    if (raw.byteLength > MAX_PAYLOAD_BYTES) {
        throw poison(`is ${raw.byteLength} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`);
    }
    let value: unknown;
    try {
        value = JSON.parse(UTF8.decode(raw));
    } catch {
        throw poison("is not UTF-8 JSON");
    }
    const result = PaymentPayload.safeParse(value);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
        throw poison(`is invalid: ${problems.join("; ")}`);
    }
    const p = result.data;
    if (p.paymentId.toLowerCase() !== expectedPaymentId) {
        throw poison(`is invalid: paymentId ${p.paymentId} does not match the object key's ${expectedPaymentId}`);
    }
    return {
        payment: {
            paymentId: expectedPaymentId,
            amountMinor: p.amountMinor,
            currency: p.currency,
            customerEmail: p.customerEmail,
            createdAt: new Date(p.createdAt).toISOString(),
            ...(p.merchantReference !== undefined ? { merchantReference: p.merchantReference } : {}),
        },
        digest: payloadDigest(raw),
    };
}

/** Building a NumberFormat costs far more than using one: one per currency per instance. */
const FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * "$12.34" style amount with the currency's ISO minor units (JPY none, BHD three), computed in
 * integers: the decimal string goes to Intl.NumberFormat, which formats it exactly instead of
 * through a double (9007199254740991 minor units is $90,071,992,547,409.91, not ….90).
 */
export function formatAmount(payment: Pick<Payment, "amountMinor" | "currency">): string {
    const digits = CURRENCY_MINOR_UNITS[payment.currency];
    if (digits === undefined) {
        throw new Error(`currency ${payment.currency} is not on the ISO 4217 allow-list`);
    }
    const minor = BigInt(payment.amountMinor);
    const scale = 10n ** BigInt(digits);
    const decimal = digits === 0 ? `${minor}` : `${minor / scale}.${(minor % scale).toString().padStart(digits, "0")}`;
    let format = FORMATS.get(payment.currency);
    if (format === undefined) {
        format = new Intl.NumberFormat("en-US", {
            style: "currency",
            currency: payment.currency,
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
        });
        FORMATS.set(payment.currency, format);
    }
    // ES2023 lets format() take a decimal string and keeps every digit of it.
    return format.format(decimal as unknown as number);
}

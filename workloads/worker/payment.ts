import { isUuid } from "./event";
import { PoisonMessageError } from "./errors";

/**
 * The raw payload the API archives to S3 for each submitted payment (the contract between the
 * API and the worker). Amounts are integers in the currency's minor unit, never floats.
 */
export interface Payment {
    paymentId: string;
    amountMinor: number;
    /** ISO 4217, upper case. */
    currency: string;
    customerEmail: string;
    /** When the API accepted the payment (ISO 8601). */
    createdAt: string;
    merchantReference?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Validates the archived payload against the contract and against the object it came from. Every
 * problem is listed, so the DLQ entry explains itself.
 */
export function parsePayment(raw: string, expectedPaymentId: string): Payment {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        throw new PoisonMessageError(`payload of payment ${expectedPaymentId} is not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new PoisonMessageError(`payload of payment ${expectedPaymentId} is not a JSON object`);
    }
    const p = value as Record<string, unknown>;
    const problems: string[] = [];
    if (!isUuid(p.paymentId)) {
        problems.push("paymentId is not a UUID");
    } else if (p.paymentId.toLowerCase() !== expectedPaymentId) {
        problems.push(`paymentId ${p.paymentId} does not match the object key's ${expectedPaymentId}`);
    }
    if (typeof p.amountMinor !== "number" || !Number.isSafeInteger(p.amountMinor) || p.amountMinor <= 0) {
        problems.push("amountMinor is not a positive integer");
    }
    if (typeof p.currency !== "string" || !CURRENCY.test(p.currency)) {
        problems.push("currency is not an upper-case ISO 4217 code");
    }
    if (typeof p.customerEmail !== "string" || !EMAIL.test(p.customerEmail)) {
        problems.push("customerEmail is not an email address");
    }
    if (typeof p.createdAt !== "string" || Number.isNaN(Date.parse(p.createdAt))) {
        problems.push("createdAt is not an ISO 8601 timestamp");
    }
    if (p.merchantReference !== undefined && typeof p.merchantReference !== "string") {
        problems.push("merchantReference is not a string");
    }
    if (problems.length > 0) {
        throw new PoisonMessageError(`payload of payment ${expectedPaymentId} is invalid: ${problems.join("; ")}`);
    }
    return {
        paymentId: expectedPaymentId,
        amountMinor: p.amountMinor as number,
        currency: p.currency as string,
        customerEmail: p.customerEmail as string,
        createdAt: new Date(p.createdAt as string).toISOString(),
        ...(p.merchantReference !== undefined ? { merchantReference: p.merchantReference as string } : {}),
    };
}

/** "USD 12.34" style amount, using the currency's own number of minor digits (JPY has none). */
export function formatAmount(payment: Pick<Payment, "amountMinor" | "currency">): string {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency: payment.currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(payment.amountMinor / 10 ** digits);
}

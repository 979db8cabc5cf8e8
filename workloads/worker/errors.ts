/**
 * A message that can never succeed as it is (malformed body, payload that breaks the contract).
 * It is still reported as a failed item: retrying is harmless and the redrive policy then moves it
 * to the DLQ, where a person can inspect it, fix the cause and replay it.
 */
export class PoisonMessageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PoisonMessageError";
    }
}

/** Another delivery holds the payment's lease; this one is retried after the visibility timeout. */
export class PaymentBusyError extends Error {
    constructor(paymentId: string, holder: string) {
        super(`payment ${paymentId} is being processed by message ${holder}; retrying later`);
        this.name = "PaymentBusyError";
    }
}

export function describeError(error: unknown): { errorName: string; errorMessage: string } {
    if (error instanceof Error) {
        return { errorName: error.name, errorMessage: error.message };
    }
    return { errorName: "NonError", errorMessage: String(error) };
}

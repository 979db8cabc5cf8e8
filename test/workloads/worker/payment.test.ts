import { expect } from "chai";
import { CURRENCIES, CURRENCY_MINOR_UNITS } from "../../../workloads/worker/currencies";
import { PoisonMessageError } from "../../../workloads/worker/errors";
import { formatAmount, MAX_PAYLOAD_BYTES, parsePayment } from "../../../workloads/worker/payment";
import { migrate } from "../../../workloads/worker/schema";
import { emptyDatabase } from "../../support/pglite";

const ID = "0b6d1b2c-3d4e-4f5a-8b9c-0d1e2f3a4b5c";
const valid = { paymentId: ID, amountMinor: 500, currency: "EUR", customerEmail: "a@b.co", createdAt: "2026-11-22T06:00:00Z" };
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const problem = (payload: unknown) => {
    try {
        parsePayment(bytes(payload), ID);
    } catch (error) {
        expect(error).to.be.instanceOf(PoisonMessageError).with.property("reason", "invalid-payload");
        return (error as Error).message;
    }
    return undefined;
};

describe("worker payload contract", () => {
    it("accepts a valid payload, normalises the timestamp and digests the exact bytes", () => {
        const parsed = parsePayment(bytes(valid), ID);
        expect(parsed.payment).to.deep.equal({ ...valid, createdAt: "2026-11-22T06:00:00.000Z" });
        expect(parsed.digest).to.match(/^[0-9a-f]{64}$/);
        expect(parsePayment(bytes({ ...valid, createdAt: "2026-11-22T07:00:00+01:00" }), ID).digest).to.not.equal(parsed.digest);
    });

    const rejected: Record<string, [unknown, string]> = {
        "a test currency (XTS)": [{ ...valid, currency: "XTS" }, "currency"],
        "a made-up currency (ABC)": [{ ...valid, currency: "ABC" }, "currency"],
        "a date that does not exist (2026-02-30)": [{ ...valid, createdAt: "2026-02-30T00:00:00Z" }, "createdAt"],
        'a timestamp "1"': [{ ...valid, createdAt: "1" }, "createdAt"],
        'a timestamp "November 22"': [{ ...valid, createdAt: "November 22" }, "createdAt"],
        "a timestamp without an offset": [{ ...valid, createdAt: "2026-11-22T06:00:00" }, "createdAt"],
        "an address with an empty label (a@b..com)": [{ ...valid, customerEmail: "a@b..com" }, "customerEmail"],
        "an over-long merchant reference": [{ ...valid, merchantReference: "r".repeat(129) }, "merchantReference"],
        "an unknown field": [{ ...valid, note: "hi" }, "note"],
        "a NUL character": [{ ...valid, merchantReference: "order\u00007" }, "NUL"],
        "a lone surrogate": [{ ...valid, merchantReference: "order\ud8007" }, "surrogate"],
        "a fractional amount": [{ ...valid, amountMinor: 12.5 }, "amountMinor"],
        "an amount beyond 2^53": [{ ...valid, amountMinor: 2 ** 53 }, "amountMinor"],
        "a payment id other than the key's": [{ ...valid, paymentId: "6f1c1f5e-8b0a-4b8e-9a43-0b6d1b2c3d4e" }, "does not match"],
    };
    for (const [what, [payload, mention]] of Object.entries(rejected)) {
        it(`rejects ${what}`, () => {
            expect(problem(payload)).to.contain(mention);
        });
    }

    it("rejects bytes that are not UTF-8, and payloads over the size limit", () => {
        expect(() => parsePayment(new Uint8Array([0x7b, 0xff, 0x7d]), ID)).to.throw(PoisonMessageError, "not UTF-8 JSON");
        expect(() => parsePayment(new Uint8Array(MAX_PAYLOAD_BYTES + 1), ID)).to.throw(PoisonMessageError, "limit");
    });

    it("lists every problem at once", () => {
        expect(
            problem({ ...valid, amountMinor: -1, currency: "euro", customerEmail: "nobody", createdAt: "yesterday", merchantReference: 7 }),
        )
            .to.contain("amountMinor")
            .and.contain("currency")
            .and.contain("customerEmail")
            .and.contain("createdAt")
            .and.contain("merchantReference");
    });

    it("formats money with integer arithmetic and the ISO minor units", () => {
        expect(formatAmount({ amountMinor: 9_007_199_254_740_991, currency: "USD" })).to.equal("$90,071,992,547,409.91");
        expect(formatAmount({ amountMinor: 12_345, currency: "USD" })).to.equal("$123.45");
        expect(formatAmount({ amountMinor: 5, currency: "EUR" })).to.equal("€0.05");
        expect(formatAmount({ amountMinor: 12_345, currency: "JPY" })).to.equal("¥12,345");
        expect(formatAmount({ amountMinor: 1_234, currency: "BHD" })).to.equal("BHD\u00a01.234");
    });
});

describe("ISO 4217 allow-list", () => {
    it("holds active currencies only, with ISO's minor units", () => {
        const iso = require("currency-codes") as { code(code: string): { digits: number } | undefined };
        for (const code of CURRENCIES) {
            expect(iso.code(code), code).to.not.equal(undefined);
            expect(CURRENCY_MINOR_UNITS[code], code).to.equal(iso.code(code)!.digits);
        }
        expect(CURRENCIES).to.include.members(["USD", "EUR", "GBP", "JPY", "XOF"]).and.not.include.members(["XTS", "XXX", "XAU", "XDR"]);
    });

    it("is the ledger's CHECK constraint too", async () => {
        const db = await emptyDatabase();
        try {
            await migrate(db);
            const insert = (currency: string) =>
                db.query(
                    "INSERT INTO payment_transactions (payment_id, amount_minor, currency, customer_email, created_at, source_object) VALUES (gen_random_uuid(), 1, $1, 'a@b.co', now(), 's3://b/k')",
                    [currency],
                );
            await insert("EUR");
            const refused = await insert("XTS").then(
                () => undefined,
                (e: { code?: string }) => e.code,
            );
            expect(refused).to.equal("23514"); // check_violation
        } finally {
            await db.close();
        }
    });
});

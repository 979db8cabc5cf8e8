import { expect } from "chai";
import { PoisonMessageError } from "../../../workloads/worker/errors";
import { parseNotification, paymentIdFromKey } from "../../../workloads/worker/event";

const ID = "0b6d1b2c-3d4e-4f5a-8b9c-0d1e2f3a4b5c";

describe("worker event parsing", () => {
    it("decodes the URL-encoded key S3 puts in notifications and keeps the version id", () => {
        const body = JSON.stringify({
            Records: [
                {
                    eventName: "ObjectCreated:Put",
                    s3: { bucket: { name: "b" }, object: { key: `payments/a+b%2Bc/${ID}.json`, versionId: "v1" } },
                },
            ],
        });
        expect(parseNotification(body)).to.deep.equal({
            kind: "objects",
            objects: [{ bucket: "b", key: `payments/a b+c/${ID}.json`, versionId: "v1", paymentId: ID }],
            ignoredEvents: [],
        });
    });

    it("reads the payment id from the object's file name, case-insensitively", () => {
        expect(paymentIdFromKey(`payments/2026/11/22/${ID.toUpperCase()}.json`)).to.equal(ID);
        expect(() => paymentIdFromKey(`payments/${ID}.txt`)).to.throw(PoisonMessageError);
        expect(() => paymentIdFromKey("payments/not-a-uuid.json")).to.throw(PoisonMessageError);
    });

    it("recognises the S3 test event", () => {
        expect(parseNotification(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent" }))).to.deep.equal({ kind: "test-event" });
    });

    it("rejects a key that is not valid URL encoding as poison", () => {
        const body = JSON.stringify({
            Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key: "payments/%E0%A4%A.json" } } }],
        });
        expect(() => parseNotification(body)).to.throw(PoisonMessageError, "not URL-encoded");
    });
});

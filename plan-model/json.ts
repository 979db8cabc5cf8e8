/** A plan input that may hold a JSON document as a string (policies, provider settings): the document, else the value as it is. */
export function parseMaybeJson(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

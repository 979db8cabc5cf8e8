import { createHash } from "crypto";

/** Deterministic hex derived from a seed: the same program always gets the same ids, so re-plans diff cleanly. */
export function hexFrom(seed: string, length: number): string {
    let out = "";
    for (let round = 0; out.length < length; round++) {
        out += createHash("sha256").update(`${round}:${seed}`).digest("hex");
    }
    return out.slice(0, length);
}

/** A 12-digit AWS account id derived from a seed. */
export function accountIdFrom(seed: string): string {
    const digits = BigInt(`0x${hexFrom(seed, 15)}`)
        .toString()
        .padStart(12, "1");
    return `${(Number(digits[0]) % 9) + 1}${digits.slice(1, 12)}`;
}

export function uuidFrom(seed: string): string {
    const h = hexFrom(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

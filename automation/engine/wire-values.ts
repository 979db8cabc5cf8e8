/**
 * Values as they travel between the SDK and the engine (protobuf structs with signature keys for
 * secrets, resource references, assets and unknowns), turned into what the plan shows and what a
 * stack reference receives.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as crypto from "crypto";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../plan-model/types";

/** "urn::id" -> "urn" */
export function providerUrn(reference: string): string | null {
    if (!reference) {
        return null;
    }
    const separator = reference.lastIndexOf("::");
    return separator > 0 ? reference.slice(0, separator) : reference;
}

function isSignature(value: Record<string, unknown>, signature: string): boolean {
    return value[rpc.specialSigKey] === signature;
}

/**
 * Turns wire values into what the plan shows: secrets masked, unknowns marked, resource
 * references as their URN, assets and archives summarised.
 */
export function toPlanValue(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return UNKNOWN_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map(toPlanValue);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            return SECRET_PLACEHOLDER;
        }
        if (isSignature(record, rpc.specialResourceSig)) {
            return record.urn;
        }
        if (isSignature(record, rpc.specialAssetSig)) {
            return { asset: record.path ?? record.uri ?? "text" };
        }
        if (isSignature(record, rpc.specialArchiveSig)) {
            return { archive: record.path ?? record.uri ?? Object.keys((record.assets as object) ?? {}) };
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toPlanValue(v)]));
    }
    return value;
}

/** Wire values with secrets unwrapped, for feeding one stack's outputs to the next. */
export function toRawValue(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(toRawValue);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            return { value: toRawValue(record.value).value, secret: true };
        }
        if (isSignature(record, rpc.specialResourceSig)) {
            return { value: record.urn, secret: false };
        }
        const entries = Object.entries(record).map(([k, v]) => [k, toRawValue(v)] as const);
        return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
    }
    return { value, secret: false };
}

export function unwrapSecrets(value: unknown): unknown {
    return toRawValue(JSON.parse(JSON.stringify(value ?? null))).value;
}

const FINGERPRINT_KEY = crypto.randomBytes(32);

export function fingerprintSecrets(value: unknown, path: string, into: Map<string, string>): void {
    if (Array.isArray(value)) {
        value.forEach((item, i) => fingerprintSecrets(item, `${path}[${i}]`, into));
    } else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (isSignature(record, rpc.specialSecretSig)) {
            into.set(
                path,
                crypto
                    .createHmac("sha256", FINGERPRINT_KEY)
                    .update(JSON.stringify(toRawValue(record.value).value) ?? "")
                    .digest("hex"),
            );
            return;
        }
        for (const [key, child] of Object.entries(record)) {
            fingerprintSecrets(child, path ? `${path}.${key}` : key, into);
        }
    }
}

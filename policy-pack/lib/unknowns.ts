/**
 * During `pulumi preview` the analyzer receives values that only exist after apply as sentinel
 * strings, and @pulumi/policy wraps every property bag in a proxy that throws UnknownValueError
 * when a policy touches one; the SDK then reports the policy as advisory "can't run during
 * preview". This module is the one place that relies on that internal machinery, so the offline
 * evaluator can feed the same sentinels through the same proxy.
 */
interface ProxyModule {
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (sentinel: string, props: string[]) => Error & { props: string[] };
    unknownStringValue: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/policy ships this module without typings
const proxy = require("@pulumi/policy/proxy") as ProxyModule;

export const CANNOT_VERIFY = "cannot verify until apply";

/** The sentinel the engine sends for an unknown value. */
export const UNKNOWN_SENTINEL = proxy.unknownStringValue;

export const unknownCheckingProxy = proxy.unknownCheckingProxy;

/**
 * A value a mandatory check needs but cannot read: unknown until apply, or (offline) hidden as a
 * secret. Thrown by the helpers and turned into an advisory by the framework.
 */
export class CannotVerifyError extends Error {
    constructor(readonly what: string) {
        super(`${CANNOT_VERIFY}: ${what}`);
        this.name = "CannotVerifyError";
    }
}

export function isUnknownValueError(error: unknown): error is Error & { props: string[] } {
    return error instanceof proxy.UnknownValueError;
}

/** The path of the value an UnknownValueError was thrown for, e.g. `vpcConfig.subnetIds`. */
export function unknownPath(error: Error & { props: (string | symbol)[] }): string {
    return error.props.map(String).join(".");
}

/**
 * The error the SDK's analyzer server reports as an advisory diagnostic (it only recognises its own
 * UnknownValueError class), with our wording so a reader sees what to do.
 */
export function cannotVerify(detail: string): Error {
    const error = new proxy.UnknownValueError(UNKNOWN_SENTINEL, []);
    error.message = `${CANNOT_VERIFY}: ${detail}`;
    return error;
}

/**
 * A plain copy of a proxied property bag with unknown values as the plan's "[unknown]", for code
 * that works on plan-shaped data (e.g. the estimates) rather than reading single values.
 */
export function toPlain(value: unknown, placeholder: string): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const read = (key: string | number): unknown => {
        try {
            return toPlain((value as Record<string | number, unknown>)[key], placeholder);
        } catch (error) {
            if (isUnknownValueError(error)) {
                return placeholder;
            }
            throw error;
        }
    };
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => read(i));
    }
    return Object.fromEntries(Object.keys(value).map((k) => [k, read(k)]));
}

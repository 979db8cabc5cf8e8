/**
 * One kind of error for what the person running a command must fix (bad usage, invalid config,
 * a refused target, a missing stack output): the CLIs print its message without a stack trace
 * and exit 2. Everything else is a failure of the estate or the tooling.
 *
 * The offline engine evaluates each program with fresh copies of the repository's modules, so an
 * error a program throws is an instance of another copy of its class. `instanceof` on UserError
 * and its subclasses therefore compares class names recorded under a registry-wide symbol
 * instead of prototypes.
 */
const USER_ERROR = Symbol.for("payments.UserError");

export class UserError extends Error {
    /** The names of this error's classes, from its own up to UserError. */
    readonly [USER_ERROR]: readonly string[];

    static [Symbol.hasInstance](value: unknown): boolean {
        const kinds = typeof value === "object" && value !== null ? (value as { [USER_ERROR]?: unknown })[USER_ERROR] : undefined;
        return Array.isArray(kinds) && kinds.includes(this.name);
    }

    constructor(message: string) {
        super(message);
        this.name = new.target.name;
        const kinds: string[] = [];
        for (let kind: unknown = new.target; kind !== Error && typeof kind === "function"; kind = Object.getPrototypeOf(kind)) {
            kinds.push((kind as { name: string }).name);
        }
        this[USER_ERROR] = kinds;
    }
}

/** Bad command-line usage: the CLI prints the message and its usage text. */
export class UsageError extends UserError {}

/**
 * What the Pulumi SDK raises, as a plain Error, for a stack reference the user must fix: an output
 * the referenced stack lacks (`requireOutput`), or a stack the plan did not synthesize first.
 */
const SDK_USER_ERRORS = [/^Required output '.*' does not exist on stack/, /names no stack/];

/**
 * True for a UserError, for the SDK's stack-reference errors, and for an error that gathers
 * several causes (a failed synthesis) when every cause is one.
 */
export function isUserError(error: unknown): boolean {
    if (error instanceof UserError) {
        return true;
    }
    if (!(error instanceof Error)) {
        return false;
    }
    const causes = (error as { causes?: unknown }).causes;
    if (Array.isArray(causes)) {
        return causes.length > 0 && causes.every(isUserError);
    }
    return SDK_USER_ERRORS.some((pattern) => pattern.test(error.message));
}

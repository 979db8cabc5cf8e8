/**
 * The one kind of error a person fixes by changing what they ran or wrote (a flag, a config key,
 * a stack file, a lock to remove): every CLI prints its message without a stack trace and exits 2.
 * Subclass it; the CLIs recognise it by type (`error instanceof UserError`), never by name.
 */
const USER_ERROR = Symbol.for("payments.UserError");

export class UserError extends Error {
    readonly [USER_ERROR] = true;

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
    }

    /**
     * The offline engine re-evaluates a program's modules (this one included) for every synthesis,
     * so an error a program throws comes from another copy of this class: the brand, not the
     * prototype chain, decides. Subclasses keep the ordinary prototype check.
     */
    static [Symbol.hasInstance](value: unknown): boolean {
        if (this !== UserError) {
            return Function.prototype[Symbol.hasInstance].call(this, value);
        }
        return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[USER_ERROR] === true;
    }
}

/** The command line is wrong: the CLI names the problem, points to --help and exits 2. */
export class UsageError extends UserError {}

/**
 * The operation failed for a reason outside the tooling and the command line (a program that
 * throws, a resource the cloud refused, an unreachable endpoint): the message says it all, so a
 * CLI prints it without a stack trace and exits with its failure code (not 2).
 */
export class OperationalError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
    }
}

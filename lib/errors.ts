/**
 * The one kind of error a person fixes by changing what they ran or wrote (a flag, a config key,
 * a stack file, a lock to remove): every CLI prints its message without a stack trace and exits 2.
 * Subclass it; the CLIs recognise it by type (`error instanceof UserError`), never by name.
 */
const USER_ERROR = Symbol.for("payments.UserError");

export class UserError extends Error {
    /** The names of this error's classes, from its own up to UserError. */
    readonly [USER_ERROR]: readonly string[];

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
        const kinds: string[] = [];
        for (let kind: unknown = new.target; kind !== Error && typeof kind === "function"; kind = Object.getPrototypeOf(kind)) {
            kinds.push((kind as { name: string }).name);
        }
        this[USER_ERROR] = kinds;
    }

    /**
     * The offline engine re-evaluates a program's modules (this one included) for every synthesis,
     * so an error a program throws comes from another copy of its class: the class names recorded
     * under the brand decide when the prototype chain does not, for UserError and every subclass
     * (`error instanceof InvalidConfigError` holds for a copy's InvalidConfigError too).
     */
    static [Symbol.hasInstance](value: unknown): boolean {
        if (Function.prototype[Symbol.hasInstance].call(this, value)) {
            return true;
        }
        const kinds = typeof value === "object" && value !== null ? (value as { [USER_ERROR]?: unknown })[USER_ERROR] : undefined;
        return Array.isArray(kinds) && kinds.includes(this.name);
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

import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID_PATTERN, REGION_PATTERN, ROLE_ARN_PATTERN } from "./arn";
import { isPullRequestEnvironment } from "./environments";
import { UserError } from "./errors";

/** One thing wrong with a stack's configuration: the key, what is wrong, and how to fix it. */
export interface ConfigProblem {
    key: string;
    problem: string;
    fix: string;
}

/** The keys every layer's stack files hold: where it deploys and whom its resources are tagged to. */
export const COMMON_CONFIG_KEYS = ["region", "owner", "costCenter"] as const;

/** The values CloudWatch Logs accepts for a log group's retention. */
/** A lower-case DNS name (public or private zone, hostname): labels of at most 63 characters, 253 in all. */
export const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Thrown once per stack with every problem found, so a platform engineer fixes the stack file
 * in one pass instead of one `pulumi up` per mistake.
 */
export class InvalidConfigError extends UserError {
    constructor(
        readonly stack: string,
        readonly problems: ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack ${stack} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.key}: ${p.problem}\n    fix: ${p.fix}`).join("\n"),
        );
    }
}

/**
 * `<project>/<stack>` and the stack file to fix: a `pr-<n>` stack's config is made from the
 * template `Pulumi.pr.yaml` on every run, so that is the file to change.
 */
export function currentStackLabel(): string {
    const stack = pulumi.getStack();
    const file = isPullRequestEnvironment(stack) ? "Pulumi.pr.yaml, the template of every pr-<n> stack" : `Pulumi.${stack}.yaml`;
    return `${pulumi.getProject()}/${stack} (${pulumi.getProject()}/${file})`;
}

/**
 * Reads a project's configuration into typed values, collecting every problem instead of
 * throwing on the first. Call `done()` after the last read: it throws when anything was wrong.
 * Readers return a placeholder after recording a problem so parsing can go on.
 */
export class ConfigReader {
    private readonly config: pulumi.Config;
    private readonly problems: ConfigProblem[] = [];

    constructor(readonly namespace: string = pulumi.getProject()) {
        this.config = new pulumi.Config(namespace);
    }

    fullKey(key: string): string {
        return `${this.namespace}:${key}`;
    }

    problem(key: string, problem: string, fix: string): void {
        this.problems.push({ key: key.includes(":") ? key : this.fullKey(key), problem, fix });
    }

    has(key: string): boolean {
        return this.config.get(key) !== undefined;
    }

    string(key: string, options: { default?: string; pattern?: RegExp; oneOf?: readonly string[]; hint?: string } = {}): string {
        const value = this.config.get(key) ?? options.default;
        if (value === undefined || value === "") {
            this.problem(key, "is required but not set", `pulumi config set ${key} <value>${options.hint ? ` (${options.hint})` : ""}`);
            return "";
        }
        if (options.oneOf && !options.oneOf.includes(value)) {
            this.problem(key, `"${value}" is not one of ${options.oneOf.join(", ")}`, `set ${key} to one of ${options.oneOf.join(", ")}`);
        }
        if (options.pattern && !options.pattern.test(value)) {
            this.problem(
                key,
                `"${value}" does not match ${options.pattern}`,
                `set ${key} to a value like ${options.hint ?? options.pattern.source}`,
            );
        }
        return value;
    }

    /** An AWS region name. */
    region(key = "region"): string {
        return this.string(key, { pattern: REGION_PATTERN, hint: "us-east-1" });
    }

    /** A 12-digit AWS account id. */
    accountId(key: string, hint = "a 12-digit AWS account id"): string {
        return this.string(key, { pattern: ACCOUNT_ID_PATTERN, hint });
    }

    /** An IAM role ARN. */
    roleArn(key: string, hint: string): string {
        return this.string(key, { pattern: ROLE_ARN_PATTERN, hint });
    }

    /** The organization segment of stack reference names (`<org>/<project>/<stack>`). */
    stackOrg(): string {
        return this.string("stackOrg", { hint: "the Pulumi organization, `organization` on a self-managed backend" });
    }

    optionalString(key: string): string | undefined {
        return this.config.get(key);
    }

    number(key: string, options: { default?: number; min?: number; max?: number; integer?: boolean } = {}): number {
        const raw = this.config.get(key);
        if (raw === undefined) {
            if (options.default !== undefined) {
                return options.default;
            }
            this.problem(key, "is required but not set", `pulumi config set ${key} <number>`);
            return 0;
        }
        const value = Number(raw);
        const range = `${options.min ?? "-inf"}..${options.max ?? "inf"}`;
        if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
            this.problem(key, `"${raw}" is not a${options.integer ? "n integer" : " number"}`, `set ${key} to a number in ${range}`);
        } else if ((options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
            this.problem(key, `${value} is outside ${range}`, `set ${key} to a number in ${range}`);
        }
        return value;
    }

    boolean(key: string, defaultValue: boolean): boolean {
        const raw = this.config.get(key);
        if (raw === undefined) {
            return defaultValue;
        }
        if (raw !== "true" && raw !== "false") {
            this.problem(key, `"${raw}" is not a boolean`, `set ${key} to true or false`);
            return defaultValue;
        }
        return raw === "true";
    }

    /** A structured (YAML object or list) value; `validate` may record problems with `problem()`. */
    object<T>(key: string, options: { default?: T } = {}): T {
        let value: T | undefined;
        try {
            value = this.config.getObject<T>(key) ?? options.default;
        } catch {
            this.problem(key, "is not valid YAML/JSON", `rewrite ${key} in the stack file as a YAML mapping or list`);
            return options.default as T;
        }
        if (value === undefined) {
            this.problem(key, "is required but not set", `add ${this.fullKey(key)} to the stack file`);
        }
        return value as T;
    }

    secret(key: string): pulumi.Output<string> {
        if (this.config.get(key) === undefined) {
            this.problem(key, "is required but not set", `pulumi config set --secret ${key} <value>`);
            return pulumi.secret("");
        }
        return this.config.requireSecret(key);
    }

    /** Throws one InvalidConfigError naming every problem recorded so far. */
    done(): void {
        if (this.problems.length > 0) {
            throw new InvalidConfigError(currentStackLabel(), [...this.problems]);
        }
    }
}

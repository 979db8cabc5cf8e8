import { createHash } from "crypto";

/**
 * AWS length limits for physical names. Names longer than the limit are shortened
 * deterministically (a hash of the full name keeps them unique) instead of failing at apply time.
 */
export const NAME_LIMITS = {
    default: 255,
    s3Bucket: 63,
    iamRole: 64,
    iamPolicy: 128,
    sqsQueue: 80,
    lambdaFunction: 64,
    dynamodbTable: 255,
    rdsIdentifier: 63,
    opensearchDomain: 28,
    loadBalancer: 32,
    targetGroup: 32,
    eksCluster: 100,
    eksNodeGroup: 63,
    logGroup: 512,
    wafAcl: 128,
    secret: 512,
    kubernetes: 63,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

const HASH_LENGTH = 6;

function normalise(part: string): string {
    return part
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "");
}

/**
 * `<env>-<component>[-<suffix>]`, lower-case, within the AWS limit for `kind`.
 * The one source of physical (and logical) names in the estate.
 */
export function physicalName(env: string, component: string, options: { suffix?: string; kind?: NameKind } = {}): string {
    const parts = [env, component, options.suffix].filter((p): p is string => p !== undefined && p !== "");
    const full = parts
        .map(normalise)
        .filter((p) => p !== "")
        .join("-");
    if (full === "") {
        throw new Error(`physicalName: env "${env}" and component "${component}" give an empty name`);
    }
    const limit = NAME_LIMITS[options.kind ?? "default"];
    if (full.length <= limit) {
        return full;
    }
    const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
    return `${full.slice(0, limit - HASH_LENGTH - 1).replace(/-$/, "")}-${hash}`;
}

/** Binds the environment once so components can name things without repeating it. */
export class Namer {
    constructor(readonly env: string) {}

    name(component: string, options: { suffix?: string; kind?: NameKind } = {}): string {
        return physicalName(this.env, component, options);
    }
}

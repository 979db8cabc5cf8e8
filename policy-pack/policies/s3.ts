import type { PolicyResource } from "@pulumi/policy";
import { PolicyDefinition, StackContext, sameReads, stackPolicy } from "../lib/definition";
import { LinkOptions, referencedBy, referrersOf } from "../lib/links";
import { CannotVerifyError, isUnknownValueError } from "../lib/unknowns";
import { jsonDocument, list, ofTypes, statements } from "../lib/values";

const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", BUCKET_V2];
const PUBLIC_ACCESS_BLOCK = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const ENCRYPTION = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const BUCKET_POLICY = ["aws:s3/bucketPolicy:BucketPolicy"];
const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const OWNERSHIP = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
const ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const LIFECYCLE = [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];
const LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const DISTRIBUTIONS = ["aws:cloudfront/distribution:Distribution"];

const BUCKET_NAME = { [BUCKET_TYPES[0]]: ["bucket"], [BUCKET_V2]: ["bucket"] };
/** What finding log-delivery buckets reads: the inputs that name a bucket as a log target. */
const LOG_SOURCES = {
    [DISTRIBUTIONS[0]]: ["loggingConfig.bucket"],
    ...Object.fromEntries(LOGGING.map((t) => [t, ["targetBucket"]])),
    ...Object.fromEntries(LOAD_BALANCERS.map((t) => [t, ["accessLogs.bucket"]])),
};

/** A bucket input may hold the bucket's name, its ARN or (CloudFront logging) its domain name. */
const BUCKET_LINK: LinkOptions = {
    nameKeys: ["bucket"],
    matches: (value, name) => value === name || value === `arn:aws:s3:::${name}` || value.startsWith(`${name}.s3.`),
};

/** The companion resources (of `types`) that configure `bucket` through their `bucket` input. */
function companions(ctx: StackContext<object>, bucket: PolicyResource, types: readonly string[]): PolicyResource[] {
    return referrersOf(bucket, "bucket", ofTypes(ctx.resources, types), ofTypes(ctx.resources, BUCKET_TYPES), BUCKET_LINK);
}

/** Log targets: the buckets known to receive logs, and those that might (their reference is unknown until apply). */
interface LogTargets {
    known: Set<PolicyResource>;
    uncertain: Set<PolicyResource>;
}

/** Adds the buckets `from` names through a nested input (e.g. a load balancer's accessLogs.bucket). */
function addNamedBuckets(ctx: StackContext<object>, targets: LogTargets, from: PolicyResource, input: string, read: () => unknown): void {
    const buckets = ofTypes(ctx.resources, BUCKET_TYPES);
    let value: unknown;
    try {
        value = read();
    } catch (error) {
        if (!isUnknownValueError(error)) {
            throw error;
        }
        const byProperty = (from.propertyDependencies?.[input] ?? []).filter((d) => buckets.includes(d));
        const candidates = byProperty.length > 0 ? byProperty : buckets.filter((b) => from.dependencies.includes(b));
        candidates.forEach((b) => (byProperty.length > 0 ? targets.known : targets.uncertain).add(b));
        return;
    }
    if (value !== undefined && value !== null) {
        const carrier = {
            ...from,
            props: { bucket: value },
            propertyDependencies: { bucket: from.propertyDependencies?.[input] ?? [] },
        } as PolicyResource;
        referencedBy(carrier, "bucket", buckets, BUCKET_LINK).forEach((b) => targets.known.add(b));
    }
}

/** Buckets CloudFront standard logging writes to: that legacy delivery needs bucket ACLs enabled. */
function cloudFrontLogTargets(ctx: StackContext<object>): LogTargets {
    const targets: LogTargets = { known: new Set(), uncertain: new Set() };
    for (const d of ofTypes(ctx.resources, DISTRIBUTIONS)) {
        addNamedBuckets(ctx, targets, d, "loggingConfig", () => d.props.loggingConfig?.bucket);
    }
    return targets;
}

/** Buckets that receive logs from S3 server access logging, load balancers or CloudFront. */
function logTargets(ctx: StackContext<object>): LogTargets {
    const targets = cloudFrontLogTargets(ctx);
    for (const r of ofTypes(ctx.resources, LOGGING)) {
        addNamedBuckets(ctx, targets, r, "targetBucket", () => r.props.targetBucket);
    }
    for (const r of ofTypes(ctx.resources, LOAD_BALANCERS)) {
        addNamedBuckets(ctx, targets, r, "accessLogs", () => r.props.accessLogs?.bucket);
    }
    return targets;
}

/** A finding that does not hold if the bucket turns out to be a log target once references are known. */
function unlessLogTarget(bucket: PolicyResource, targets: LogTargets, report: () => void): void {
    if (targets.uncertain.has(bucket)) {
        throw new CannotVerifyError(`whether ${bucket.name} receives logs (the reference to it is unknown until apply)`);
    }
    report();
}

function isLogBucket(bucket: PolicyResource, targets: LogTargets): boolean {
    return targets.known.has(bucket) || /(^|-)(access-)?logs?(-|$)/.test(bucket.name);
}

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped engine JSON */
function encryptionAlgorithms(rules: unknown): string[] {
    return list(rules).map((rule: any) => String(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm ?? ""));
}

/**
 * The algorithms a bucket declares inline. `Bucket` nests single objects
 * (`serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault`); `BucketV2` nests
 * lists under plural names (`serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]`).
 */
function inlineAlgorithms(bucket: PolicyResource): string[] {
    if (bucket.type === BUCKET_V2) {
        return list(bucket.props.serverSideEncryptionConfigurations)
            .flatMap((c: any) => list(c?.rules))
            .flatMap((rule: any) => list(rule?.applyServerSideEncryptionByDefaults))
            .map((d: any) => String(d?.sseAlgorithm ?? ""));
    }
    return encryptionAlgorithms(bucket.props.serverSideEncryptionConfiguration?.rule);
}

/** Inline versioning: `Bucket.versioning.enabled`, `BucketV2.versionings[].enabled`. */
function inlineVersioning(bucket: PolicyResource): boolean {
    const blocks = bucket.type === BUCKET_V2 ? list(bucket.props.versionings) : list(bucket.props.versioning);
    return blocks.some((v: any) => v?.enabled === true);
}
/* eslint-enable @typescript-eslint/no-explicit-any -- back to typed code */

/** A statement that denies every S3 action to everyone when the request is not over TLS. */
function deniesInsecureTransport(policy: unknown, what: string): boolean {
    return statements(jsonDocument(policy, what)).some((s) => {
        const everyone =
            s.principal === "*" ||
            (typeof s.principal === "object" && s.principal !== null && list((s.principal as Record<string, unknown>).AWS).includes("*"));
        const allS3 = s.actions.some((a) => a === "s3:*" || a === "*");
        const condition = (s.condition ?? {}) as Record<string, Record<string, unknown>>;
        const insecure = Object.entries(condition).some(
            ([operator, values]) => /^Bool(IfExists)?$/.test(operator) && String(values?.["aws:SecureTransport"]) === "false",
        );
        return s.effect === "Deny" && everyone && allS3 && insecure;
    });
}

export const S3_POLICIES: PolicyDefinition[] = [
    stackPolicy({
        name: "s3-public-access-block",
        reads: {
            ...BUCKET_NAME,
            [PUBLIC_ACCESS_BLOCK[0]]: ["bucket", "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
        },
        domain: "s3",
        description: "Every S3 bucket has a public access block with all four settings on.",
        prevents: "Buckets or objects made public by a bucket policy or ACL.",
        severity: "critical",
        remediation:
            "Add aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true.",
        level: "mandatory",
        checkov: "CKV2_AWS_6",
        trivy: "AVD-AWS-0094",
        check: (ctx) =>
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                const blocks = companions(ctx, bucket, PUBLIC_ACCESS_BLOCK);
                const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
                if (blocks.length === 0) {
                    ctx.report(`Bucket ${bucket.name} has no BucketPublicAccessBlock.`, bucket.urn);
                } else if (!blocks.some((b) => flags.every((f) => b.props[f] === true))) {
                    ctx.report(`Bucket ${bucket.name}'s public access block does not set all of ${flags.join(", ")} to true.`, bucket.urn);
                }
            }),
    }),
    stackPolicy({
        name: "s3-encryption",
        reads: {
            [BUCKET_TYPES[0]]: ["bucket", "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm"],
            [BUCKET_V2]: ["bucket", "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults.sseAlgorithm"],
            ...Object.fromEntries(ENCRYPTION.map((t) => [t, ["bucket", "rules.applyServerSideEncryptionByDefault.sseAlgorithm"]])),
        },
        domain: "s3",
        description: "Every S3 bucket declares default server-side encryption (SSE-S3 or SSE-KMS).",
        prevents: "Data at rest whose encryption depends on an account default nobody reviewed.",
        severity: "high",
        remediation:
            "Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms (data) or AES256 (log delivery that cannot use KMS).",
        level: "mandatory",
        checkov: "CKV_AWS_19",
        pci: ["3.5.1"],
        check: (ctx) =>
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                const inline = inlineAlgorithms(bucket);
                const separate = companions(ctx, bucket, ENCRYPTION).flatMap((c) => encryptionAlgorithms(c.props.rules));
                if (![...inline, ...separate].some((a) => ALGORITHMS.includes(a))) {
                    ctx.report(`Bucket ${bucket.name} has no default encryption configuration.`, bucket.urn);
                }
            }),
    }),
    stackPolicy({
        name: "s3-tls-only",
        reads: { [BUCKET_TYPES[0]]: ["bucket", "policy"], [BUCKET_V2]: ["bucket", "policy"], [BUCKET_POLICY[0]]: ["bucket", "policy"] },
        domain: "s3",
        description: "Every S3 bucket policy denies requests that do not use TLS (aws:SecureTransport = false).",
        prevents: "Objects read or written over plain HTTP.",
        severity: "high",
        remediation:
            'Attach a bucket policy with a Deny statement for Principal "*", Action "s3:*", Condition Bool aws:SecureTransport "false" on the bucket and its objects.',
        level: "mandatory",
        check: (ctx) =>
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                const documents = [
                    ...(bucket.props.policy !== undefined ? [bucket.props.policy] : []),
                    ...companions(ctx, bucket, BUCKET_POLICY).map((p) => p.props.policy),
                ];
                if (!documents.some((d) => deniesInsecureTransport(d, `the policy of bucket ${bucket.name}`))) {
                    ctx.report(`Bucket ${bucket.name} has no policy denying aws:SecureTransport=false.`, bucket.urn);
                }
            }),
    }),
    stackPolicy({
        name: "s3-versioning",
        reads: {
            ...LOG_SOURCES,
            [BUCKET_TYPES[0]]: ["bucket", "versioning.enabled"],
            [BUCKET_V2]: ["bucket", "versionings.enabled"],
            ...Object.fromEntries(VERSIONING.map((t) => [t, ["bucket", "versioningConfiguration.status"]])),
        },
        domain: "s3",
        description: "Every S3 bucket that holds data (not a log delivery target) has versioning enabled.",
        prevents: "Data lost to an overwrite or a delete with no earlier version to restore.",
        severity: "medium",
        remediation: 'Add aws.s3.BucketVersioning with versioningConfiguration.status "Enabled".',
        level: "advisory",
        prodLevel: "mandatory",
        levelReason:
            "Restoring an overwritten object matters where payment data and audit evidence live; test and PR buckets hold disposable data and pay for every old version.",
        checkov: "CKV_AWS_21",
        trivy: "AVD-AWS-0090",
        check: (ctx) => {
            const logs = logTargets(ctx);
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                if (isLogBucket(bucket, logs)) {
                    return;
                }
                const inline = inlineVersioning(bucket);
                const separate = companions(ctx, bucket, VERSIONING).some((v) => v.props.versioningConfiguration?.status === "Enabled");
                if (!inline && !separate) {
                    unlessLogTarget(bucket, logs, () => ctx.report(`Data bucket ${bucket.name} does not enable versioning.`, bucket.urn));
                }
            });
        },
    }),
    stackPolicy({
        name: "s3-acls-disabled",
        reads: {
            [DISTRIBUTIONS[0]]: ["loggingConfig.bucket"],
            [BUCKET_TYPES[0]]: ["bucket", "acl", "grants"],
            [BUCKET_V2]: ["bucket", "acl", "grants"],
            ...Object.fromEntries(OWNERSHIP.map((t) => [t, ["bucket", "rule.objectOwnership"]])),
            ...Object.fromEntries(ACL.map((t) => [t, ["bucket"]])),
        },
        domain: "s3",
        description: "S3 buckets keep ACLs disabled (object ownership BucketOwnerEnforced, no ACL resources or grants).",
        prevents: "Access granted through object or bucket ACLs that bucket policies and IAM reviews do not show.",
        severity: "medium",
        remediation:
            'Remove acl/grants and aws.s3.BucketAcl; if you declare aws.s3.BucketOwnershipControls, use objectOwnership "BucketOwnerEnforced" (the default for new buckets).',
        level: "mandatory",
        checkov: "CKV2_AWS_65",
        check: (ctx) => {
            const cloudFrontLogs = cloudFrontLogTargets(ctx);
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                if (cloudFrontLogs.known.has(bucket)) {
                    return; // CloudFront standard logging delivers with an ACL (AWS requirement).
                }
                const ownership = companions(ctx, bucket, OWNERSHIP).map((o) => list(o.props.rule)[0]?.objectOwnership);
                if (ownership.some((o) => o !== "BucketOwnerEnforced")) {
                    unlessLogTarget(bucket, cloudFrontLogs, () =>
                        ctx.report(`Bucket ${bucket.name} sets object ownership ${ownership.join(", ")}, which enables ACLs.`, bucket.urn),
                    );
                }
                const inlineAcl = bucket.props.acl !== undefined && bucket.props.acl !== "private";
                if (inlineAcl || list(bucket.props.grants).length > 0 || companions(ctx, bucket, ACL).length > 0) {
                    ctx.report(`Bucket ${bucket.name} uses ACLs (acl, grants or aws.s3.BucketAcl).`, bucket.urn);
                }
            });
        },
    }),
    stackPolicy({
        name: "s3-lifecycle",
        reads: {
            ...sameReads(BUCKET_TYPES, ["bucket", "lifecycleRules.enabled"]),
            ...sameReads(LIFECYCLE, ["bucket", "rules.status"]),
        },
        domain: "s3",
        description:
            "Every S3 bucket has a lifecycle configuration with at least one enabled rule (expiring old versions, logs past retention, incomplete uploads).",
        prevents:
            "Old versions, abandoned multipart uploads and logs kept forever: cost, and data held past its retention period (PCI DSS 3.2.1).",
        severity: "low",
        remediation:
            "Add aws.s3.BucketLifecycleConfiguration for the bucket with an Enabled rule (noncurrentVersionExpiration, expiration, abortIncompleteMultipartUpload or transitions).",
        level: "mandatory",
        checkov: "CKV2_AWS_61",
        securityHub: ["S3.13"],
        pci: ["3.2.1"],
        check: (ctx) => {
            ctx.each(ofTypes(ctx.resources, BUCKET_TYPES), (bucket) => {
                const inline = list(bucket.props.lifecycleRules).some((rule) => rule.enabled === true);
                const separate = companions(ctx, bucket, LIFECYCLE).some((c) =>
                    list(c.props.rules).some((rule) => rule.status === "Enabled"),
                );
                if (!inline && !separate) {
                    ctx.report(`Bucket ${bucket.name} has no lifecycle configuration with an enabled rule.`, bucket.urn);
                }
            });
        },
    }),
];

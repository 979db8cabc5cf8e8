import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referrersOf } from "../lib/links";
import { list, ofTypes } from "../lib/values";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped engine JSON */

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

export const ECR_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "ecr-scan-and-encrypt",
        domain: "ecr",
        description: "ECR repositories scan images on push, keep tags immutable and encrypt with KMS.",
        prevents: "Images with known vulnerabilities deployed unnoticed, and a tag silently repointed to a different image.",
        severity: "high",
        remediation:
            'Set imageScanningConfiguration.scanOnPush true, imageTagMutability "IMMUTABLE" and encryptionConfigurations [{ encryptionType: "KMS" }].',
        level: "mandatory",
        checkov: "CKV_AWS_163",
        trivy: "AVD-AWS-0030",
        securityHub: ["ECR.1", "ECR.2"],
        pci: ["6.3.3", "11.3.1", "3.5.1"],
        types: [REPOSITORY],
        reads: { [REPOSITORY]: ["imageScanningConfiguration.scanOnPush", "imageTagMutability", "encryptionConfigurations.encryptionType"] },
        check: (repo, ctx) => {
            const missing = [
                repo.props.imageScanningConfiguration?.scanOnPush === true ? undefined : "scan on push",
                String(repo.props.imageTagMutability ?? "MUTABLE").startsWith("IMMUTABLE") ? undefined : "immutable tags",
                list(repo.props.encryptionConfigurations).some((c: any) => c.encryptionType === "KMS") ? undefined : "KMS encryption",
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                ctx.report(`Repository ${repo.name} lacks ${missing.join(", ")}.`);
            }
        },
    }),
    stackPolicy({
        name: "ecr-lifecycle-policy",
        domain: "ecr",
        description: "Every ECR repository has a lifecycle policy (aws.ecr.LifecyclePolicy) that expires old or untagged images.",
        prevents: "Years of vulnerable images kept pullable (and billed), and scan findings on images nobody runs.",
        severity: "low",
        remediation:
            "Add aws.ecr.LifecyclePolicy { repository: repo.name, policy } expiring untagged images after a few days and keeping the last N releases.",
        level: "mandatory",
        securityHub: ["ECR.3"],
        reads: { [REPOSITORY]: ["name"], [LIFECYCLE_POLICY]: ["repository"] },
        check: (ctx) => {
            const repositories = ofTypes(ctx.resources, [REPOSITORY]);
            const policies = ofTypes(ctx.resources, [LIFECYCLE_POLICY]);
            ctx.each(repositories, (repository) => {
                if (referrersOf(repository, "repository", policies, repositories, { nameKeys: ["name"] }).length === 0) {
                    ctx.report(`Repository ${repository.name} has no lifecycle policy.`, repository.urn);
                }
            });
        },
    }),
];

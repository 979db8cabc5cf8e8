import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import type { RegistryConfig } from "./config";
import { policyDocument } from "./policies/document";

/** Helm charts sit beside the images they deploy, as OCI artifacts under this prefix. */
export const CHART_PREFIX = "charts/";

/** What a cluster needs to pull an image or chart; pushing stays with the management account. */
export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

export function repositoryNames(config: Pick<RegistryConfig, "images" | "charts">): string[] {
    return [...config.images, ...config.charts.map((chart) => `${CHART_PREFIX}${chart}`)];
}

/** Untagged layers go after a few days; only the newest tagged images are kept. */
export function lifecyclePolicy(config: Pick<RegistryConfig, "maxImageCount" | "untaggedExpiryDays">): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${config.untaggedExpiryDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: config.untaggedExpiryDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${config.maxImageCount} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: config.maxImageCount },
                action: { type: "expire" },
            },
        ],
    });
}

export interface CentralRegistryArgs extends RegistryConfig {
    /** The accounts whose clusters pull (test, preprod, prod). */
    pullAccountIds: pulumi.Input<string>[];
}

/** The estate's one container and chart registry, in the management account. */
export class CentralRegistry extends pulumi.ComponentResource {
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: CentralRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:CentralRegistry", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const pullPolicy = pulumi.all(args.pullAccountIds).apply((accountIds) =>
            JSON.stringify(
                policyDocument({
                    Sid: "WorkloadAccountsPull",
                    Effect: "Allow",
                    Principal: { AWS: accountIds.map((id) => `arn:aws:iam::${id}:root`) },
                    Action: PULL_ACTIONS,
                }),
            ),
        );
        const urls: Record<string, pulumi.Output<string>> = {};
        for (const repositoryName of repositoryNames(args)) {
            const logical = namer.name("repo", { suffix: repositoryName });
            const repository = new aws.ecr.Repository(
                logical,
                {
                    name: repositoryName,
                    // A tag names one build forever: what was tested is what is promoted.
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS" }],
                },
                child,
            );
            new aws.ecr.LifecyclePolicy(logical, { repository: repository.name, policy: lifecyclePolicy(args) }, child);
            new aws.ecr.RepositoryPolicy(logical, { repository: repository.name, policy: pullPolicy }, child);
            urls[repositoryName] = repository.repositoryUrl;
        }
        this.repositoryUrls = pulumi.output(urls);
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}

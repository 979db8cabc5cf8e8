import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../lib/naming";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface CiIdentityArgs {
    env: string;
    accountId: string;
    githubRepository: string;
    branches: string[];
    environments: string[];
    deploymentRoleName: string;
    stateBucketArn: pulumi.Input<string>;
    kmsKeyArns: pulumi.Input<string>[];
}

/** The OIDC `sub` claims GitHub issues for this repository's workflows that may deploy. */
export function githubSubjects(repository: string, branches: string[], environments: string[]): string[] {
    return [
        ...branches.map((branch) => `repo:${repository}:ref:refs/heads/${branch}`),
        `repo:${repository}:pull_request`,
        ...environments.map((environment) => `repo:${repository}:environment:${environment}`),
    ];
}

export function ciTrustPolicy(providerArn: string, subjects: string[]): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActionsOfThisRepositoryOnly",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: subjects },
                },
            },
        ],
    };
}

export function ciPermissions(stateBucketArn: string, kmsKeyArns: string[], deploymentRoleName: string): aws.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListStateBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: stateBucketArn },
            { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${stateBucketArn}/*` },
            { Sid: "UseStateAndSecretsKeys", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: kmsKeyArns },
            // Everything else happens through each account's deployment role, which foundation creates.
            { Sid: "AssumeDeploymentRoles", Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: `arn:aws:iam::*:role/${deploymentRoleName}` },
        ],
    };
}

/** GitHub Actions' OIDC provider and the CI role that only this repository's workflows can assume. */
export class CiIdentity extends pulumi.ComponentResource {
    readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    readonly role: aws.iam.Role;

    constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:bootstrap:CiIdentity", name, {}, opts);
        const subjects = githubSubjects(args.githubRepository, args.branches, args.environments);
        this.oidcProvider = new aws.iam.OpenIdConnectProvider(
            physicalName(args.env, "github-actions"),
            { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: ["sts.amazonaws.com"] },
            { parent: this },
        );
        const roleName = physicalName(args.env, "ci", { kind: "iamRole" });
        this.role = new aws.iam.Role(
            roleName,
            {
                name: roleName,
                description: `GitHub Actions of ${args.githubRepository}`,
                assumeRolePolicy: this.oidcProvider.arn.apply((arn) => JSON.stringify(ciTrustPolicy(arn, subjects))),
                maxSessionDuration: 7200,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            roleName,
            {
                role: this.role.name,
                policy: pulumi
                    .all([args.stateBucketArn, pulumi.all(args.kmsKeyArns)])
                    .apply(([bucketArn, keyArns]) => JSON.stringify(ciPermissions(bucketArn, keyArns, args.deploymentRoleName))),
            },
            { parent: this },
        );
        this.registerOutputs({ roleArn: this.role.arn });
    }
}

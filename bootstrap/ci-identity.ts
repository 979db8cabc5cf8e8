import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    CI_TARGETS,
    CiTarget,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_HOST,
    PREVIEW_ROLE_NAME,
    PR_DEPLOYMENT_ROLE_NAME,
    TARGET_READS,
    TARGET_STACKS,
    TrustLevel,
    checkpointPattern,
    ciRoleName,
    decryptEnvironments,
    githubEnvironment,
    lockObjectPattern,
    secretsEnvironmentOf,
    stateObjectPatterns,
} from "../lib/ci-trust";
import { physicalName } from "../lib/naming";

export { GITHUB_OIDC_HOST };

/** One CI role: its trust level and, for preview and deploy, the environment it serves. */
export type CiRoleSpec = { level: "pr" } | { level: "preview" | "deploy"; target: CiTarget };

/** Every CI role the estate has: one for pull requests, one preview and one deploy role per target. */
export const CI_ROLES: CiRoleSpec[] = [
    { level: "pr" },
    ...CI_TARGETS.map((target): CiRoleSpec => ({ level: "preview", target })),
    ...CI_TARGETS.map((target): CiRoleSpec => ({ level: "deploy", target })),
];

export function ciRoleNameOf(spec: CiRoleSpec): string {
    return spec.level === "pr" ? ciRoleName("pr") : ciRoleName(spec.level, spec.target);
}

/** The state owner a role acts for: `pr` for the PR role, else its target. */
function stateOwner(spec: CiRoleSpec): CiTarget | "pr" {
    return spec.level === "pr" ? "pr" : spec.target;
}

const claim = (name: string) => `${GITHUB_OIDC_HOST}:${name}`;

/**
 * Who may become a CI role: exactly the GitHub OIDC tokens of this repository that need it.
 * - pr: `pull_request` tokens, and the scheduled PR garbage collector on main (only pr-gc.yml);
 * - preview: jobs in the `preview-<target>` GitHub environment (prod's has required reviewers);
 * - deploy: jobs in the `<target>` GitHub environment, of promote.yml, on main only.
 * `repository` cannot be customised by a repository's subject template, so it is pinned too.
 */
export function ciTrustPolicy(providerArn: string, repository: string, spec: CiRoleSpec): aws.iam.PolicyDocument {
    const statement = (sid: string, sub: string, extra: Record<string, string> = {}): aws.iam.PolicyStatement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [claim("aud")]: GITHUB_OIDC_AUDIENCE,
                [claim("sub")]: `repo:${repository}:${sub}`,
                [claim("repository")]: repository,
                ...extra,
            },
        },
    });
    const workflow = (file: string) => `${repository}/.github/workflows/${file}@refs/heads/main`;
    switch (spec.level) {
        case "pr":
            return {
                Version: "2012-10-17",
                Statement: [
                    statement("PullRequests", "pull_request"),
                    statement("PrGarbageCollectorOnMain", "ref:refs/heads/main", {
                        [claim("ref")]: "refs/heads/main",
                        [claim("job_workflow_ref")]: workflow("pr-gc.yml"),
                    }),
                ],
            };
        case "preview":
            return {
                Version: "2012-10-17",
                Statement: [statement("PreviewEnvironment", `environment:${githubEnvironment("preview", spec.target)}`)],
            };
        case "deploy":
            return {
                Version: "2012-10-17",
                Statement: [
                    statement("DeployEnvironmentFromMain", `environment:${githubEnvironment("deploy", spec.target)}`, {
                        [claim("ref")]: "refs/heads/main",
                        [claim("job_workflow_ref")]: workflow("promote.yml"),
                    }),
                ],
            };
    }
}

export interface CiPermissionsArgs {
    stateBucketArn: string;
    stateKeyArn: string;
    /** The secrets key of each environment. */
    secretsKeyArns: Record<CiTarget, string>;
    deploymentRoleName: string;
    region: string;
}

/**
 * What a CI role may do itself: its own stacks' state, the outputs of the stacks it references,
 * its environments' secrets keys, and assuming the one role of its level in the target accounts
 * (whose trust policies name only the matching CI role). `sts:TagSession` because
 * configure-aws-credentials tags every session it creates.
 */
export function ciPermissions(spec: CiRoleSpec, args: CiPermissionsArgs): aws.iam.PolicyDocument {
    const owner = stateOwner(spec);
    const objects = (patterns: string[]) => patterns.map((pattern) => `${args.stateBucketArn}/${pattern}`);
    const own = TARGET_STACKS[owner];
    const [ownEnv, ...readEnvs] = decryptEnvironments(owner);
    const writes = spec.level !== "preview";
    const assumable =
        spec.level === "pr" ? PR_DEPLOYMENT_ROLE_NAME : spec.level === "preview" ? PREVIEW_ROLE_NAME : args.deploymentRoleName;
    const statements: aws.iam.PolicyStatement[] = [
        // Object names only: what a role may read or write is decided below, per stack.
        {
            Sid: "ListState",
            Effect: "Allow" as const,
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
            Resource: args.stateBucketArn,
        },
        { Sid: "BackendMetadata", Effect: "Allow" as const, Action: "s3:GetObject", Resource: `${args.stateBucketArn}/.pulumi/meta.yaml` },
        writes
            ? {
                  Sid: "OwnState",
                  Effect: "Allow" as const,
                  Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  Resource: objects(own.flatMap(stateObjectPatterns)),
              }
            : { Sid: "OwnStateReadOnly", Effect: "Allow" as const, Action: "s3:GetObject", Resource: objects(own.map(checkpointPattern)) },
        ...(writes
            ? []
            : [
                  {
                      Sid: "PreviewLocks",
                      Effect: "Allow" as const,
                      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                      Resource: objects(own.map(lockObjectPattern)),
                  },
              ]),
        ...(TARGET_READS[owner].length === 0
            ? []
            : [
                  {
                      Sid: "ReferencedOutputs",
                      Effect: "Allow" as const,
                      Action: "s3:GetObject",
                      Resource: objects(TARGET_READS[owner].map(checkpointPattern)),
                  },
              ]),
        {
            Sid: "StateBucketKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            Resource: args.stateKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } },
        },
        {
            Sid: "OwnSecretsKey",
            Effect: "Allow",
            Action: writes ? ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"] : ["kms:Decrypt", "kms:DescribeKey"],
            Resource: args.secretsKeyArns[ownEnv],
        },
        ...(readEnvs.length === 0
            ? []
            : [
                  {
                      Sid: "ReferencedStacksSecretsKeys",
                      Effect: "Allow" as const,
                      Action: "kms:Decrypt",
                      Resource: readEnvs.map((env) => args.secretsKeyArns[env]),
                  },
              ]),
        {
            Sid: "AssumeTargetRole",
            Effect: "Allow" as const,
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Resource: `arn:aws:iam::*:role/${assumable}`,
        },
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/** The CI roles that use an environment's secrets key: to encrypt (its own stacks) or only to decrypt (readers). */
export function secretsKeyUsers(env: CiTarget): { encrypt: CiRoleSpec[]; decrypt: CiRoleSpec[] } {
    const encrypt = CI_ROLES.filter((spec) => spec.level !== "preview" && secretsEnvironmentOf(stateOwner(spec)) === env);
    const decrypt = CI_ROLES.filter((spec) => !encrypt.includes(spec) && decryptEnvironments(stateOwner(spec)).includes(env));
    return { encrypt, decrypt };
}

export interface CiIdentityArgs {
    env: string;
    githubRepository: string;
}

/** GitHub Actions' OIDC provider and one role per trust level and target, created before the keys that name them. */
export class CiIdentity extends pulumi.ComponentResource {
    readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    readonly roles: Map<string, aws.iam.Role> = new Map();

    constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:bootstrap:CiIdentity", name, {}, opts);
        this.oidcProvider = new aws.iam.OpenIdConnectProvider(
            physicalName(args.env, "github-actions"),
            { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE] },
            { parent: this },
        );
        for (const spec of CI_ROLES) {
            const roleName = ciRoleNameOf(spec);
            this.roles.set(
                roleName,
                new aws.iam.Role(
                    roleName,
                    {
                        name: roleName,
                        description: describe(spec, args.githubRepository),
                        assumeRolePolicy: this.oidcProvider.arn.apply((arn) =>
                            JSON.stringify(ciTrustPolicy(arn, args.githubRepository, spec)),
                        ),
                        maxSessionDuration: 7200,
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({});
    }

    role(spec: CiRoleSpec): aws.iam.Role {
        return this.roles.get(ciRoleNameOf(spec))!;
    }

    /** The identity policies, once the state bucket and the keys exist. */
    grant(args: pulumi.Input<CiPermissionsArgs>): void {
        for (const spec of CI_ROLES) {
            const role = this.role(spec);
            new aws.iam.RolePolicy(
                ciRoleNameOf(spec),
                {
                    role: role.name,
                    policy: pulumi.output(args).apply((resolved) => JSON.stringify(ciPermissions(spec, resolved as CiPermissionsArgs))),
                },
                { parent: this },
            );
        }
    }
}

function describe(spec: CiRoleSpec, repository: string): string {
    const level: Record<TrustLevel, string> = {
        pr: "pull requests (PR environments in the test account only)",
        preview: "read-only previews",
        deploy: "deployments from main",
    };
    return `GitHub Actions of ${repository}: ${level[spec.level]}${spec.level === "pr" ? "" : ` of ${spec.target} (GitHub environment ${githubEnvironment(spec.level, spec.target)})`}`;
}

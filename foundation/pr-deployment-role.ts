import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { vpcFunctionUnscopedStatement } from "../lib/aws";
import { PR_BOUNDARY_POLICY_NAME, PR_DEPLOYMENT_ROLE_NAME, PR_NAME_PATTERN, PR_TAG, prBoundaryArn } from "../lib/ci-trust";
import { pullRequestProvisionerName } from "../lib/provisioning";
import { Namer } from "../lib/naming";
import { policyDocument, StaticPolicyDocument } from "./policies/document";

const PR = PR_NAME_PATTERN;
/** PostgreSQL users of pull requests (workloads/tenancy.ts: `payments_pr_<n>`). */
const PR_DATABASE_USER_PATTERN = "payments_pr_*";
const tagged = { Null: { [`aws:ResourceTag/${PR_TAG}`]: "false" } };
const taggedOnCreate = { Null: { [`aws:RequestTag/${PR_TAG}`]: "false" } };

/** An ARN in the given account (the test account here), in any region. */
function accountArn(accountId: string, service: string, resource: string): string {
    return `arn:aws:${service}:*:${accountId}:${resource}`;
}

/**
 * A pull request's own data: its pr-* buckets and their objects, tables (with their indexes and
 * streams) and queues. Both the deployment role and the boundary of every role a PR creates grant on them.
 */
function prDataArns(accountId: string): string[] {
    return [
        `arn:aws:s3:::${PR}`,
        `arn:aws:s3:::${PR}/*`,
        accountArn(accountId, "dynamodb", `table/${PR}`),
        accountArn(accountId, "dynamodb", `table/${PR}/*`),
        accountArn(accountId, "sqs", PR),
    ];
}

/**
 * What Pulumi reads to plan a pr-<n> stack (the shared platform included) and nothing it could
 * use to read data: no object, item, message or secret reads outside pr-* resources.
 */
const PLANNING_READS = [
    "sts:GetCallerIdentity",
    "ec2:Describe*",
    "eks:Describe*",
    "eks:List*",
    "elasticloadbalancing:Describe*",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "rds:Describe*",
    "es:Describe*",
    "es:List*",
    "route53:GetHostedZone",
    "route53:GetChange",
    "route53:ListHostedZones",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "sqs:ListQueues",
    "lambda:ListFunctions",
    "lambda:ListEventSourceMappings",
    "lambda:GetEventSourceMapping",
    "logs:DescribeLogGroups",
    "cloudwatch:DescribeAlarms",
    "dynamodb:ListTables",
    "kms:ListAliases",
    "acm:DescribeCertificate",
    "acm:ListCertificates",
    "tag:GetResources",
];

/** What a pr-<n> stack does with the keys it creates (and services do with them on its behalf). */
const PR_KEY_ACTIONS = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:EnableKeyRotation",
    "kms:UpdateKeyDescription",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:CreateGrant",
];

/**
 * The PR deployment role in the test account: creates, changes and deletes only pr-* named or
 * PullRequest-tagged resources, reads the shared test platform, and every role it creates carries
 * the PR boundary (which it cannot remove, replace or edit).
 */
export function prDeploymentPolicy(accountId: string): StaticPolicyDocument {
    const arn = (service: string, resource: string) => accountArn(accountId, service, resource);
    const boundary = prBoundaryArn(accountId);
    const roles = `arn:aws:iam::${accountId}:role/${PR}`;
    return policyDocument(
        { Sid: "PlanAgainstTheSharedPlatform", Effect: "Allow", Action: PLANNING_READS, Resource: "*" },
        {
            Sid: "PrNamedResources",
            Effect: "Allow",
            Action: ["s3:*", "dynamodb:*", "sqs:*", "sns:*", "lambda:*", "logs:*"],
            Resource: [
                ...prDataArns(accountId),
                // The PR's alarm topic, its policy and subscriptions (subscription ARNs extend the topic's).
                arn("sns", PR),
                arn("lambda", `function:${PR}`),
                arn("logs", `log-group:/aws/lambda/${PR}`),
                arn("logs", `log-group:/aws/lambda/${PR}:*`),
            ],
        },
        {
            // The platform's PR provisioner holds the shared master secret; a PR may only ask it for its own data.
            Sid: "InvokeThePlatformsPrProvisioner",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: arn("lambda", `function:${pullRequestProvisionerName()}`),
        },
        {
            Sid: "PrEventSourceMappings",
            Effect: "Allow",
            Action: [
                "lambda:CreateEventSourceMapping",
                "lambda:UpdateEventSourceMapping",
                "lambda:DeleteEventSourceMapping",
                "lambda:TagResource",
            ],
            Resource: "*",
            Condition: { ArnLike: { "lambda:FunctionArn": arn("lambda", `function:${PR}`) } },
        },
        {
            Sid: "PrAlarmsAndKeyAliases",
            Effect: "Allow",
            Action: [
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
                "cloudwatch:ListTagsForResource",
                "kms:CreateAlias",
                "kms:DeleteAlias",
                "kms:UpdateAlias",
            ],
            Resource: [arn("cloudwatch", `alarm:${PR}`), arn("kms", `alias/${PR}`)],
        },
        {
            Sid: "CreateOnlyTagged",
            Effect: "Allow",
            Action: ["kms:CreateKey", "kms:TagResource", "eks:CreatePodIdentityAssociation"],
            Resource: "*",
            Condition: taggedOnCreate,
        },
        {
            Sid: "ChangeOnlyTagged",
            Effect: "Allow",
            Action: [
                ...PR_KEY_ACTIONS,
                "eks:DescribePodIdentityAssociation",
                "eks:UpdatePodIdentityAssociation",
                "eks:DeletePodIdentityAssociation",
                "eks:TagResource",
                "eks:UntagResource",
            ],
            Resource: "*",
            Condition: tagged,
        },
        {
            Sid: "RecordsOfPrHostsOnly",
            Effect: "Allow",
            Action: "route53:ChangeResourceRecordSets",
            Resource: "arn:aws:route53:::hostedzone/*",
            Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`${PR}`] } },
        },
        {
            Sid: "CreateRolesOnlyWithTheBoundary",
            Effect: "Allow",
            Action: [
                "iam:CreateRole",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
            ],
            Resource: roles,
            Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
        },
        {
            Sid: "ManagePrRoles",
            Effect: "Allow",
            Action: [
                "iam:DeleteRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:ListRoleTags",
            ],
            Resource: roles,
        },
        {
            Sid: "PassPrRolesToTheirServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "pods.eks.amazonaws.com"] } },
        },
        {
            // CreateKey with tags needs kms:TagResource on every key; without this a PR could tag
            // another environment's key PullRequest and then use it. Every key carries Environment.
            Sid: "NeverOtherEnvironmentsKeys",
            Effect: "Deny",
            Action: "kms:*",
            Resource: "*",
            Condition: { StringNotLike: { "aws:ResourceTag/Environment": `${PR}` }, Null: { "aws:ResourceTag/Environment": "false" } },
        },
        { Sid: "KeepTheBoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
        {
            Sid: "NeverEditTheBoundary",
            Effect: "Deny",
            Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
            Resource: boundary,
        },
    );
}

/**
 * The most any role a pull request creates may do: its own pr-* data, the shared test data
 * services (whose per-PR isolation is by database and index prefix), logs and its VPC network
 * interfaces. No IAM at all, so no role created this way can create or widen another.
 */
export function prBoundaryPolicy(accountId: string): StaticPolicyDocument {
    const arn = (service: string, resource: string) => accountArn(accountId, service, resource);
    return policyDocument(
        {
            Sid: "OwnPrData",
            Effect: "Allow",
            Action: ["s3:*", "dynamodb:*", "sqs:*", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [...prDataArns(accountId), arn("logs", `log-group:/aws/lambda/${PR}:*`)],
        },
        {
            Sid: "OwnPrKeys",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resource: "*",
            Condition: tagged,
        },
        // The worker pages on-call through its own alarm topic on configuration errors.
        { Sid: "OwnPrAlarmTopics", Effect: "Allow", Action: "sns:Publish", Resource: arn("sns", PR) },
        {
            // Logging in as its own user only (payments_pr_<n>): never as the test environment's worker or the master.
            Sid: "OwnDatabaseUsers",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: arn("rds-db", `dbuser:*/${PR_DATABASE_USER_PATTERN}`),
        },
        {
            // Fine-grained access control on the shared domain maps each PR's worker to its own index only.
            Sid: "SharedTestDataServices",
            Effect: "Allow",
            Action: [
                "es:ESHttpGet",
                "es:ESHttpPost",
                "es:ESHttpPut",
                "es:ESHttpDelete",
                "es:ESHttpHead",
                "ses:SendEmail",
                "ses:SendRawEmail",
            ],
            Resource: "*",
        },
        // What every VPC Lambda of a PR needs (lib/aws.ts): the boundary admits exactly that.
        { ...vpcFunctionUnscopedStatement(), Sid: "LambdaInTheVpc" },
    );
}

/** Only the management account's PR CI role, session tags included (configure-aws-credentials tags sessions). */
export function prDeploymentTrustPolicy(prCiRoleArn: string): StaticPolicyDocument {
    return policyDocument({
        Sid: "PullRequestCiRole",
        Effect: "Allow",
        Principal: { AWS: prCiRoleArn },
        Action: ["sts:AssumeRole", "sts:TagSession"],
    });
}

export interface PrDeploymentRoleArgs {
    accountId: pulumi.Input<string>;
    prCiRoleArn: string;
}

/** The boundary policy and the PR deployment role of the test account. */
export class PrDeploymentRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly boundaryArn: pulumi.Output<string>;

    constructor(name: string, args: PrDeploymentRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:PrDeploymentRole", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const boundary = new aws.iam.Policy(
            namer.name("boundary"),
            {
                name: PR_BOUNDARY_POLICY_NAME,
                description: "Permissions boundary of every role a pull request creates",
                policy: pulumi.output(args.accountId).apply((id) => JSON.stringify(prBoundaryPolicy(id))),
            },
            child,
        );
        const role = new aws.iam.Role(
            namer.name("role"),
            {
                name: PR_DEPLOYMENT_ROLE_NAME,
                description: "Assumed by pull requests' CI jobs: pr-* resources only, the shared test platform read-only",
                assumeRolePolicy: JSON.stringify(prDeploymentTrustPolicy(args.prCiRoleArn)),
                maxSessionDuration: 3600,
            },
            child,
        );
        new aws.iam.RolePolicy(
            namer.name("role"),
            { role: role.name, policy: pulumi.output(args.accountId).apply((id) => JSON.stringify(prDeploymentPolicy(id))) },
            { ...child, dependsOn: [boundary] },
        );
        this.roleArn = role.arn;
        this.boundaryArn = boundary.arn;
        this.registerOutputs({ roleArn: this.roleArn, boundaryArn: this.boundaryArn });
    }
}

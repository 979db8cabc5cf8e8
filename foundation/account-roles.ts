import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CI_TARGETS, CiTarget, PREVIEW_ROLE_NAME, TARGET_ACCOUNT, ciRoleName, permissionSetRolePattern, roleArn } from "../lib/ci-trust";
import { AccountName } from "../lib/environments";
import { Namer } from "../lib/naming";
import { policyDocument } from "./policies/document";

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** Role names are the same in every account: the guardrails exempt them by name. */
export interface RoleNames {
    deployment: string;
    breakGlass: string;
}

export { permissionSetRolePattern };

/** Break-glass users live in the management account under this path, with hardware MFA. */
export const BREAK_GLASS_USER_PATH = "/break-glass/";

/**
 * Who may become the deployment role: the CI deploy roles of the environments this account hosts
 * (session tags included: configure-aws-credentials tags every session it creates), and platform
 * admins signed in to the management account through the PlatformAdmin permission set. Nobody else.
 */
export function deploymentTrustPolicy(managementAccountId: string, ciRoleArns: string[]): string {
    return JSON.stringify(
        policyDocument(
            { Sid: "EnvironmentCiRoles", Effect: "Allow", Principal: { AWS: ciRoleArns }, Action: ["sts:AssumeRole", "sts:TagSession"] },
            {
                Sid: "PlatformAdmins",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: { ArnLike: { "aws:PrincipalArn": permissionSetRolePattern(managementAccountId, "PlatformAdmin") } },
            },
        ),
    );
}

/** The CI deploy (or preview) roles an account's roles trust: those of the targets it hosts; foundation's for security. */
export function ciRoleArnsFor(account: AccountName, level: "deploy" | "preview", managementAccountId: string): string[] {
    const targets = account === "security" ? (["org"] as CiTarget[]) : CI_TARGETS.filter((target) => TARGET_ACCOUNT[target] === account);
    return targets.map((target) => roleArn(managementAccountId, ciRoleName(level, target)));
}

/** Read-only, and blind to data: what `pulumi preview` needs, nothing a pull request could exfiltrate. */
export function previewDataDenial(): string {
    return JSON.stringify(
        policyDocument({
            Sid: "NoDataReads",
            Effect: "Deny",
            Action: [
                "s3:GetObject*",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "sqs:ReceiveMessage",
                "secretsmanager:GetSecretValue",
                "ssm:GetParameter*",
                "kms:Decrypt",
                "lambda:GetFunction",
                "logs:GetLogEvents",
                "logs:FilterLogEvents",
                "logs:StartQuery",
            ],
            Resource: "*",
        }),
    );
}

/**
 * Break-glass works when Identity Center does not: sealed IAM users in the management account
 * (where the no-IAM-users SCP does not reach), with MFA.
 */
export function breakGlassTrustPolicy(managementAccountId: string): string {
    return JSON.stringify(
        policyDocument({
            Sid: "BreakGlassUsersWithMfa",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
            Action: "sts:AssumeRole",
            Condition: {
                ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${managementAccountId}:user${BREAK_GLASS_USER_PATH}*` },
                Bool: { "aws:MultiFactorAuthPresent": "true" },
            },
        }),
    );
}

export interface AccountRolesArgs {
    account: AccountName;
    managementAccountId: string;
    roleNames: RoleNames;
    /** The management account gets only the deployment role: break-glass there is the root user's job. */
    breakGlass: boolean;
}

/** The roles every stack and every incident responder enters an account through. */
export class AccountRoles extends pulumi.ComponentResource {
    readonly deploymentRoleArn: pulumi.Output<string>;
    readonly previewRoleArn: pulumi.Output<string>;
    readonly breakGlassRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: AccountRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:AccountRoles", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const role = (suffix: string, roleName: string, description: string, assumeRolePolicy: string, maxSessionDuration: number) => {
            const created = new aws.iam.Role(
                namer.name(suffix),
                { name: roleName, description, assumeRolePolicy, maxSessionDuration },
                child,
            );
            new aws.iam.RolePolicyAttachment(
                namer.name(suffix, { suffix: "admin" }),
                { role: created.name, policyArn: ADMINISTRATOR_ACCESS },
                child,
            );
            return created;
        };
        // Two hours: an EKS cluster update outlasts the one-hour default session.
        this.deploymentRoleArn = role(
            "deployment",
            args.roleNames.deployment,
            "Assumed by Pulumi stacks (CI and platform admins) to deploy into this account",
            deploymentTrustPolicy(args.managementAccountId, ciRoleArnsFor(args.account, "deploy", args.managementAccountId)),
            7200,
        ).arn;
        const preview = new aws.iam.Role(
            namer.name("preview"),
            {
                name: PREVIEW_ROLE_NAME,
                description: "Assumed by CI previews: read-only, no data reads",
                assumeRolePolicy: JSON.stringify(
                    policyDocument({
                        Sid: "PreviewCiRoles",
                        Effect: "Allow",
                        Principal: { AWS: ciRoleArnsFor(args.account, "preview", args.managementAccountId) },
                        Action: ["sts:AssumeRole", "sts:TagSession"],
                    }),
                ),
                maxSessionDuration: 3600,
            },
            child,
        );
        new aws.iam.RolePolicyAttachment(
            namer.name("preview", { suffix: "read-only" }),
            { role: preview.name, policyArn: READ_ONLY_ACCESS },
            child,
        );
        new aws.iam.RolePolicy(namer.name("preview", { suffix: "no-data" }), { role: preview.name, policy: previewDataDenial() }, child);
        this.previewRoleArn = preview.arn;
        if (args.breakGlass) {
            this.breakGlassRoleArn = role(
                "break-glass",
                args.roleNames.breakGlass,
                "Emergency access, exempt from the guardrails that stop everyone else",
                breakGlassTrustPolicy(args.managementAccountId),
                3600,
            ).arn;
        }
        this.registerOutputs({
            deploymentRoleArn: this.deploymentRoleArn,
            previewRoleArn: this.previewRoleArn,
            breakGlassRoleArn: this.breakGlassRoleArn,
        });
    }
}

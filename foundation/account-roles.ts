import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";
import { policyDocument } from "./policies/document";

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

/** Role names are the same in every account: the guardrails exempt them by name. */
export interface RoleNames {
    deployment: string;
    breakGlass: string;
}

/** Identity Center puts permission-set roles under this path, optionally with a region segment. */
export function permissionSetRolePattern(accountId: string, permissionSet: string): string {
    return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSet}_*`;
}

/** Break-glass users live in the management account under this path, with hardware MFA. */
export const BREAK_GLASS_USER_PATH = "/break-glass/";

/**
 * Who may become the deployment role: the management account's CI role, and platform admins
 * signed in to the management account through the PlatformAdmin permission set. Nobody else.
 */
export function deploymentTrustPolicy(managementAccountId: string, ciRoleArn: string): string {
    return JSON.stringify(
        policyDocument(
            { Sid: "ManagementCiRole", Effect: "Allow", Principal: { AWS: ciRoleArn }, Action: "sts:AssumeRole" },
            {
                Sid: "PlatformAdmins",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
                Action: "sts:AssumeRole",
                Condition: { ArnLike: { "aws:PrincipalArn": permissionSetRolePattern(managementAccountId, "PlatformAdmin") } },
            },
        ),
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
    managementAccountId: string;
    ciRoleArn: string;
    roleNames: RoleNames;
    /** The management account gets only the deployment role: break-glass there is the root user's job. */
    breakGlass: boolean;
}

/** The roles every stack and every incident responder enters an account through. */
export class AccountRoles extends pulumi.ComponentResource {
    readonly deploymentRoleArn: pulumi.Output<string>;
    readonly breakGlassRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: AccountRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:AccountRoles", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const role = (suffix: string, roleName: string, description: string, assumeRolePolicy: string, maxSessionDuration: number) => {
            const created = new aws.iam.Role(namer.name(suffix), { name: roleName, description, assumeRolePolicy, maxSessionDuration }, child);
            new aws.iam.RolePolicyAttachment(namer.name(suffix, { suffix: "admin" }), { role: created.name, policyArn: ADMINISTRATOR_ACCESS }, child);
            return created;
        };
        // Two hours: an EKS cluster update outlasts the one-hour default session.
        this.deploymentRoleArn = role(
            "deployment",
            args.roleNames.deployment,
            "Assumed by Pulumi stacks (CI and platform admins) to deploy into this account",
            deploymentTrustPolicy(args.managementAccountId, args.ciRoleArn),
            7200,
        ).arn;
        if (args.breakGlass) {
            this.breakGlassRoleArn = role("break-glass", args.roleNames.breakGlass, "Emergency access, exempt from the guardrails that stop everyone else", breakGlassTrustPolicy(args.managementAccountId), 3600).arn;
        }
        this.registerOutputs({ deploymentRoleArn: this.deploymentRoleArn, breakGlassRoleArn: this.breakGlassRoleArn });
    }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountName } from "../lib/environments";
import { Namer } from "../lib/naming";
import { policyDocument, StaticPolicyDocument } from "./policies/document";

export const PERMISSION_SET_NAMES = ["PlatformAdmin", "Developer", "ReadOnly", "SupportAdmin"] as const;
export type PermissionSetName = (typeof PERMISSION_SET_NAMES)[number];

const AWS_MANAGED = (name: string) => `arn:aws:iam::aws:policy/${name}`;

interface PermissionSetDefinition {
    description: string;
    /** ISO 8601: the longer the privilege, the shorter the session. */
    sessionDuration: string;
    managedPolicyArns: string[];
    inlinePolicy?: StaticPolicyDocument;
}

/**
 * ReadOnlyAccess can read every object, secret and table row; people who only need to look at
 * the estate must not read cardholder or customer data with it.
 */
const DENY_DATA_READS = policyDocument({
    Sid: "DenyDataPlaneReads",
    Effect: "Deny",
    Action: [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "kms:Decrypt",
        "sqs:ReceiveMessage",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "logs:StartQuery",
    ],
    Resource: "*",
});

export const PERMISSION_SETS: Record<PermissionSetName, PermissionSetDefinition> = {
    PlatformAdmin: {
        description: "Platform engineers: full administration; may assume the deployment roles",
        sessionDuration: "PT1H",
        managedPolicyArns: [AWS_MANAGED("AdministratorAccess")],
    },
    Developer: {
        description: "Service developers in non-production: everything but IAM and Organizations",
        sessionDuration: "PT8H",
        managedPolicyArns: [AWS_MANAGED("PowerUserAccess")],
    },
    ReadOnly: {
        description: "Read the configuration of the estate, not its data",
        sessionDuration: "PT8H",
        managedPolicyArns: [AWS_MANAGED("ReadOnlyAccess")],
        inlinePolicy: DENY_DATA_READS,
    },
    SupportAdmin: {
        description: "Support staff who operate the internal admin tool: view-only AWS plus AWS Support cases",
        sessionDuration: "PT4H",
        managedPolicyArns: [AWS_MANAGED("job-function/ViewOnlyAccess"), AWS_MANAGED("AWSSupportAccess")],
    },
};

export interface Assignment {
    group: string;
    permissionSet: PermissionSetName;
    account: AccountName;
}

/** Developers never change production by hand: a Developer assignment in prod grants ReadOnly. */
export function effectivePermissionSet(permissionSet: PermissionSetName, account: AccountName): PermissionSetName {
    return permissionSet === "Developer" && account === "prod" ? "ReadOnly" : permissionSet;
}

/** One row per (group, permission set, account), after the prod rule, without duplicates. */
export function resolveAssignments(
    assignments: { group: string; permissionSet: PermissionSetName; accounts: AccountName[] }[],
): Assignment[] {
    const rows = new Map<string, Assignment>();
    for (const { group, permissionSet, accounts } of assignments) {
        for (const account of accounts) {
            const row = { group, permissionSet: effectivePermissionSet(permissionSet, account), account };
            rows.set(`${row.group}/${row.permissionSet}/${row.account}`, row);
        }
    }
    return [...rows.values()];
}

export interface IdentityCenterArgs {
    instanceArn: string;
    /** Group name -> identity store group id. */
    groups: Record<string, string>;
    assignments: Assignment[];
    accountIds: Record<AccountName, pulumi.Input<string>>;
}

/** Identity Center permission sets and the group-to-account assignments (management account). */
export class IdentityCenter extends pulumi.ComponentResource {
    readonly permissionSetArns: Record<PermissionSetName, pulumi.Output<string>>;

    constructor(name: string, args: IdentityCenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:IdentityCenter", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const arns = {} as Record<PermissionSetName, pulumi.Output<string>>;
        for (const permissionSetName of PERMISSION_SET_NAMES) {
            const definition = PERMISSION_SETS[permissionSetName];
            const logical = namer.name("permission-set", { suffix: permissionSetName });
            // The physical name is fixed: deployment-role trust policies match the
            // AWSReservedSSO_<name>_* roles Identity Center derives from it.
            const permissionSet = new aws.ssoadmin.PermissionSet(
                logical,
                {
                    instanceArn: args.instanceArn,
                    name: permissionSetName,
                    description: definition.description,
                    sessionDuration: definition.sessionDuration,
                },
                child,
            );
            definition.managedPolicyArns.forEach((managedPolicyArn) => {
                new aws.ssoadmin.ManagedPolicyAttachment(
                    namer.name("permission-set", { suffix: `${permissionSetName}-${managedPolicyArn.split("/").pop()}` }),
                    { instanceArn: args.instanceArn, permissionSetArn: permissionSet.arn, managedPolicyArn },
                    child,
                );
            });
            if (definition.inlinePolicy) {
                new aws.ssoadmin.PermissionSetInlinePolicy(
                    logical,
                    {
                        instanceArn: args.instanceArn,
                        permissionSetArn: permissionSet.arn,
                        inlinePolicy: JSON.stringify(definition.inlinePolicy),
                    },
                    child,
                );
            }
            arns[permissionSetName] = permissionSet.arn;
        }
        this.permissionSetArns = arns;

        for (const { group, permissionSet, account } of args.assignments) {
            new aws.ssoadmin.AccountAssignment(
                namer.name("assignment", { suffix: `${group}-${permissionSet}-${account}` }),
                {
                    instanceArn: args.instanceArn,
                    permissionSetArn: arns[permissionSet],
                    principalType: "GROUP",
                    principalId: args.groups[group],
                    targetType: "AWS_ACCOUNT",
                    targetId: args.accountIds[account],
                },
                child,
            );
        }
        this.registerOutputs({ permissionSetArns: arns });
    }
}

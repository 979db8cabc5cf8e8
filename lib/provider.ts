import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountProviderArgs {
    region: string;
    /** The role to assume in the target account; omitted only for the account the credentials belong to. */
    roleArn?: pulumi.Input<string>;
    /** Shows up in CloudTrail as the assumed-role session name. */
    sessionName: string;
    tags: Record<string, string>;
    /** Refuses to run against any other account, the cheapest guard against a wrong profile. */
    allowedAccountIds?: pulumi.Input<string>[];
}

/**
 * The explicit provider every resource in a stack uses: it assumes the target account's role
 * and applies the standard tags as defaultTags, so no resource depends on ambient credentials.
 */
export function accountProvider(name: string, args: AccountProviderArgs, opts?: pulumi.ResourceOptions): aws.Provider {
    return new aws.Provider(
        name,
        {
            region: args.region as aws.Region,
            assumeRoles: args.roleArn === undefined ? undefined : [{ roleArn: args.roleArn, sessionName: args.sessionName }],
            allowedAccountIds: args.allowedAccountIds,
            defaultTags: { tags: args.tags },
        },
        opts,
    );
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREVIEW_ROLE_NAME } from "./ci-trust";

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
 * In a preview job (`PAYMENTS_TRUST_LEVEL=preview`, set by pull-request.yml) the CI role may assume
 * only each account's read-only preview role: the provider assumes that one instead. Updates never do.
 */
export function roleForTrustLevel(roleArn: string, trustLevel: string | undefined, dryRun: boolean): string {
    if (trustLevel !== "preview") {
        return roleArn;
    }
    if (!dryRun) {
        throw new Error("PAYMENTS_TRUST_LEVEL=preview: this job may only run previews (pulumi preview), not updates");
    }
    return roleArn.replace(/:role\/.*$/, `:role/${PREVIEW_ROLE_NAME}`);
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
            assumeRoles:
                args.roleArn === undefined
                    ? undefined
                    : [
                          {
                              roleArn: pulumi
                                  .output(args.roleArn)
                                  .apply((arn) => roleForTrustLevel(arn, process.env.PAYMENTS_TRUST_LEVEL, pulumi.runtime.isDryRun())),
                              sessionName: args.sessionName,
                          },
                      ],
            allowedAccountIds: args.allowedAccountIds,
            defaultTags: { tags: args.tags },
        },
        opts,
    );
}

import * as pulumi from "@pulumi/pulumi";
import { ProvisioningFunction } from "../lib/data/provisioning-function";
import { PULL_REQUEST_SCOPE, pullRequestProvisionerName } from "../lib/provisioning";
import type { PullRequestProvisionerSettings } from "../lib/provisioning-contract";
import { SharedDataServices } from "./outputs";

export interface PullRequestProvisionerArgs {
    privateSubnetIds: pulumi.Input<string[]>;
    /** The group every PR worker shares: the same egress (PostgreSQL, HTTPS) and nothing more. */
    securityGroupId: pulumi.Input<string>;
    shared: pulumi.Input<SharedDataServices>;
    searchMasterRoleArn: pulumi.Input<string>;
    logRetentionDays: number;
    logsKeyArn: pulumi.Input<string>;
}

/**
 * The one function every pr-<n> stack invokes to get its database, login user and search access
 * (and to drop them on `pr down`). It holds the test environment's shared master secret, which a
 * pull request's code never may: its role is the platform's, the PR deployment role may only
 * invoke it, and it accepts nothing but a PR number (lib/provisioning.ts, workloads/provisioner).
 */
export class PullRequestProvisioner extends pulumi.ComponentResource {
    readonly functionName: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;

    constructor(name: string, args: PullRequestProvisionerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:PullRequestProvisioner", name, {}, opts);
        const shared = pulumi.output(args.shared);
        const settings = pulumi
            .all([shared, args.searchMasterRoleArn])
            .apply(([data, searchMasterRoleArn]): PullRequestProvisionerSettings => ({
                PROVISIONER_SCOPE: PULL_REQUEST_SCOPE,
                DB_HOST: data.postgresEndpoint,
                DB_PORT: data.postgresPort,
                MASTER_SECRET_ARN: data.postgresSecretArn,
                SEARCH_ENDPOINT: `https://${data.opensearchEndpoint}`,
                SEARCH_MASTER_ROLE_ARN: searchMasterRoleArn,
            }));
        const fn = new ProvisioningFunction(
            name,
            {
                name: pullRequestProvisionerName(),
                description: "Creates and drops pull requests' databases, users and search access on the shared test data services",
                subnetIds: args.privateSubnetIds,
                securityGroupId: args.securityGroupId,
                masterSecretArn: shared.postgresSecretArn,
                searchMasterRoleArn: args.searchMasterRoleArn,
                logRetentionDays: args.logRetentionDays,
                logsKeyArn: args.logsKeyArn,
                variables: settings.apply((s) => ({ ...s, DB_PORT: String(s.DB_PORT) })),
            },
            { parent: this },
        );
        this.functionName = fn.function.name;
        this.functionArn = fn.function.arn;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}

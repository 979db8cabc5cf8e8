import * as pulumi from "@pulumi/pulumi";
import { AccountContext } from "../lib/aws";
import { Namer } from "../lib/naming";
import { PostgresDatabase, postgresDefaultsFor } from "../lib/data/database";
import { SearchDomain, searchDefaultsFor } from "../lib/data/search-domain";
import { sharedDataServices } from "../lib/data/shared-data";
import { provisionerRoleName, pullRequestProvisionerName } from "../lib/provisioning";
import { roleArn } from "../lib/ci-trust";
import { SharedDataServices } from "./outputs";

/** Sizing of the data services the test platform hosts for workloads/test and every pr-<n>. */
export interface SharedDataSizing {
    postgresInstanceClass: string;
    postgresAllocatedStorageGb: number;
    postgresMaxAllocatedStorageGb: number;
    searchInstanceType: string;
    searchInstanceCount: number;
    searchVolumeSizeGb: number;
}

export interface SharedDataArgs {
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    isolatedSubnetIds: pulumi.Input<string[]>;
    privateSubnetIds: pulumi.Input<string[]>;
    sizing: SharedDataSizing;
    context: AccountContext;
    /** The account's deployment role, which may also act as the search master (break-glass). */
    deployRoleArn: pulumi.Input<string>;
}

/**
 * The test environment's PostgreSQL and OpenSearch, owned by platform/test so that
 * workloads/test and every short-lived pr-<n> stack use them (a per-PR database name and index
 * prefix) instead of waiting for their own. Clients sit in the private subnets (pods, per-PR
 * Lambda workers whose security groups do not exist yet), so access is by VPC CIDR.
 */
export class SharedData extends pulumi.ComponentResource {
    readonly services: pulumi.Output<SharedDataServices>;
    /** The search domain's fine-grained access control master role: only the provisioners act as it. */
    readonly searchMasterRoleArn: pulumi.Output<string>;

    constructor(name: string, args: SharedDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:SharedData", name, {}, opts);
        const env = "test";
        const namer = new Namer(env);
        const database = new PostgresDatabase(
            namer.name("shared-postgres"),
            {
                env,
                vpcId: args.vpcId,
                subnetIds: args.isolatedSubnetIds,
                allowedCidrBlocks: [args.vpcCidr],
                instanceClass: args.sizing.postgresInstanceClass,
                allocatedStorageGb: args.sizing.postgresAllocatedStorageGb,
                maxAllocatedStorageGb: args.sizing.postgresMaxAllocatedStorageGb,
                databaseName: "payments",
                readReplicaCount: 0,
                ...postgresDefaultsFor(env),
            },
            { parent: this },
        );
        const search = new SearchDomain(
            namer.name("shared-search"),
            {
                env,
                vpcId: args.vpcId,
                subnetIds: args.privateSubnetIds,
                allowedCidrBlocks: [args.vpcCidr],
                instanceType: args.sizing.searchInstanceType,
                instanceCount: args.sizing.searchInstanceCount,
                volumeSizeGb: args.sizing.searchVolumeSizeGb,
                // The test account's only domain: its stack owns the OpenSearch service-linked role.
                createServiceLinkedRole: true,
                accountId: args.context.accountId,
                region: args.context.region,
                // workloads/test's own provisioner and the one every pull request invokes map index roles.
                masterRoleTrustedPrincipalArns: [
                    args.deployRoleArn,
                    ...[provisionerRoleName(env), pullRequestProvisionerName()].map((role) =>
                        pulumi.output(args.context.accountId).apply((account) => roleArn(account, role)),
                    ),
                ],
                ...searchDefaultsFor(env),
            },
            { parent: this },
        );
        this.services = sharedDataServices(database, search);
        this.searchMasterRoleArn = search.masterRole.arn;
        this.registerOutputs({ services: this.services, searchMasterRoleArn: this.searchMasterRoleArn });
    }
}

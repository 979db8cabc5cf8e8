import * as pulumi from "@pulumi/pulumi";
import type { PostgresDatabase } from "./database";
import type { SearchDomain } from "./search-domain";

export interface SharedDataServices {
    /** The test environment's PostgreSQL, shared by workloads/test and every pr-<n>. */
    postgresEndpoint: string;
    postgresPort: number;
    postgresInstanceArn: string;
    postgresResourceId: string;
    postgresSecretArn: string;
    opensearchEndpoint: string;
    opensearchDomainArn: string;
}

/**
 * The `sharedData` output of platform/test: what workloads/test and every pr-<n> need to use
 * the test environment's PostgreSQL and OpenSearch instead of creating their own.
 */
export function sharedDataServices(database: PostgresDatabase, search: SearchDomain): pulumi.Output<SharedDataServices> {
    return pulumi.output({
        postgresEndpoint: database.address,
        postgresPort: database.port,
        postgresInstanceArn: database.instanceArn,
        postgresResourceId: database.resourceId,
        postgresSecretArn: database.masterSecretArn,
        opensearchEndpoint: search.endpoint,
        opensearchDomainArn: search.domainArn,
    });
}

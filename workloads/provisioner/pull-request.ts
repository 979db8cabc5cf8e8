import { arnParts } from "../../lib/arn";
import { PullRequestEnvironment } from "../../lib/environments";
import { databaseNameFor, indexPrefixFor, workerDatabaseUserFor, workerRoleName } from "../tenancy";
import { transactionIndexName } from "../worker/contract";
import { DatabaseSpec } from "./database";
import { SearchAccessSpec } from "./search";

/**
 * Everything the PR provisioner creates for pull request `n`, derived from the number alone: the
 * database and login user `payments_pr_<n>`, the search role `payments-pr-<n>-worker` over
 * `payments-pr-<n>-transactions` mapped to the role `pr-<n>-payments-worker` of the domain's
 * account. No name of the test environment (`payments`, `payments_worker`) can come out of it,
 * so a pull request can neither read nor drop shared data through this function.
 */
export function pullRequestSpecs(pullRequest: number, searchMasterRoleArn: string): { database: DatabaseSpec; search: SearchAccessSpec } {
    const env: PullRequestEnvironment = `pr-${pullRequest}`;
    const { partition, account } = arnParts(searchMasterRoleArn);
    const prefix = indexPrefixFor(env);
    return {
        database: { database: databaseNameFor(env), workerUser: workerDatabaseUserFor(env), dropOnDelete: true },
        search: {
            roleName: `${prefix}-worker`,
            index: transactionIndexName(prefix),
            backendRoles: [`arn:${partition}:iam::${account}:role/${workerRoleName(env)}`],
            dropIndexOnDelete: true,
        },
    };
}

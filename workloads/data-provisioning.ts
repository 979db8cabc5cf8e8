import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment, pullRequestNumber } from "../lib/environments";
import { Namer } from "../lib/naming";
import { ProvisioningFunction } from "../lib/data/provisioning-function";
import { provisionerRoleName } from "../lib/provisioning";
import type { PullRequestProvisioningRequest } from "../lib/provisioning-contract";
import type { ProvisioningRequest } from "./provisioner";

type Input<T> = { [K in keyof T]: pulumi.Input<T[K]> };
type DatabaseRequest = Omit<Extract<ProvisioningRequest, { kind: "database" }>, "kind" | "tf">;
type SearchRequest = Omit<Extract<ProvisioningRequest, { kind: "search" }>, "kind" | "tf">;

/** A full environment owns its migration identity: the master secret is its own deployment's anyway. */
export interface OwnProvisioning {
    kind: "own";
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** A group that may reach PostgreSQL (5432) and the OpenSearch domain and AWS APIs (443). */
    securityGroupId: pulumi.Input<string>;
    database: Input<DatabaseRequest>;
    search: Input<Omit<SearchRequest, "backendRoles">> & { backendRoles: pulumi.Input<string>[] };
    logRetentionDays: number;
    logsKeyArn: pulumi.Input<string>;
}

/** A pull request asks platform/test's PR provisioner, handing it its number only (lib/provisioning.ts). */
export interface PullRequestProvisioning {
    kind: "pull-request";
    /** The platform's function (PlatformOutputs.pullRequestProvisionerFunctionName). */
    functionName: pulumi.Input<string>;
}

export interface DataProvisioningArgs {
    env: Environment;
    provisioner: OwnProvisioning | PullRequestProvisioning;
}

/**
 * The database, the worker's role and grants (INSERT, SELECT on the ledger) and the worker's search
 * role mapping, applied by a migration identity through `aws.lambda.Invocation`s with the CRUD
 * lifecycle: `pulumi up` creates and converges them, `pulumi destroy` of a PR drops its database,
 * user, search role and index. A full environment invokes its own provisioning function; a pull
 * request invokes the platform's, which alone holds the shared master secret.
 */
export class DataProvisioning extends pulumi.ComponentResource {
    /** What must exist before the worker consumes. */
    readonly invocations: aws.lambda.Invocation[];

    constructor(name: string, args: DataProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:DataProvisioning", name, {}, opts);
        const namer = new Namer(args.env);
        const invoke = (
            suffix: string,
            functionName: pulumi.Input<string>,
            input: pulumi.Input<Record<string, unknown>>,
            dependsOn: pulumi.Resource[],
        ) =>
            new aws.lambda.Invocation(
                namer.name("payments-provisioner", { suffix }),
                {
                    functionName,
                    // CRUD: the function also runs on update (converging grants) and on delete (dropping a PR's data).
                    lifecycleScope: "CRUD",
                    input: pulumi.output(input).apply((value) => JSON.stringify(value)),
                },
                // The function (and its permissions) must outlive the invocations on teardown.
                { parent: this, dependsOn },
            );

        const provisioner = args.provisioner;
        if (provisioner.kind === "pull-request") {
            const pullRequest = pullRequestNumber(args.env);
            if (pullRequest === undefined) {
                throw new Error(`${args.env} is not a pull request environment: only pr-<n> stacks use the platform's PR provisioner`);
            }
            // `tf` is added by the provider on every lifecycle call; the type check keeps the input to the contract.
            const request: Omit<PullRequestProvisioningRequest, "tf"> = { kind: "pull-request", pullRequest };
            this.invocations = [invoke("provisioning", provisioner.functionName, request, [])];
        } else {
            const own = new ProvisioningFunction(
                namer.name("payments-provisioner"),
                {
                    name: provisionerRoleName(args.env),
                    description: `Migration identity of ${args.env}: database, roles, grants, search role mapping`,
                    subnetIds: provisioner.subnetIds,
                    securityGroupId: provisioner.securityGroupId,
                    masterSecretArn: provisioner.database.masterSecretArn,
                    searchMasterRoleArn: provisioner.search.masterRoleArn,
                    logRetentionDays: provisioner.logRetentionDays,
                    logsKeyArn: provisioner.logsKeyArn,
                },
                { parent: this },
            );
            const after = [own.function, own.policy];
            this.invocations = [
                invoke("database", own.function.name, { kind: "database", ...provisioner.database }, after),
                invoke("search-access", own.function.name, { kind: "search", ...provisioner.search }, after),
            ];
        }
        this.registerOutputs({});
    }
}

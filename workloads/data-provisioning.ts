import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../lib/environments";
import { Namer } from "../lib/naming";
import { serviceTrustDocument, vpcFunctionUnscopedStatement } from "../lib/aws";
import type { ProvisioningRequest } from "./provisioner";
import { bundleProvisioner } from "./worker/bundle";
import { WORKER_ARCHITECTURE, WORKER_HANDLER, WORKER_RUNTIME, WORKER_RUNTIME_ENVIRONMENT } from "./worker/contract";

type Input<T> = { [K in keyof T]: pulumi.Input<T[K]> };
type DatabaseRequest = Omit<Extract<ProvisioningRequest, { kind: "database" }>, "kind" | "tf">;
type SearchRequest = Omit<Extract<ProvisioningRequest, { kind: "search" }>, "kind" | "tf">;

export interface DataProvisioningArgs {
    env: Environment;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** A group that may reach PostgreSQL (5432) and the OpenSearch domain and AWS APIs (443). */
    securityGroupId: pulumi.Input<string>;
    database: Input<DatabaseRequest>;
    search: Input<Omit<SearchRequest, "backendRoles">> & { backendRoles: pulumi.Input<string>[] };
    logRetentionDays: number;
}

/**
 * The migration identity of an environment's data: a provisioning function that logs in as the RDS
 * master user (its secret, never in state or in the input) and signs as the OpenSearch master role,
 * invoked by two `aws.lambda.Invocation`s with the CRUD lifecycle, so `pulumi up` creates and
 * converges the database, the worker's role and grants (INSERT, SELECT on the ledger) and the
 * worker's search role mapping, and `pulumi destroy` of a PR drops its database and index.
 */
export class DataProvisioning extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly database: aws.lambda.Invocation;
    readonly searchAccess: aws.lambda.Invocation;

    constructor(name: string, args: DataProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:workloads:DataProvisioning", name, {}, opts);
        const namer = new Namer(args.env);
        const functionName = namer.name("payments-provisioner", { kind: "lambdaFunction" });
        const roleName = namer.name("payments-provisioner", { kind: "iamRole" });
        const child = { parent: this };

        const logGroup = new aws.cloudwatch.LogGroup(functionName, { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays }, child);
        const role = new aws.iam.Role(
            roleName,
            { name: roleName, description: `Applies ${args.env}'s database migrations, grants and search role mapping`, assumeRolePolicy: JSON.stringify(serviceTrustDocument("lambda.amazonaws.com")) },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            roleName,
            {
                role: role.name,
                policy: pulumi.all([args.database.masterSecretArn, args.search.masterRoleArn, logGroup.arn]).apply(([secretArn, masterRoleArn, logGroupArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "ReadMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
                            {
                                // The secret's key is the database's; only for decrypting this secret through Secrets Manager.
                                Sid: "DecryptMasterSecret",
                                Effect: "Allow",
                                Action: "kms:Decrypt",
                                Resource: "*",
                                Condition: {
                                    StringEquals: { "kms:EncryptionContext:SecretARN": secretArn },
                                    StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" },
                                },
                            },
                            { Sid: "ActAsSearchMaster", Effect: "Allow", Action: "sts:AssumeRole", Resource: masterRoleArn },
                            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
                            vpcFunctionUnscopedStatement(),
                        ],
                    } satisfies aws.iam.PolicyDocument),
                ),
            },
            child,
        );

        this.function = new aws.lambda.Function(
            functionName,
            {
                name: functionName,
                description: `Migration identity of ${args.env}: database, roles, grants, search role mapping`,
                role: role.arn,
                runtime: WORKER_RUNTIME,
                architectures: [WORKER_ARCHITECTURE],
                handler: WORKER_HANDLER,
                code: bundleProvisioner(),
                // A long migration runs here once per deployment, not on every worker cold start.
                timeout: 900,
                memorySize: 256,
                tracingConfig: { mode: "Active" },
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                replaceSecurityGroupsOnDestroy: true,
                environment: { variables: { ...WORKER_RUNTIME_ENVIRONMENT } },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            },
            { parent: this, dependsOn: [policy] },
        );

        const invoke = (suffix: string, input: pulumi.Input<Record<string, unknown>>) =>
            new aws.lambda.Invocation(
                namer.name("payments-provisioner", { suffix }),
                {
                    functionName: this.function.name,
                    // CRUD: the function also runs on update (converging grants) and on delete (dropping a PR's data).
                    lifecycleScope: "CRUD",
                    input: pulumi.output(input).apply((value) => JSON.stringify(value)),
                },
                // The function (and its permissions) must outlive the invocations on teardown.
                { parent: this, dependsOn: [this.function, policy] },
            );
        this.database = invoke("database", { kind: "database", ...args.database });
        this.searchAccess = invoke("search-access", { kind: "search", ...args.search });
        this.registerOutputs({ functionName: this.function.name });
    }
}

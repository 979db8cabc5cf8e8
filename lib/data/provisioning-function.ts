import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustDocument, vpcFunctionUnscopedStatement } from "../aws";
import { bundleProvisioner, LAMBDA_ARCHITECTURE, LAMBDA_HANDLER, LAMBDA_RUNTIME, LAMBDA_RUNTIME_ENVIRONMENT } from "../lambda-bundle";

export interface ProvisioningFunctionArgs {
    /** The function's and its role's name. */
    name: string;
    description: string;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** A group that may reach PostgreSQL (5432), the OpenSearch domain and AWS APIs (443). */
    securityGroupId: pulumi.Input<string>;
    /** The RDS-managed master secret it logs in with (never in state, never in its input). */
    masterSecretArn: pulumi.Input<string>;
    /** The search domain's fine-grained access control master role it acts as. */
    searchMasterRoleArn: pulumi.Input<string>;
    logRetentionDays: number;
    /** The account's logs key (lib/aws.ts createLogsKey), whose policy admits CloudWatch Logs. */
    logsKeyArn: pulumi.Input<string>;
    /** Settings beyond the runtime's own (lib/lambda-bundle.ts). */
    variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A migration identity: the provisioning function (workloads/provisioner) and the role that may read
 * the database's master secret and act as the search master, which nothing else holds. Workloads
 * create one per full environment; platform/test creates the one every pull request invokes.
 */
export class ProvisioningFunction extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    /** The role's policy: invocations must outlive neither it nor the function. */
    readonly policy: aws.iam.RolePolicy;

    constructor(name: string, args: ProvisioningFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:data:ProvisioningFunction", name, {}, opts);
        const child = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(
            args.name,
            { name: `/aws/lambda/${args.name}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );
        this.role = new aws.iam.Role(
            args.name,
            {
                name: args.name,
                description: args.description,
                assumeRolePolicy: JSON.stringify(serviceTrustDocument("lambda.amazonaws.com")),
            },
            child,
        );
        this.policy = new aws.iam.RolePolicy(
            args.name,
            {
                role: this.role.name,
                policy: pulumi
                    .all([args.masterSecretArn, args.searchMasterRoleArn, logGroup.arn])
                    .apply(([secretArn, masterRoleArn, logGroupArn]) =>
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
                                {
                                    Sid: "WriteOwnLogs",
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    Resource: `${logGroupArn}:*`,
                                },
                                vpcFunctionUnscopedStatement(),
                            ],
                        } satisfies aws.iam.PolicyDocument),
                    ),
            },
            child,
        );
        this.function = new aws.lambda.Function(
            args.name,
            {
                name: args.name,
                description: args.description,
                role: this.role.arn,
                runtime: LAMBDA_RUNTIME,
                architectures: [LAMBDA_ARCHITECTURE],
                handler: LAMBDA_HANDLER,
                code: bundleProvisioner(),
                // A long migration runs here once per deployment, not on every worker cold start.
                timeout: 900,
                memorySize: 256,
                tracingConfig: { mode: "Active" },
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                replaceSecurityGroupsOnDestroy: true,
                environment: {
                    variables: pulumi.output(args.variables ?? {}).apply((variables) => ({ ...LAMBDA_RUNTIME_ENVIRONMENT, ...variables })),
                },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            },
            { parent: this, dependsOn: [this.policy] },
        );
        this.registerOutputs({ functionName: this.function.name, functionArn: this.function.arn });
    }
}

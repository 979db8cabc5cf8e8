import * as pulumi from "@pulumi/pulumi";
import { accountProvider } from "../lib/provider";
import { standardTags } from "../lib/tags";
import { CiIdentity } from "./ci-identity";
import { readBootstrapConfig } from "./config";
import { StateBackend } from "./state-backend";

const config = readBootstrapConfig();
const env = "mgmt";
const provider = accountProvider("management", {
    region: config.region,
    sessionName: "payments-bootstrap",
    allowedAccountIds: [config.managementAccountId],
    tags: standardTags({ environment: env, layer: "bootstrap", owner: config.owner, costCenter: config.costCenter }),
});

const backend = new StateBackend("state", { env, region: config.region, accountId: config.managementAccountId, noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays }, { provider });
const ci = new CiIdentity(
    "ci",
    {
        env,
        accountId: config.managementAccountId,
        githubRepository: config.githubRepository,
        branches: config.ciBranches,
        environments: config.ciEnvironments,
        deploymentRoleName: config.deploymentRoleName,
        stateBucketArn: backend.bucket.arn,
        kmsKeyArns: [backend.stateKey.arn, backend.secretsKey.arn],
    },
    { provider },
);

export const backendUrl: pulumi.Output<string> = backend.backendUrl;
export const secretsProviderUrl: pulumi.Output<string> = backend.secretsProviderUrl;
export const ciRoleArn: pulumi.Output<string> = ci.role.arn;

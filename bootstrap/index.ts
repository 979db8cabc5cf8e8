import * as pulumi from "@pulumi/pulumi";
import { CI_TARGETS, CiTarget, permissionSetRolePattern } from "../lib/ci-trust";
import { accountProvider } from "../lib/provider";
import { standardTags } from "../lib/tags";
import { CI_ROLES, CiIdentity, ciRoleNameOf, secretsKeyUsers } from "./ci-identity";
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

// Roles first: the key policies name them, and KMS rejects policies naming principals that do not exist.
const ci = new CiIdentity("ci", { env, githubRepository: config.githubRepository }, { provider });
const keyUsers = Object.fromEntries(
    CI_TARGETS.map((target) => {
        const users = secretsKeyUsers(target);
        return [
            target,
            { encrypt: users.encrypt.map((spec) => ci.role(spec).arn), decrypt: users.decrypt.map((spec) => ci.role(spec).arn) },
        ];
    }),
) as Record<CiTarget, { encrypt: pulumi.Output<string>[]; decrypt: pulumi.Output<string>[] }>;

const backend = new StateBackend(
    "state",
    {
        env,
        region: config.region,
        accountId: config.managementAccountId,
        noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays,
        secretsKeyUsers: keyUsers,
        adminPrincipalPatterns: [permissionSetRolePattern(config.managementAccountId, "PlatformAdmin")],
    },
    { provider },
);
ci.grant(
    pulumi
        .all([
            backend.bucket.arn,
            backend.stateKey.arn,
            pulumi.all(Object.fromEntries(CI_TARGETS.map((target) => [target, backend.secretsKeys[target].arn]))),
        ])
        .apply(([stateBucketArn, stateKeyArn, secretsKeyArns]) => ({
            stateBucketArn,
            stateKeyArn,
            secretsKeyArns: secretsKeyArns as Record<CiTarget, string>,
            deploymentRoleName: config.deploymentRoleName,
            region: config.region,
        })),
);

export const backendUrl: pulumi.Output<string> = backend.backendUrl;
export const secretsProviderUrls: pulumi.Output<Record<CiTarget, string>> = backend.secretsProviderUrls;
/** What each workflow secret (PULUMI_CI_ROLE_*) holds: the CI role of each trust level and target. */
export const ciRoleArns: pulumi.Output<Record<string, string>> = pulumi.all(
    Object.fromEntries(CI_ROLES.map((spec) => [ciRoleNameOf(spec), ci.role(spec).arn])),
);

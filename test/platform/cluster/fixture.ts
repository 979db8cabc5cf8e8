import * as aws from "@pulumi/aws";
import { FullEnvironment } from "../../../lib/environments";
import { ClusterConfig, ClusterPlatform, ClusterPlatformArgs, HubClusterArgs, SpokeClusterArgs } from "../../../platform/cluster";
import { Inventory, synthesize } from "../../harness";

export const ACCOUNT = { mgmt: "111111111111", test: "222222222222", preprod: "333333333333", prod: "444444444444" } as const;
const role = (env: FullEnvironment, name: string) => `arn:aws:iam::${ACCOUNT[env]}:role/${name}`;

/** A valid cluster config per env, as the stack files hold it (docs/platform-cluster-config.yaml). */
export function clusterConfigFor(env: FullEnvironment): ClusterConfig {
    const prod = env === "prod";
    return {
        kubernetesVersion: "1.33",
        adminRoleArns: [role(env, "PlatformAdmin")],
        developerRoleArns: prod ? [] : [role(env, "Developer")],
        workloadNamespaces: env === "mgmt" ? [] : env === "test" ? ["payments", "pr-*"] : ["payments"],
        bootstrapPublicAccessCidrs: [],
        nodeGroups: {
            system: { instanceTypes: ["m7i.large"], minSize: prod ? 3 : 2, desiredSize: prod ? 3 : 2, maxSize: prod ? 4 : 3 },
            general: {
                instanceTypes: ["m7i.xlarge", "m6i.xlarge"],
                minSize: prod ? 3 : 1,
                desiredSize: prod ? 3 : 2,
                maxSize: prod ? 12 : 6,
            },
            spot: prod ? undefined : { instanceTypes: ["m7i.large", "m6i.large", "m5.large"], minSize: 0, desiredSize: 0, maxSize: 6 },
        },
        rootVolumeSizeGiB: 50,
        argocd:
            env === "mgmt"
                ? {
                      hostname: "argocd.mgmt.internal.example.com",
                      sourceRepos: ["https://github.com/example/payments-deploy.git"],
                      oidc: { name: "SSO", issuer: "https://example.okta.com", clientId: "argocd", adminGroups: ["platform-admins"] },
                  }
                : undefined,
    };
}

export const HUB_ROLE_ARN = role("mgmt", "mgmt-argocd-hub");

/** Synthesizes one env's ClusterPlatform in isolation, with `overrides` on the args. */
export function synthesizeCluster(env: FullEnvironment, overrides: Partial<ClusterPlatformArgs> = {}): Promise<Inventory> {
    return synthesize(
        () => {
            const provider = new aws.Provider("aws", { region: "us-east-1", allowedAccountIds: [ACCOUNT[env]] });
            const config = clusterConfigFor(env);
            const clusterRole:
                | Pick<HubClusterArgs, "role" | "argocd" | "runners" | "chartRepository" | "argocdServer">
                | Pick<SpokeClusterArgs, "role" | "hub"> =
                env === "mgmt"
                    ? {
                          role: "hub",
                          argocd: config.argocd!,
                          runners: { githubConfigUrl: "https://github.com/example/estate", maxRunners: { pr: 20, preview: 10, deploy: 4 } },
                          chartRepository: `${ACCOUNT.mgmt}.dkr.ecr.us-east-1.amazonaws.com/charts`,
                          argocdServer: {
                              targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT.mgmt}:targetgroup/mgmt-argocd-server/0123456789abcdef`,
                              albSecurityGroupId: "sg-0internalalb",
                          },
                      }
                    : {
                          role: "spoke",
                          hub: { kubeconfig: '{"apiVersion":"v1","kind":"Config"}', namespace: "argocd", hubRoleArn: HUB_ROLE_ARN },
                      };
            const platform = new ClusterPlatform(
                "cluster",
                {
                    env,
                    config,
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"],
                    deployRoleArn: role(env, `${env}-deployment`),
                    managementAccountId: ACCOUNT.mgmt,
                    privateZoneId: "Z0PRIVATEZONE",
                    tags: {
                        Environment: env,
                        Project: "payments",
                        Layer: "platform",
                        ManagedBy: "pulumi",
                        Owner: "platform",
                        CostCenter: "cc-1",
                    },
                    ...clusterRole,
                    ...overrides,
                } as ClusterPlatformArgs,
                { providers: [provider] },
            );
            return {
                clusterName: platform.clusterName,
                clusterEndpoint: platform.clusterEndpoint,
                clusterCertificateAuthority: platform.clusterCertificateAuthority,
                clusterOidcIssuer: platform.clusterOidcIssuer,
                clusterSecurityGroupId: platform.clusterSecurityGroupId,
                kubeconfig: platform.kubeconfig,
                metricsQueryEndpoint: platform.metricsQueryEndpoint,
                argocdNamespace: platform.argocdNamespace,
                argocdHubKubeconfig: platform.argocdHubKubeconfig,
                argocdHubRoleArn: platform.argocdHubRoleArn,
            };
        },
        { project: "platform", stack: env },
    );
}

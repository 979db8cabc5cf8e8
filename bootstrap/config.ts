import { DEFAULT_REGION } from "../lib/environments";
import { ConfigReader } from "../lib/config";

export interface BootstrapConfig {
    region: string;
    managementAccountId: string;
    owner: string;
    costCenter: string;
    /** `owner/name` of the repository whose workflows may assume the CI roles. */
    githubRepository: string;
    deploymentRoleName: string;
    noncurrentVersionRetentionDays: number;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

export function readBootstrapConfig(): BootstrapConfig {
    const reader = new ConfigReader();
    const config: BootstrapConfig = {
        region: reader.string("region", { default: DEFAULT_REGION }),
        managementAccountId: reader.accountId("managementAccountId", "the 12-digit management account id"),
        owner: reader.string("owner"),
        costCenter: reader.string("costCenter"),
        githubRepository: reader.string("githubRepository", { pattern: REPOSITORY, hint: "owner/name" }),
        deploymentRoleName: reader.string("deploymentRoleName", { pattern: NAME }),
        noncurrentVersionRetentionDays: reader.number("noncurrentVersionRetentionDays", { default: 90, min: 30, max: 3650, integer: true }),
    };
    reader.done();
    return config;
}

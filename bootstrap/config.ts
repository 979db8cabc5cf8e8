import { DEFAULT_REGION } from "../lib/environments";
import { ConfigReader } from "../lib/config";

export interface BootstrapConfig {
    region: string;
    managementAccountId: string;
    owner: string;
    costCenter: string;
    /** `owner/name` of the repository whose workflows may assume the CI role. */
    githubRepository: string;
    ciBranches: string[];
    ciEnvironments: string[];
    deploymentRoleName: string;
    noncurrentVersionRetentionDays: number;
}

const ACCOUNT_ID = /^[0-9]{12}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

function nameList(reader: ConfigReader, key: string, what: string): string[] {
    const list = reader.object<string[]>(key, { default: [] });
    if (!Array.isArray(list) || list.some((item) => typeof item !== "string" || !NAME.test(item))) {
        reader.problem(key, `must be a list of ${what} names`, `set ${key} to a YAML list such as [main]`);
        return [];
    }
    return list;
}

export function readBootstrapConfig(): BootstrapConfig {
    const reader = new ConfigReader();
    const config: BootstrapConfig = {
        region: reader.string("region", { default: DEFAULT_REGION }),
        managementAccountId: reader.string("managementAccountId", { pattern: ACCOUNT_ID, hint: "the 12-digit management account id" }),
        owner: reader.string("owner"),
        costCenter: reader.string("costCenter"),
        githubRepository: reader.string("githubRepository", { pattern: REPOSITORY, hint: "owner/name" }),
        ciBranches: nameList(reader, "ciBranches", "branch"),
        ciEnvironments: nameList(reader, "ciEnvironments", "GitHub environment"),
        deploymentRoleName: reader.string("deploymentRoleName", { pattern: NAME }),
        noncurrentVersionRetentionDays: reader.number("noncurrentVersionRetentionDays", { default: 90, min: 30, max: 3650, integer: true }),
    };
    if (config.ciBranches.length === 0 && config.ciEnvironments.length === 0) {
        reader.problem("ciBranches", "no branch and no environment may deploy, so the CI role would be unusable", "list at least one branch (e.g. main) in ciBranches");
    }
    reader.done();
    return config;
}

import { AlertSubscription, readAlertSubscription } from "../lib/alert-topic";
import { REGION_PATTERN } from "../lib/arn";
import { COMMON_CONFIG_KEYS, ConfigReader, DOMAIN_PATTERN } from "../lib/config";
import { AccountName, MEMBER_ACCOUNTS, MemberAccount } from "../lib/environments";
import { standardTags } from "../lib/tags";
import { PERMISSION_SET_NAMES, PermissionSetName } from "./identity-center";

/** The OUs of the organization (shared/CONVENTIONS.md), as paths from the root. */
export const ORGANIZATIONAL_UNITS = ["Security", "Workloads/NonProd", "Workloads/Prod"] as const;
export type OrganizationalUnitPath = (typeof ORGANIZATIONAL_UNITS)[number];

export const ALL_ACCOUNTS: readonly AccountName[] = ["management", ...MEMBER_ACCOUNTS];

/** The foundation stack's environment label: one stack for the whole organization. */
export const FOUNDATION_ENVIRONMENT = "org";

export interface MemberAccountConfig {
    /** The account name shown in Organizations and the Identity Center portal. */
    name: string;
    /** The root user's email: unique across all of AWS, so each account needs its own address. */
    email: string;
    ou: OrganizationalUnitPath;
}

export interface IdentityCenterConfig {
    /** Identity Center is enabled once in the console; its ids are recorded here rather than looked up. */
    instanceArn: string;
    identityStoreId: string;
    /** Group display name -> identity store group id. */
    groups: Record<string, string>;
    assignments: AssignmentConfig[];
}

export interface AssignmentConfig {
    group: string;
    permissionSet: PermissionSetName;
    accounts: AccountName[];
}

export interface BudgetConfig {
    monthlyLimitUsd: number;
    /** Alert when actual spend passes each of these percentages of the limit. */
    thresholdsPercent: number[];
    subscribers: string[];
}

export interface RegistryConfig {
    /** Service image repositories, by repository name. */
    images: string[];
    /** Helm chart (OCI) repositories: each is created as `charts/<name>`. */
    charts: string[];
    /** Tagged images kept per repository; older ones expire. */
    maxImageCount: number;
    untaggedExpiryDays: number;
}

export interface LogArchiveConfig {
    /** Object lock (compliance mode) retention: nobody, root included, can delete a log earlier. */
    objectLockDays: number;
    transitionToGlacierDays: number;
    expirationDays: number;
}

export interface FoundationConfig {
    region: string;
    owner: string;
    costCenter: string;
    tags: Record<string, string>;
    managementAccountId: string;
    /** `owner/name` of this repository on GitHub. */
    githubRepository: string;
    /** The same name in every account; must equal bootstrap's deploymentRoleName, which the CI role may assume. */
    deploymentRoleName: string;
    breakGlassRoleName: string;
    allowedRegions: string[];
    accounts: Record<MemberAccount, MemberAccountConfig>;
    identityCenter: IdentityCenterConfig;
    registry: RegistryConfig;
    logArchive: LogArchiveConfig;
    budgets: Record<AccountName, BudgetConfig>;
    /** The public domain whose zone (created here) every environment's zone is delegated from. */
    parentDomain: string;
    /** Who every budget alert pages besides the emails (the management account's budget alert topic's subscription). */
    budgetAlerts: AlertSubscription;
}

/** Every key the foundation reads: each must be in every foundation stack file. */
export const FOUNDATION_CONFIG_KEYS = [
    ...COMMON_CONFIG_KEYS,
    "managementAccountId",
    "githubRepository",
    "deploymentRoleName",
    "breakGlassRoleName",
    "allowedRegions",
    "accounts",
    "identityCenter",
    "registry",
    "logArchive",
    "budgets",
    "budgetAlerts",
    "parentDomain",
] as const;

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/;
const IDENTITY_STORE_ID = /^d-[0-9a-f]{10}$/;
const GROUP_ID = /^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** IAM role names (no path: the guardrails match `role/<name>`). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Organizations account names: 1-50 printable characters. */
const ACCOUNT_NAME = /^[\x20-\x7E]{1,50}$/;

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(reader: ConfigReader, key: string, value: unknown, what: string): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        reader.problem(key, `${what} must be a list of strings`, `set ${what} in foundation:${key.split(".")[0]} to a YAML list`);
        return [];
    }
    return value as string[];
}

function readAllowedRegions(reader: ConfigReader, region: string): string[] {
    const raw = reader.object<unknown>("allowedRegions");
    if (raw === undefined) {
        return [];
    }
    const regions = stringList(reader, "allowedRegions", raw, "allowedRegions");
    if (regions.length === 0) {
        reader.problem(
            "allowedRegions",
            "is empty: the region guardrail would deny every regional service",
            `set foundation:allowedRegions to e.g. [${region}, us-west-2]`,
        );
    }
    for (const r of regions.filter((r) => !REGION_PATTERN.test(r))) {
        reader.problem("allowedRegions", `"${r}" is not an AWS region name`, "use names like us-east-1");
    }
    if (region !== "" && !regions.includes(region)) {
        reader.problem("allowedRegions", `does not include the stacks' region ${region}`, `add ${region} to foundation:allowedRegions`);
    }
    return regions;
}

function readAccounts(reader: ConfigReader): Record<MemberAccount, MemberAccountConfig> {
    const raw = reader.object<unknown>("accounts");
    const accounts = {} as Record<MemberAccount, MemberAccountConfig>;
    if (raw === undefined) {
        return accounts;
    }
    if (!isRecord(raw)) {
        reader.problem("accounts", "is not a mapping", `set foundation:accounts to a mapping with ${MEMBER_ACCOUNTS.join(", ")}`);
        return accounts;
    }
    for (const key of Object.keys(raw).filter((k) => !(MEMBER_ACCOUNTS as readonly string[]).includes(k))) {
        reader.problem(
            "accounts",
            `"${key}" is not a member account of the estate`,
            `remove it, or add it to shared/CONVENTIONS.md first; the members are ${MEMBER_ACCOUNTS.join(", ")}`,
        );
    }
    for (const account of MEMBER_ACCOUNTS) {
        const entry = raw[account];
        if (!isRecord(entry)) {
            reader.problem("accounts", `has no entry for the ${account} account`, `add accounts.${account} with name, email and ou`);
            continue;
        }
        const name = String(entry.name ?? "");
        const email = String(entry.email ?? "");
        const ou = String(entry.ou ?? "");
        if (!ACCOUNT_NAME.test(name)) {
            reader.problem(
                "accounts",
                `accounts.${account}.name "${name}" is not 1-50 printable characters`,
                `set accounts.${account}.name, e.g. payments-${account}`,
            );
        }
        if (!EMAIL.test(email)) {
            reader.problem(
                "accounts",
                `accounts.${account}.email "${email}" is not an email address`,
                `set accounts.${account}.email to a mailbox you own, e.g. aws-${account}@example.com`,
            );
        }
        if (!(ORGANIZATIONAL_UNITS as readonly string[]).includes(ou)) {
            reader.problem(
                "accounts",
                `accounts.${account}.ou "${ou}" is not an OU of the organization`,
                `set accounts.${account}.ou to one of ${ORGANIZATIONAL_UNITS.join(", ")}`,
            );
        }
        accounts[account] = { name, email, ou: ou as OrganizationalUnitPath };
    }
    const listed = Object.entries(accounts);
    for (const field of ["name", "email"] as const) {
        const seen = new Map<string, string>();
        for (const [account, entry] of listed) {
            const value = entry[field].toLowerCase();
            const first = seen.get(value);
            if (value !== "" && first !== undefined) {
                reader.problem(
                    "accounts",
                    `accounts.${first} and accounts.${account} have the same ${field} "${entry[field]}"`,
                    `give every account its own ${field}`,
                );
            }
            seen.set(value, account);
        }
    }
    // The prod data guardrails are attached to Workloads/Prod: prod anywhere else would lose them.
    if (accounts.prod && accounts.prod.ou !== "Workloads/Prod" && (ORGANIZATIONAL_UNITS as readonly string[]).includes(accounts.prod.ou)) {
        reader.problem(
            "accounts",
            `accounts.prod.ou is "${accounts.prod.ou}", but the prod guardrails are attached to Workloads/Prod`,
            "set accounts.prod.ou to Workloads/Prod",
        );
    }
    return accounts;
}

function readIdentityCenter(reader: ConfigReader): IdentityCenterConfig {
    const raw = reader.object<unknown>("identityCenter");
    if (raw === undefined) {
        return { instanceArn: "", identityStoreId: "", groups: {}, assignments: [] };
    }
    const ic = isRecord(raw) ? raw : {};
    const instanceArn = String(ic.instanceArn ?? "");
    const identityStoreId = String(ic.identityStoreId ?? "");
    if (!INSTANCE_ARN.test(instanceArn)) {
        reader.problem(
            "identityCenter",
            `instanceArn "${instanceArn}" is not an Identity Center instance ARN`,
            "copy it from IAM Identity Center > Settings (arn:aws:sso:::instance/ssoins-<16 hex>)",
        );
    }
    if (!IDENTITY_STORE_ID.test(identityStoreId)) {
        reader.problem(
            "identityCenter",
            `identityStoreId "${identityStoreId}" is not an identity store id`,
            "copy it from IAM Identity Center > Settings (d-<10 hex>)",
        );
    }
    const groups: Record<string, string> = {};
    if (!isRecord(ic.groups)) {
        reader.problem(
            "identityCenter",
            "groups is not a mapping of group name to group id",
            "set identityCenter.groups, e.g. platform-admins: <group id>",
        );
    } else {
        for (const [group, id] of Object.entries(ic.groups)) {
            if (typeof id !== "string" || !GROUP_ID.test(id)) {
                reader.problem(
                    "identityCenter",
                    `groups.${group} "${String(id)}" is not an identity store group id`,
                    "copy the group id from IAM Identity Center > Groups",
                );
            }
            groups[group] = String(id);
        }
    }
    const assignments: AssignmentConfig[] = [];
    const rawAssignments = Array.isArray(ic.assignments) ? ic.assignments : [];
    if (!Array.isArray(ic.assignments)) {
        reader.problem(
            "identityCenter",
            "assignments is not a list",
            "set identityCenter.assignments to a list of { group, permissionSet, accounts }",
        );
    }
    rawAssignments.forEach((entry: unknown, i: number) => {
        const a = isRecord(entry) ? entry : {};
        const where = `assignments[${i}]`;
        const group = String(a.group ?? "");
        const permissionSet = String(a.permissionSet ?? "");
        const accounts = stringList(reader, "identityCenter", a.accounts, `identityCenter.${where}.accounts`);
        if (!(group in groups)) {
            reader.problem(
                "identityCenter",
                `${where}.group "${group}" is not in identityCenter.groups`,
                `add ${group} to identityCenter.groups or fix the name (known: ${Object.keys(groups).join(", ")})`,
            );
        }
        if (!(PERMISSION_SET_NAMES as readonly string[]).includes(permissionSet)) {
            reader.problem(
                "identityCenter",
                `${where}.permissionSet "${permissionSet}" is not a permission set`,
                `use one of ${PERMISSION_SET_NAMES.join(", ")}`,
            );
        }
        for (const account of accounts.filter((name) => !(ALL_ACCOUNTS as readonly string[]).includes(name))) {
            reader.problem(
                "identityCenter",
                `${where} assigns ${permissionSet} to the unknown account "${account}"`,
                `use account names from ${ALL_ACCOUNTS.join(", ")}`,
            );
        }
        assignments.push({ group, permissionSet: permissionSet as PermissionSetName, accounts: accounts as AccountName[] });
    });
    return { instanceArn, identityStoreId, groups, assignments };
}

function readRegistry(reader: ConfigReader): RegistryConfig {
    const raw = reader.object<unknown>("registry");
    if (raw === undefined) {
        return { images: [], charts: [], maxImageCount: 0, untaggedExpiryDays: 0 };
    }
    const registry = isRecord(raw) ? raw : {};
    const images = stringList(reader, "registry", registry.images, "registry.images");
    const charts = stringList(reader, "registry", registry.charts, "registry.charts");
    for (const name of [...images, ...charts].filter((n) => !REPOSITORY_NAME.test(n))) {
        reader.problem(
            "registry",
            `repository name "${name}" is not a valid ECR name`,
            "use lower-case letters, digits and . _ - (e.g. payments-api)",
        );
    }
    const positive = (field: string, value: unknown): number => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) {
            reader.problem("registry", `registry.${field} "${String(value)}" is not a positive integer`, `set registry.${field}`);
        }
        return n;
    };
    return {
        images,
        charts,
        maxImageCount: positive("maxImageCount", registry.maxImageCount),
        untaggedExpiryDays: positive("untaggedExpiryDays", registry.untaggedExpiryDays),
    };
}

function readLogArchive(reader: ConfigReader): LogArchiveConfig {
    const raw = reader.object<unknown>("logArchive");
    if (raw === undefined) {
        return { objectLockDays: 0, transitionToGlacierDays: 0, expirationDays: 0 };
    }
    const archive = isRecord(raw) ? raw : {};
    const days = (field: keyof LogArchiveConfig): number => {
        const n = Number(archive[field]);
        if (!Number.isInteger(n) || n < 1) {
            reader.problem(
                "logArchive",
                `logArchive.${field} "${String(archive[field])}" is not a positive number of days`,
                `set logArchive.${field}`,
            );
        }
        return n;
    };
    const config = {
        objectLockDays: days("objectLockDays"),
        transitionToGlacierDays: days("transitionToGlacierDays"),
        expirationDays: days("expirationDays"),
    };
    if (config.expirationDays <= Math.max(config.objectLockDays, config.transitionToGlacierDays)) {
        reader.problem(
            "logArchive",
            `expirationDays ${config.expirationDays} must be later than objectLockDays and transitionToGlacierDays`,
            "raise logArchive.expirationDays",
        );
    }
    return config;
}

function readBudgets(reader: ConfigReader): Record<AccountName, BudgetConfig> {
    const raw = reader.object<unknown>("budgets");
    const budgets = {} as Record<AccountName, BudgetConfig>;
    if (raw === undefined) {
        return budgets;
    }
    const all = isRecord(raw) ? raw : {};
    for (const key of Object.keys(all).filter((k) => !(ALL_ACCOUNTS as readonly string[]).includes(k))) {
        reader.problem("budgets", `"${key}" is not an account`, `use account names from ${ALL_ACCOUNTS.join(", ")}`);
    }
    for (const account of ALL_ACCOUNTS) {
        const entry = all[account];
        if (!isRecord(entry)) {
            reader.problem(
                "budgets",
                `has no budget for the ${account} account`,
                `add budgets.${account} with monthlyLimitUsd, thresholdsPercent and subscribers`,
            );
            continue;
        }
        const monthlyLimitUsd = Number(entry.monthlyLimitUsd);
        if (!Number.isFinite(monthlyLimitUsd) || monthlyLimitUsd <= 0) {
            reader.problem(
                "budgets",
                `budgets.${account}.monthlyLimitUsd "${String(entry.monthlyLimitUsd)}" is not a positive amount`,
                `set budgets.${account}.monthlyLimitUsd`,
            );
        }
        const thresholds = Array.isArray(entry.thresholdsPercent) ? entry.thresholdsPercent.map(Number) : [];
        if (thresholds.length === 0 || thresholds.some((t) => !Number.isFinite(t) || t <= 0 || t > 1000)) {
            reader.problem(
                "budgets",
                `budgets.${account}.thresholdsPercent must be a non-empty list of percentages (0-1000]`,
                `set budgets.${account}.thresholdsPercent, e.g. [50, 80, 100]`,
            );
        }
        const subscribers = stringList(reader, "budgets", entry.subscribers, `budgets.${account}.subscribers`);
        if (subscribers.length === 0 || subscribers.length > 10) {
            reader.problem(
                "budgets",
                `budgets.${account}.subscribers has ${subscribers.length} addresses; AWS Budgets takes 1 to 10 per notification`,
                `list 1-10 addresses in budgets.${account}.subscribers`,
            );
        }
        for (const email of subscribers.filter((s) => !EMAIL.test(s))) {
            reader.problem("budgets", `budgets.${account}.subscribers has "${email}", which is not an email address`, "fix the address");
        }
        budgets[account] = { monthlyLimitUsd, thresholdsPercent: thresholds, subscribers };
    }
    return budgets;
}

/** Reads and validates the whole foundation configuration; every problem is reported at once. */
export function loadFoundationConfig(): FoundationConfig {
    const reader = new ConfigReader("foundation");
    const region = reader.region();
    const owner = reader.string("owner");
    const costCenter = reader.string("costCenter");
    const managementAccountId = reader.accountId("managementAccountId", "the 12-digit management account id");
    const githubRepository = reader.string("githubRepository", { pattern: GITHUB_REPOSITORY, hint: "owner/name" });
    const deploymentRoleName = reader.string("deploymentRoleName", {
        pattern: ROLE_NAME,
        hint: "the bootstrap stack's deploymentRoleName, e.g. payments-deployment",
    });
    const breakGlassRoleName = reader.string("breakGlassRoleName", { pattern: ROLE_NAME, hint: "payments-break-glass" });
    if (deploymentRoleName !== "" && deploymentRoleName === breakGlassRoleName) {
        reader.problem(
            "breakGlassRoleName",
            "is the same as deploymentRoleName, so every deployment would be exempt from the break-glass-only guardrails",
            "give the break-glass role its own name",
        );
    }
    const config: FoundationConfig = {
        region,
        owner,
        costCenter,
        tags: standardTags({ environment: FOUNDATION_ENVIRONMENT, layer: "foundation", owner, costCenter }),
        managementAccountId,
        githubRepository,
        deploymentRoleName,
        breakGlassRoleName,
        allowedRegions: readAllowedRegions(reader, region),
        accounts: readAccounts(reader),
        identityCenter: readIdentityCenter(reader),
        registry: readRegistry(reader),
        logArchive: readLogArchive(reader),
        budgets: readBudgets(reader),
        budgetAlerts: readAlertSubscription(reader, "budgetAlerts"),
        parentDomain: reader.string("parentDomain", {
            pattern: DOMAIN_PATTERN,
            hint: "the lower-case public domain the environments live under, e.g. payments.example.com",
        }),
    };
    reader.done();
    return config;
}

import { ROLE_ARN_PATTERN } from "../../lib/arn";
import { ConfigReader, DOMAIN_PATTERN } from "../../lib/config";
import { KubernetesVersion, SUPPORTED_KUBERNETES_VERSIONS, isSupportedKubernetesVersion } from "./versions";

/** The one stack-file key the cluster side reads: `platform:cluster`, a YAML mapping. */
export const CLUSTER_CONFIG_KEY = "cluster";

export const NODE_GROUP_ROLES = ["system", "general", "spot"] as const;
export type NodeGroupRole = (typeof NODE_GROUP_ROLES)[number];

export interface NodeGroupSizing {
    instanceTypes: string[];
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

export interface ArgoCdOidcConfig {
    /** Display name on the login button. */
    name: string;
    issuer: string;
    clientId: string;
    /** IdP groups mapped to Argo CD's built-in admin role. */
    adminGroups: string[];
}

/** The hub's Argo CD: mgmt only. */
export interface ArgoCdConfig {
    /** Host Argo CD is served on (internal ALB / tailnet); also the OIDC redirect base. */
    hostname: string;
    /** Git repositories the per-env AppProjects may deploy from. */
    sourceRepos: string[];
    oidc: ArgoCdOidcConfig;
}

export interface ClusterConfig {
    kubernetesVersion: KubernetesVersion;
    /** IAM roles (e.g. the SSO PlatformAdmin permission-set role) given cluster-admin. */
    adminRoleArns: string[];
    /** IAM roles given read-only view; always empty in prod. */
    developerRoleArns: string[];
    /** Namespaces workloads (and Argo CD) deploy into; a trailing `*` matches a prefix (e.g. `pr-*`). */
    workloadNamespaces: string[];
    /** mgmt bootstrap only: CIDRs the public endpoint is opened to for one run; empty = private only. */
    bootstrapPublicAccessCidrs: string[];
    nodeGroups: { system: NodeGroupSizing; general: NodeGroupSizing; spot?: NodeGroupSizing };
    rootVolumeSizeGiB: number;
    /** Set in mgmt only. */
    argocd?: ArgoCdConfig;
}

/** The raw YAML shape; every field is checked before it becomes a ClusterConfig. */
interface RawClusterConfig {
    kubernetesVersion?: unknown;
    adminRoleArns?: unknown;
    developerRoleArns?: unknown;
    workloadNamespaces?: unknown;
    bootstrapPublicAccessCidrs?: unknown;
    nodeGroups?: Record<string, unknown>;
    rootVolumeSizeGiB?: unknown;
    argocd?: { hostname?: unknown; sourceRepos?: unknown; oidc?: Record<string, unknown> };
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A Kubernetes namespace name, or a prefix ending in `*` (EKS access scopes accept a trailing wildcard). */
const NAMESPACE = /^(?:[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?|[a-z0-9][-a-z0-9]{0,61}\*)$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** One node per AZ: the minimum that survives an AZ loss with capacity left in the other two. */
export const PROD_MIN_NODES_PER_GROUP = 3;

/** Reads fields of the `platform:cluster` mapping, naming each problem by its full path. */
class FieldReader {
    constructor(
        private readonly reader: ConfigReader,
        private readonly path: string,
    ) {}

    key(field: string): string {
        return `${this.path}.${field}`;
    }

    problem(field: string, problem: string, fix: string): void {
        this.reader.problem(this.key(field), problem, fix);
    }

    string(value: unknown, field: string, pattern: RegExp, example: string): string {
        if (typeof value !== "string" || value === "") {
            this.problem(field, "is required but not set", `set ${this.key(field)} to a value like ${example}`);
            return "";
        }
        if (!pattern.test(value)) {
            this.problem(field, `"${value}" is not valid`, `set ${this.key(field)} to a value like ${example}`);
        }
        return value;
    }

    strings(value: unknown, field: string, pattern: RegExp, example: string, options: { optional?: boolean } = {}): string[] {
        if (value === undefined && options.optional) {
            return [];
        }
        if (!Array.isArray(value)) {
            this.problem(field, "must be a list", `set ${this.key(field)} to a YAML list, e.g. [${example}]`);
            return [];
        }
        value.forEach((item, index) => this.string(item, `${field}[${index}]`, pattern, example));
        return value.filter((item): item is string => typeof item === "string");
    }

    integer(value: unknown, field: string, min: number, max: number): number {
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.problem(
                field,
                `${JSON.stringify(value)} is not an integer in ${min}..${max}`,
                `set ${this.key(field)} to an integer in ${min}..${max}`,
            );
            return min;
        }
        return value;
    }
}

/** Graviton (arm64) families carry a `g` right after the generation digit: m7g, t4g, c7gn. */
export function isGravitonInstanceType(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

function validCidr(value: string): boolean {
    const match = CIDR.exec(value);
    return match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
}

function readNodeGroup(fields: FieldReader, raw: unknown, role: NodeGroupRole, env: string): NodeGroupSizing {
    const field = `nodeGroups.${role}`;
    const group = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    if (raw === undefined) {
        fields.problem(field, "is required but not set", `add ${fields.key(field)} with instanceTypes, minSize, desiredSize and maxSize`);
    }
    const sizing: NodeGroupSizing = {
        instanceTypes: fields.strings(group.instanceTypes, `${field}.instanceTypes`, INSTANCE_TYPE, "m7i.large"),
        minSize: fields.integer(group.minSize, `${field}.minSize`, 0, 100),
        desiredSize: fields.integer(group.desiredSize, `${field}.desiredSize`, 0, 100),
        maxSize: fields.integer(group.maxSize, `${field}.maxSize`, 1, 100),
    };
    if (raw !== undefined && sizing.instanceTypes.length === 0) {
        fields.problem(`${field}.instanceTypes`, "is empty", `list at least one instance type in ${fields.key(`${field}.instanceTypes`)}`);
    }
    if (new Set(sizing.instanceTypes.map(isGravitonInstanceType)).size > 1) {
        fields.problem(
            `${field}.instanceTypes`,
            `mixes Graviton (arm64) and x86 types (${sizing.instanceTypes.join(", ")}); a node group runs one AMI architecture`,
            `list only arm64 or only x86 types in ${fields.key(`${field}.instanceTypes`)}`,
        );
    }
    if (!(sizing.minSize <= sizing.desiredSize && sizing.desiredSize <= sizing.maxSize)) {
        fields.problem(
            field,
            `sizes must satisfy minSize <= desiredSize <= maxSize (got ${sizing.minSize} / ${sizing.desiredSize} / ${sizing.maxSize})`,
            `adjust ${fields.key(field)}.minSize, desiredSize and maxSize`,
        );
    }
    if (env === "prod" && role !== "spot" && sizing.minSize < PROD_MIN_NODES_PER_GROUP) {
        fields.problem(
            `${field}.minSize`,
            `prod needs at least ${PROD_MIN_NODES_PER_GROUP} ${role} nodes (one per AZ) but minSize is ${sizing.minSize}`,
            `set ${fields.key(`${field}.minSize`)} to ${PROD_MIN_NODES_PER_GROUP} or more`,
        );
    }
    return sizing;
}

function readArgoCd(fields: FieldReader, raw: RawClusterConfig["argocd"], env: string): ArgoCdConfig | undefined {
    if (env !== "mgmt") {
        if (raw !== undefined) {
            fields.problem(
                "argocd",
                `is set in ${env}, but Argo CD runs only in the mgmt hub`,
                `remove ${fields.key("argocd")} from this stack file`,
            );
        }
        return undefined;
    }
    if (raw === undefined) {
        fields.problem(
            "argocd",
            "is required in mgmt (the Argo CD hub)",
            `add ${fields.key("argocd")} with hostname, sourceRepos and oidc`,
        );
        return undefined;
    }
    const oidc = raw.oidc ?? {};
    return {
        hostname: fields.string(raw.hostname, "argocd.hostname", DOMAIN_PATTERN, "argocd.mgmt.internal.example.com"),
        sourceRepos: fields.strings(
            raw.sourceRepos,
            "argocd.sourceRepos",
            /^https:\/\/\S+$/,
            "https://github.com/example/payments-deploy.git",
        ),
        oidc: {
            name: fields.string(oidc.name, "argocd.oidc.name", /^.{1,64}$/, "SSO"),
            issuer: fields.string(oidc.issuer, "argocd.oidc.issuer", /^https:\/\/\S+$/, "https://example.okta.com"),
            clientId: fields.string(oidc.clientId, "argocd.oidc.clientId", /^\S+$/, "argocd"),
            adminGroups: fields.strings(oidc.adminGroups, "argocd.oidc.adminGroups", /^\S.*$/, "platform-admins"),
        },
    };
}

function placeholderConfig(): ClusterConfig {
    const empty: NodeGroupSizing = { instanceTypes: [], minSize: 0, desiredSize: 0, maxSize: 0 };
    return {
        kubernetesVersion: SUPPORTED_KUBERNETES_VERSIONS[0],
        adminRoleArns: [],
        developerRoleArns: [],
        workloadNamespaces: [],
        bootstrapPublicAccessCidrs: [],
        nodeGroups: { system: empty, general: empty },
        rootVolumeSizeGiB: 50,
    };
}

/**
 * Parses `platform:cluster` for `env`, recording every problem on `reader` (the caller's
 * `reader.done()` throws them all at once). Returns a best-effort value even when invalid.
 */
export function parseClusterConfig(reader: ConfigReader, env: string): ClusterConfig {
    const fields = new FieldReader(reader, CLUSTER_CONFIG_KEY);
    const found = reader.object<RawClusterConfig | undefined>(CLUSTER_CONFIG_KEY, { default: undefined });
    if (found === undefined) {
        // object() has recorded the missing key; one problem says it better than one per field.
        return placeholderConfig();
    }
    if (typeof found !== "object" || found === null || Array.isArray(found)) {
        reader.problem(
            CLUSTER_CONFIG_KEY,
            "must be a YAML mapping",
            `rewrite ${reader.fullKey(CLUSTER_CONFIG_KEY)} as a mapping (see docs/platform-cluster-config.yaml)`,
        );
        return placeholderConfig();
    }
    const raw = found;

    const kubernetesVersion = fields.string(raw.kubernetesVersion, "kubernetesVersion", /^\d+\.\d+$/, SUPPORTED_KUBERNETES_VERSIONS[0]);
    if (kubernetesVersion !== "" && !isSupportedKubernetesVersion(kubernetesVersion)) {
        fields.problem(
            "kubernetesVersion",
            `"${kubernetesVersion}" has no pinned add-on versions (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
            `set ${fields.key("kubernetesVersion")} to one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}, or add the release to platform/cluster/versions.ts`,
        );
    }

    const adminRoleArns = fields.strings(
        raw.adminRoleArns,
        "adminRoleArns",
        ROLE_ARN_PATTERN,
        "arn:aws:iam::111111111111:role/PlatformAdmin",
    );
    if (Array.isArray(raw.adminRoleArns) && adminRoleArns.length === 0) {
        fields.problem(
            "adminRoleArns",
            "is empty: with cluster-creator admin off, nobody could administer the cluster",
            `list at least one role in ${fields.key("adminRoleArns")}`,
        );
    }
    const developerRoleArns = fields.strings(
        raw.developerRoleArns,
        "developerRoleArns",
        ROLE_ARN_PATTERN,
        "arn:aws:iam::111111111111:role/Developer",
        { optional: true },
    );
    if (env === "prod" && developerRoleArns.length > 0) {
        fields.problem(
            "developerRoleArns",
            "developers get no access to prod clusters",
            `set ${fields.key("developerRoleArns")} to [] in Pulumi.prod.yaml`,
        );
    }

    const bootstrapPublicAccessCidrs = fields.strings(
        raw.bootstrapPublicAccessCidrs,
        "bootstrapPublicAccessCidrs",
        CIDR,
        "203.0.113.10/32",
        { optional: true },
    );
    bootstrapPublicAccessCidrs.forEach((cidr, index) => {
        if (!validCidr(cidr) || cidr.endsWith("/0")) {
            fields.problem(
                `bootstrapPublicAccessCidrs[${index}]`,
                `"${cidr}" is not a narrow IPv4 CIDR`,
                "list only the bootstrap operator's addresses, e.g. 203.0.113.10/32",
            );
        }
    });
    if (env !== "mgmt" && bootstrapPublicAccessCidrs.length > 0) {
        fields.problem(
            "bootstrapPublicAccessCidrs",
            `only the mgmt cluster may open its endpoint for the bootstrap run; ${env} is reached over the Transit Gateway`,
            `set ${fields.key("bootstrapPublicAccessCidrs")} to [] in Pulumi.${env}.yaml`,
        );
    }

    const nodeGroups = raw.nodeGroups ?? {};
    if (raw.nodeGroups === undefined) {
        fields.problem(
            "nodeGroups",
            "is required but not set",
            `add ${fields.key("nodeGroups")} with system and general (and, outside prod, optionally spot)`,
        );
    }
    const spotRaw = nodeGroups.spot;
    if (env === "prod" && spotRaw !== undefined) {
        fields.problem(
            "nodeGroups.spot",
            "prod runs on on-demand capacity only",
            `remove ${fields.key("nodeGroups.spot")} from Pulumi.prod.yaml`,
        );
    }

    const config: ClusterConfig = {
        kubernetesVersion: kubernetesVersion as KubernetesVersion,
        adminRoleArns,
        developerRoleArns,
        workloadNamespaces: fields.strings(raw.workloadNamespaces, "workloadNamespaces", NAMESPACE, "payments"),
        bootstrapPublicAccessCidrs,
        nodeGroups: {
            system: readNodeGroup(fields, nodeGroups.system, "system", env),
            general: readNodeGroup(fields, nodeGroups.general, "general", env),
            spot: spotRaw === undefined || env === "prod" ? undefined : readNodeGroup(fields, spotRaw, "spot", env),
        },
        rootVolumeSizeGiB: raw.rootVolumeSizeGiB === undefined ? 50 : fields.integer(raw.rootVolumeSizeGiB, "rootVolumeSizeGiB", 20, 1000),
        argocd: readArgoCd(fields, raw.argocd, env),
    };
    const reserved = config.workloadNamespaces.filter((ns) => /^(kube-|argocd$|default$)/.test(ns));
    if (reserved.length > 0) {
        fields.problem("workloadNamespaces", `${reserved.join(", ")} are system namespaces`, "list only the namespaces workloads own");
    }
    return config;
}

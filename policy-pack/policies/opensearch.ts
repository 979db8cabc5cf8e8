import { PolicyDefinition, resourcePolicy } from "../lib/definition";
import { list } from "../lib/values";

export const DOMAIN = ["aws:opensearch/domain:Domain"];
const TLS12_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

export const OPENSEARCH_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "opensearch-in-vpc",
        domain: "opensearch",
        description: "OpenSearch domains are deployed in VPC subnets.",
        prevents: "A search index with payment data behind a public endpoint.",
        severity: "critical",
        remediation: "Set vpcOptions { subnetIds: <private subnets>, securityGroupIds: [...] }.",
        level: "mandatory",
        checkov: "CKV_AWS_137",
        types: DOMAIN,
        reads: { "aws:opensearch/domain:Domain": ["vpcOptions.subnetIds"] },
        check: (domain, ctx) => {
            if (list(domain.props.vpcOptions?.subnetIds).length === 0) {
                ctx.report(`OpenSearch domain ${domain.name} is not in a VPC.`);
            }
        },
    }),
    resourcePolicy({
        name: "opensearch-encryption-at-rest",
        domain: "opensearch",
        description: "OpenSearch domains encrypt data at rest.",
        prevents: "Index data, logs and snapshots readable without KMS access.",
        severity: "high",
        remediation: "Set encryptAtRest: { enabled: true, kmsKeyId: <data key> } (cannot be changed after creation).",
        level: "mandatory",
        checkov: "CKV_AWS_5",
        trivy: "AVD-AWS-0048",
        types: DOMAIN,
        reads: { "aws:opensearch/domain:Domain": ["encryptAtRest.enabled"] },
        check: (domain, ctx) => {
            if (domain.props.encryptAtRest?.enabled !== true) {
                ctx.report(`OpenSearch domain ${domain.name} does not encrypt data at rest.`);
            }
        },
    }),
    resourcePolicy({
        name: "opensearch-node-to-node-encryption",
        domain: "opensearch",
        description: "OpenSearch domains encrypt traffic between nodes.",
        prevents: "Cluster-internal traffic readable inside the VPC.",
        severity: "high",
        remediation: "Set nodeToNodeEncryption: { enabled: true }.",
        level: "mandatory",
        checkov: "CKV_AWS_6",
        trivy: "AVD-AWS-0043",
        types: DOMAIN,
        reads: { "aws:opensearch/domain:Domain": ["nodeToNodeEncryption.enabled"] },
        check: (domain, ctx) => {
            if (domain.props.nodeToNodeEncryption?.enabled !== true) {
                ctx.report(`OpenSearch domain ${domain.name} does not enable node-to-node encryption.`);
            }
        },
    }),
    resourcePolicy({
        name: "opensearch-https-tls12",
        domain: "opensearch",
        description: "OpenSearch domains enforce HTTPS with a TLS 1.2+ security policy.",
        prevents: "Clients talking to the domain over HTTP or TLS 1.0/1.1.",
        severity: "high",
        remediation: 'Set domainEndpointOptions { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" }.',
        level: "mandatory",
        checkov: "CKV_AWS_228",
        trivy: "AVD-AWS-0126",
        types: DOMAIN,
        reads: { "aws:opensearch/domain:Domain": ["domainEndpointOptions.enforceHttps", "domainEndpointOptions.tlsSecurityPolicy"] },
        check: (domain, ctx) => {
            const endpoint = domain.props.domainEndpointOptions;
            if (endpoint?.enforceHttps !== true) {
                ctx.report(`OpenSearch domain ${domain.name} does not enforce HTTPS.`);
            }
            if (!TLS12_POLICIES.includes(endpoint?.tlsSecurityPolicy)) {
                ctx.report(
                    `OpenSearch domain ${domain.name} uses TLS policy ${endpoint?.tlsSecurityPolicy ?? "(default, TLS 1.0)"}; use one of ${TLS12_POLICIES.join(", ")}.`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "opensearch-fine-grained-access",
        domain: "opensearch",
        description:
            "OpenSearch domains enable fine-grained access control, without anonymous access, mapped to IAM (no internal user database).",
        prevents:
            "Every principal the domain policy admits reading and writing every index, and shared master passwords instead of IAM roles.",
        severity: "high",
        remediation:
            "Set advancedSecurityOptions { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn } }.",
        level: "mandatory",
        securityHub: ["Opensearch.7"],
        checkov: "CKV2_AWS_52",
        pci: ["7.2.1"],
        types: DOMAIN,
        reads: {
            [DOMAIN[0]]: [
                "advancedSecurityOptions.enabled",
                "advancedSecurityOptions.anonymousAuthEnabled",
                "advancedSecurityOptions.internalUserDatabaseEnabled",
            ],
        },
        check: (domain, ctx) => {
            const options = list(domain.props.advancedSecurityOptions)[0] ?? {};
            if (options.enabled !== true) {
                ctx.report(`OpenSearch domain ${domain.name} does not enable fine-grained access control.`);
            } else if (options.anonymousAuthEnabled === true || options.internalUserDatabaseEnabled === true) {
                ctx.report(
                    `OpenSearch domain ${domain.name} allows ${options.anonymousAuthEnabled === true ? "anonymous access" : "internal database users"}.`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "opensearch-ha-prod",
        domain: "opensearch",
        description:
            "At prod levels, OpenSearch domains have three dedicated master nodes and at least three data nodes spread over Availability Zones.",
        prevents: "A split brain or a lost shard copy taking payment search down with one node or one AZ.",
        severity: "medium",
        remediation:
            "Set clusterConfig { dedicatedMasterEnabled: true, dedicatedMasterCount: 3, instanceCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 3 } }.",
        level: "advisory",
        prodLevel: "mandatory",
        levelReason: "Test and PR domains are single-node to keep their cost down; their data is disposable.",
        checkov: "CKV_AWS_318",
        securityHub: ["Opensearch.6"],
        types: DOMAIN,
        reads: {
            [DOMAIN[0]]: [
                "clusterConfig.dedicatedMasterEnabled",
                "clusterConfig.dedicatedMasterCount",
                "clusterConfig.instanceCount",
                "clusterConfig.zoneAwarenessEnabled",
            ],
        },
        check: (domain, ctx) => {
            const cluster = list(domain.props.clusterConfig)[0] ?? {};
            const missing = [
                cluster.dedicatedMasterEnabled === true && Number(cluster.dedicatedMasterCount ?? 0) >= 3
                    ? undefined
                    : "three dedicated master nodes",
                Number(cluster.instanceCount ?? 1) >= 3 ? undefined : "three data nodes",
                cluster.zoneAwarenessEnabled === true ? undefined : "zone awareness",
            ].filter((m): m is string => m !== undefined);
            if (missing.length > 0) {
                ctx.report(`OpenSearch domain ${domain.name} lacks ${missing.join(", ")}.`);
            }
        },
    }),
];

import type { PolicyResource } from "@pulumi/policy";
import { PolicyDefinition, stackPolicy } from "../lib/definition";
import { estateAccounts } from "../lib/estate";
import { Analysis, Grant, GrantKind, analyze, describeGrant, documentOf, providerAccount } from "../lib/resource-policy";
import { list, ofTypes } from "../lib/values";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped engine JSON */

/** Resource type -> the input holding its resource-based policy document. */
const DOCUMENTS: Record<string, string> = {
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketV2:BucketV2": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:ecr/registryPolicy:RegistryPolicy": "policy",
    "aws:opensearch/domain:Domain": "accessPolicies",
    "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    "aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy": "policy",
};
const ROLE = "aws:iam/role:Role";
const PERMISSION = "aws:lambda/permission:Permission";
const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
const SNAPSHOTS = ["aws:rds/snapshot:Snapshot", "aws:rds/snapshotCopy:SnapshotCopy", "aws:rds/clusterSnapshot:ClusterSnapshot"];

/**
 * AWS-owned accounts that services deliver from and that resource policies must name: Elastic Load
 * Balancing's log-delivery accounts for the estate's regions (AWS docs, "Enable access logs for
 * your Application Load Balancer": us-east-1 127311923021, us-west-2 797873946194).
 */
export const SERVICE_ACCOUNTS = ["127311923021", "797873946194"];

export const POLICY_BEARING_TYPES = [...Object.keys(DOCUMENTS), ROLE, PERMISSION, FUNCTION_URL, ...SNAPSHOTS];

const READS: Record<string, readonly string[]> = {
    ...Object.fromEntries(Object.entries(DOCUMENTS).map(([type, input]) => [type, [input]])),
    [ROLE]: ["assumeRolePolicy"],
    [PERMISSION]: ["principal", "sourceArn", "sourceAccount", "principalOrgId", "functionUrlAuthType"],
    [FUNCTION_URL]: ["authorizationType"],
    ...Object.fromEntries(SNAPSHOTS.map((t) => [t, ["sharedAccounts"]])),
};

interface Config {
    estateAccounts: string[];
}

/** The statement a Lambda permission adds to its function's policy, as AWS writes it. */
function permissionDocument(p: PolicyResource): any {
    const condition: Record<string, Record<string, string>> = {};
    const add = (operator: string, key: string, value: unknown) => {
        if (value !== undefined && value !== null && value !== "") {
            condition[operator] = { ...(condition[operator] ?? {}), [key]: String(value) };
        }
    };
    add("ArnLike", "AWS:SourceArn", p.props.sourceArn);
    add("StringEquals", "AWS:SourceAccount", p.props.sourceAccount);
    add("StringEquals", "aws:PrincipalOrgID", p.props.principalOrgId);
    const principal = String(p.props.principal);
    const kind = principal === "*" || /^\d{12}$/.test(principal) || principal.startsWith("arn:") ? "AWS" : "Service";
    return {
        Statement: [
            { Sid: p.name, Effect: "Allow", Principal: { [kind]: principal }, Action: "lambda:InvokeFunction", Condition: condition },
        ],
    };
}

/** What the resource lets in. */
function grantsOf(r: PolicyResource, accounts: readonly string[]): Grant[] {
    const perspective = {
        ownAccount: providerAccount(r.provider),
        estateAccounts: accounts,
        serviceAccounts: SERVICE_ACCOUNTS,
        trust: r.type === ROLE,
    };
    const what = `${r.name}'s policy`;
    if (r.type === FUNCTION_URL) {
        return r.props.authorizationType === "NONE"
            ? [
                  {
                      kind: "public",
                      statement: "authorizationType",
                      principal: "*",
                      detail: "is NONE: anyone on the internet can invoke the function",
                  },
              ]
            : [];
    }
    if (SNAPSHOTS.includes(r.type)) {
        const shared = list<string>(r.props.sharedAccounts).map(String);
        const document = {
            Statement: shared.map((a) => ({ Sid: "sharedAccounts", Effect: "Allow", Principal: { AWS: a === "all" ? "*" : a } })),
        };
        return analyze(document, what, perspective).grants;
    }
    if (r.type === PERMISSION) {
        const grants = analyze(permissionDocument(r), what, perspective).grants;
        if (r.props.functionUrlAuthType === "NONE") {
            grants.push({
                kind: "public",
                statement: "functionUrlAuthType",
                principal: String(r.props.principal),
                detail: "allows unauthenticated function URL calls",
            });
        }
        return grants;
    }
    const input = r.type === ROLE ? "assumeRolePolicy" : DOCUMENTS[r.type];
    if (r.props[input] === undefined) {
        return [];
    }
    const analysis: Analysis = analyze(documentOf(r.props[input], `${r.name}'s ${input}`), what, perspective);
    return analysis.grants;
}

/** The estate's accounts as this stack sees them: configured ones plus every account its providers deploy into. */
function accountsOf(ctx: { resources: PolicyResource[]; config: Config }): string[] {
    const providers = ctx.resources.map((r) => providerAccount(r.provider)).filter((a): a is string => a !== undefined);
    return [...new Set([...ctx.config.estateAccounts, ...providers])];
}

function grantPolicy(spec: {
    name: string;
    kinds: readonly GrantKind[];
    types?: readonly string[];
    description: string;
    prevents: string;
    remediation: string;
    severity: "critical" | "high" | "medium";
    checkov?: string;
    trivy?: string;
    securityHub?: string[];
    pci?: string[];
}): PolicyDefinition {
    const types = spec.types ?? POLICY_BEARING_TYPES;
    return stackPolicy<Config>({
        name: spec.name,
        domain: "resource-access",
        description: spec.description,
        prevents: spec.prevents,
        severity: spec.severity,
        remediation: spec.remediation,
        level: "mandatory",
        checkov: spec.checkov,
        trivy: spec.trivy,
        securityHub: spec.securityHub,
        pci: spec.pci,
        reads: Object.fromEntries(types.map((t) => [t, READS[t]])),
        schema: { estateAccounts: { type: "array", items: { type: "string", pattern: "^[0-9]{12}$" } } },
        defaults: () => ({ estateAccounts: estateAccounts() }),
        check: (ctx) => {
            const accounts = accountsOf(ctx);
            ctx.each(ofTypes(ctx.resources, types), (r) => {
                for (const grant of grantsOf(r, accounts).filter((g) => spec.kinds.includes(g.kind))) {
                    ctx.report(`${r.type.split(":").pop()} ${r.name}: ${describeGrant(grant)}.`, r.urn);
                }
            });
        },
    });
}

export const RESOURCE_ACCESS_POLICIES: PolicyDefinition[] = [
    grantPolicy({
        name: "resource-policy-no-public-access",
        kinds: ["public"],
        description:
            'No resource policy (bucket, queue, topic, key, repository, domain, secret, role trust, Lambda permission or URL, snapshot sharing) grants "*" without a condition that limits who (aws:PrincipalOrgID, aws:SourceAccount/SourceArn, aws:SourceVpc(e)).',
        prevents:
            "Payment data, messages, keys or images readable or writable by anyone with an AWS account (or nobody authenticated at all).",
        remediation:
            'Name the principals, or keep "*" only with a StringEquals aws:PrincipalOrgID (or aws:SourceAccount/aws:SourceArn for services); an external id alone is not a limit. Function URLs use AWS_IAM; snapshots are never shared with "all".',
        severity: "critical",
        checkov: "CKV_AWS_70",
        securityHub: ["S3.2", "S3.3", "SNS.4", "SQS.3", "KMS.5", "Lambda.1", "Opensearch.2"],
        pci: ["1.3.1", "1.4.4", "7.2.1"],
    }),
    grantPolicy({
        name: "resource-policy-no-external-access",
        kinds: ["external"],
        description:
            "Resource policies grant nothing to accounts outside the estate (its organization's accounts, plus AWS service delivery accounts), unless limited by aws:PrincipalOrgID.",
        prevents: "A vendor's or attacker's account keeping access to payment data after a copy-pasted policy or a typo in an account id.",
        remediation:
            "Grant to the estate's accounts only (policy config estateAccounts lists them; defaults from the stack files), or add a StringEquals aws:PrincipalOrgID condition.",
        severity: "critical",
        securityHub: ["S3.6", "KMS.5"],
        pci: ["7.2.1", "7.2.2"],
    }),
    grantPolicy({
        name: "resource-policy-service-scoped",
        kinds: ["unscoped-service"],
        types: POLICY_BEARING_TYPES.filter((t) => t !== ROLE),
        description:
            "A resource policy that lets an AWS service in (s3, sns, events, logs, ...) limits it to the estate's resources with aws:SourceArn, aws:SourceAccount or aws:SourceOrgID; Lambda permissions set sourceArn or sourceAccount.",
        prevents: "The confused deputy: any AWS customer pointing the same service at this queue, topic, bucket or function.",
        remediation:
            'Add Condition { ArnLike: { "aws:SourceArn": <the source resource ARN> } } (or StringEquals aws:SourceAccount); on aws.lambda.Permission set sourceArn (and sourceAccount for S3).',
        severity: "high",
        checkov: "CKV_AWS_364",
        trivy: "AVD-AWS-0067",
        securityHub: ["Lambda.1"],
        pci: ["7.2.1"],
    }),
    grantPolicy({
        name: "iam-trust-no-whole-account",
        kinds: ["whole-account"],
        types: [ROLE],
        description:
            "A role's trust policy never trusts a whole account (its root or id) without a condition naming which principals (aws:PrincipalArn, aws:PrincipalTag/...).",
        prevents: "Every user and role of an account, including ones created later, being able to assume a privileged role.",
        remediation:
            'Trust the specific role ARNs, or keep the account root with Condition { ArnLike: { "aws:PrincipalArn": [<role ARNs>] } }.',
        severity: "high",
        securityHub: ["IAM.1"],
        pci: ["7.2.1", "7.2.2", "8.2.2"],
    }),
];

import { expect } from "chai";
import { ACCOUNT_IDS, decide, Decision, PARAMETERS, PLATFORM_ADMIN_ROLE, ROOT_USER, SimulatedAccount, SimulatedRequest } from "./simulator";

const admin = (account: SimulatedAccount) => ({ account, role: PLATFORM_ADMIN_ROLE });
const developer = (account: SimulatedAccount) => ({
    account,
    role: "aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_fedcba9876543210",
});
const deployment = (account: SimulatedAccount) => ({ account, role: PARAMETERS.deploymentRoleName });
const breakGlass = (account: SimulatedAccount) => ({ account, role: PARAMETERS.breakGlassRoleName });
const arnIn = (service: string, account: SimulatedAccount, resource: string, region = "us-east-1") =>
    `arn:aws:${service}:${region}:${ACCOUNT_IDS[account]}:${resource}`;
const inRegion = (region: string) => ({ "aws:RequestedRegion": region });
const instance = (account: SimulatedAccount) => arnIn("ec2", account, "instance/i-0123456789abcdef0");

/** A resource policy that grants everything to everyone: whatever still denies is the RCP. */
const OPEN_RESOURCE_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };
/** The default key policy: the account's IAM policies decide. */
const keyPolicyFor = (account: SimulatedAccount) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_IDS[account]}:root` }, Action: "kms:*", Resource: "*" }],
});
const LOG_BUCKET = "arn:aws:s3:::org-audit-log-archive";

const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT_IDS.test}:oidc-provider/token.actions.githubusercontent.com`;
const EKS_PROVIDER = `arn:aws:iam::${ACCOUNT_IDS.test}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF`;
const webIdentityTrust = (provider: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity", Resource: "*" }],
});
const githubClaims = (repository: string) => ({
    "token.actions.githubusercontent.com:repository": repository,
    "token.actions.githubusercontent.com:repository_owner_id": "1234567",
});

interface Case {
    title: string;
    request: SimulatedRequest;
    expected: Decision;
}

const CASES: Record<string, Case[]> = {
    "protect security services": [
        {
            title: "an admin in prod cannot stop the organization trail",
            request: {
                principal: admin("prod"),
                action: "cloudtrail:StopLogging",
                resource: arnIn("cloudtrail", "prod", "trail/org-audit"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "break-glass in prod can stop logging",
            request: {
                principal: breakGlass("prod"),
                action: "cloudtrail:StopLogging",
                resource: arnIn("cloudtrail", "prod", "trail/org-audit"),
            },
            expected: "Allowed",
        },
        {
            title: "an admin in security cannot delete the GuardDuty detector",
            request: {
                principal: admin("security"),
                action: "guardduty:DeleteDetector",
                resource: arnIn("guardduty", "security", "detector/12abc34d567e8fa901bc2d34e56789f0"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the deployment role cannot disable Security Hub",
            request: {
                principal: deployment("security"),
                action: "securityhub:DisableSecurityHub",
                resource: arnIn("securityhub", "security", "hub/default"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "an admin in test cannot delete the Access Analyzer",
            request: {
                principal: admin("test"),
                action: "access-analyzer:DeleteAnalyzer",
                resource: arnIn("access-analyzer", "test", "analyzer/org-analyzer"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "an admin in prod cannot delete VPC flow logs",
            request: {
                principal: admin("prod"),
                action: "ec2:DeleteFlowLogs",
                resource: arnIn("ec2", "prod", "vpc-flow-log/fl-0123456789abcdef0"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "an admin in preprod cannot stop the Config recorder",
            request: { principal: admin("preprod"), action: "config:StopConfigurationRecorder", resource: "*" },
            expected: "ExplicitlyDenied",
        },
    ],
    IMDSv2: [
        {
            title: "RunInstances with MetadataHttpTokens=optional is denied",
            request: {
                principal: admin("test"),
                action: "ec2:RunInstances",
                resource: instance("test"),
                context: { "ec2:MetadataHttpTokens": "optional" },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "RunInstances with MetadataHttpTokens=required is allowed",
            request: {
                principal: deployment("test"),
                action: "ec2:RunInstances",
                resource: instance("test"),
                context: { "ec2:MetadataHttpTokens": "required" },
            },
            expected: "Allowed",
        },
        {
            title: "downgrading a running instance to IMDSv1 is denied",
            request: {
                principal: admin("prod"),
                action: "ec2:ModifyInstanceMetadataOptions",
                resource: instance("prod"),
                context: { "ec2:MetadataHttpTokens": "optional" },
            },
            expected: "ExplicitlyDenied",
        },
    ],
    regions: [
        {
            title: "EC2 in a disallowed region is denied",
            request: { principal: admin("test"), action: "ec2:DescribeInstances", resource: "*", context: inRegion("eu-west-1") },
            expected: "ExplicitlyDenied",
        },
        {
            title: "iam:CreateRole while calling from a disallowed region is allowed (global service)",
            request: {
                principal: admin("test"),
                action: "iam:CreateRole",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/app`,
                context: inRegion("eu-west-1"),
            },
            expected: "Allowed",
        },
        {
            title: "EC2 in the second allowed region is allowed",
            request: { principal: admin("test"), action: "ec2:DescribeInstances", resource: "*", context: inRegion("us-west-2") },
            expected: "Allowed",
        },
        {
            title: "break-glass may work in any region",
            request: { principal: breakGlass("prod"), action: "ec2:DescribeInstances", resource: "*", context: inRegion("eu-central-1") },
            expected: "Allowed",
        },
        {
            title: "Route 53 changes from a disallowed region are allowed (global service)",
            request: {
                principal: deployment("prod"),
                action: "route53:ChangeResourceRecordSets",
                resource: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
                context: inRegion("ap-southeast-2"),
            },
            expected: "Allowed",
        },
        {
            title: "S3 buckets in a disallowed region are denied",
            request: {
                principal: deployment("preprod"),
                action: "s3:CreateBucket",
                resource: "arn:aws:s3:::preprod-exfil",
                context: inRegion("sa-east-1"),
            },
            expected: "ExplicitlyDenied",
        },
    ],
    "organization and identity": [
        {
            title: "a member account cannot leave the organization",
            request: { principal: admin("test"), action: "organizations:LeaveOrganization", resource: "*" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the root user of a member account can do nothing",
            request: { principal: { account: "test", role: ROOT_USER }, action: "s3:ListAllMyBuckets", resource: "*" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "IAM users cannot be created",
            request: { principal: admin("prod"), action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT_IDS.prod}:user/alice` },
            expected: "ExplicitlyDenied",
        },
        {
            title: "access keys cannot be created, even by the deployment role",
            request: { principal: deployment("test"), action: "iam:CreateAccessKey", resource: `arn:aws:iam::${ACCOUNT_IDS.test}:user/ci` },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the deployment role can create roles",
            request: {
                principal: deployment("prod"),
                action: "iam:CreateRole",
                resource: `arn:aws:iam::${ACCOUNT_IDS.prod}:role/prod-payments-api`,
            },
            expected: "Allowed",
        },
    ],
    "encryption and network defaults": [
        {
            title: "EBS default encryption cannot be disabled",
            request: { principal: admin("prod"), action: "ec2:DisableEbsEncryptionByDefault", resource: "*" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "EBS default encryption can be enabled",
            request: { principal: deployment("prod"), action: "ec2:EnableEbsEncryptionByDefault", resource: "*" },
            expected: "Allowed",
        },
        {
            title: "a KMS key cannot be scheduled for deletion in 7 days",
            request: {
                principal: admin("test"),
                action: "kms:ScheduleKeyDeletion",
                resource: arnIn("kms", "test", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                resourcePolicy: keyPolicyFor("test"),
                context: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "a KMS key can be scheduled for deletion in 30 days",
            request: {
                principal: admin("test"),
                action: "kms:ScheduleKeyDeletion",
                resource: arnIn("kms", "test", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                resourcePolicy: keyPolicyFor("test"),
                context: { "kms:ScheduleKeyDeletionPendingWindowInDays": "30" },
            },
            expected: "Allowed",
        },
        {
            title: "a default VPC cannot be created",
            request: { principal: admin("preprod"), action: "ec2:CreateDefaultVpc", resource: "*" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "a RAM share open to outside principals is denied",
            request: {
                principal: deployment("test"),
                action: "ram:CreateResourceShare",
                resource: "*",
                context: { "ram:RequestedAllowsExternalPrincipals": "true" },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "a RAM share inside the organization is allowed",
            request: {
                principal: deployment("test"),
                action: "ram:CreateResourceShare",
                resource: "*",
                context: { "ram:RequestedAllowsExternalPrincipals": "false" },
            },
            expected: "Allowed",
        },
        {
            title: "an admin cannot change a bucket's public-access block",
            request: { principal: admin("prod"), action: "s3:PutBucketPublicAccessBlock", resource: "arn:aws:s3:::prod-payments-receipts" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the deployment role can set a bucket's public-access block",
            request: {
                principal: deployment("prod"),
                action: "s3:PutBucketPublicAccessBlock",
                resource: "arn:aws:s3:::prod-payments-receipts",
            },
            expected: "Allowed",
        },
        {
            title: "the foundation (through OrganizationAccountAccessRole) can set the log archive's block",
            request: {
                principal: { account: "security", role: PARAMETERS.organizationAccessRoleName },
                action: "s3:PutBucketPublicAccessBlock",
                resource: "arn:aws:s3:::org-audit-logs-111111111111",
            },
            expected: "Allowed",
        },
        {
            title: "a developer cannot change the account public-access block",
            request: { principal: developer("test"), action: "s3:PutAccountPublicAccessBlock", resource: "*" },
            expected: "ExplicitlyDenied",
        },
    ],
    "prod data stores": [
        {
            title: "an admin cannot delete a prod RDS instance",
            request: { principal: admin("prod"), action: "rds:DeleteDBInstance", resource: arnIn("rds", "prod", "db:prod-payments") },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the deployment role cannot delete a prod DynamoDB table",
            request: {
                principal: deployment("prod"),
                action: "dynamodb:DeleteTable",
                resource: arnIn("dynamodb", "prod", "table/prod-ledger"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the deployment role cannot delete a prod bucket",
            request: { principal: deployment("prod"), action: "s3:DeleteBucket", resource: "arn:aws:s3:::prod-payments-receipts" },
            expected: "ExplicitlyDenied",
        },
        {
            title: "break-glass can delete a prod RDS cluster",
            request: {
                principal: breakGlass("prod"),
                action: "rds:DeleteDBCluster",
                resource: arnIn("rds", "prod", "cluster:prod-payments"),
            },
            expected: "Allowed",
        },
        {
            title: "preprod RDS instances can be deleted (Prod OU only)",
            request: {
                principal: deployment("preprod"),
                action: "rds:DeleteDBInstance",
                resource: arnIn("rds", "preprod", "db:preprod-payments"),
            },
            expected: "Allowed",
        },
    ],
    "secure transport (RCP)": [
        {
            title: "s3:GetObject with aws:SecureTransport=false is denied",
            request: {
                principal: admin("test"),
                action: "s3:GetObject",
                resource: "arn:aws:s3:::test-payments-receipts/r.pdf",
                context: { "aws:SecureTransport": "false" },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "s3:GetObject over TLS is allowed",
            request: { principal: admin("test"), action: "s3:GetObject", resource: "arn:aws:s3:::test-payments-receipts/r.pdf" },
            expected: "Allowed",
        },
        {
            title: "sqs:SendMessage without TLS is denied",
            request: {
                principal: deployment("prod"),
                action: "sqs:SendMessage",
                resource: arnIn("sqs", "prod", "prod-payments-events"),
                context: { "aws:SecureTransport": "false" },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "secretsmanager:GetSecretValue without TLS is denied",
            request: {
                principal: admin("prod"),
                action: "secretsmanager:GetSecretValue",
                resource: arnIn("secretsmanager", "prod", "secret:prod-db-AbCdEf"),
                context: { "aws:SecureTransport": "false" },
            },
            expected: "ExplicitlyDenied",
        },
    ],
    "data perimeter (RCP)": [
        {
            title: "a principal outside the organization is denied even by an open bucket policy",
            request: {
                principal: { account: "outside", role: "attacker" },
                action: "s3:GetObject",
                resource: "arn:aws:s3:::prod-payments-receipts/r.pdf",
                resourceAccount: "prod",
                resourcePolicy: OPEN_RESOURCE_POLICY,
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "a principal outside the organization cannot use a KMS key shared with it",
            request: {
                principal: { account: "outside", role: "attacker" },
                action: "kms:Decrypt",
                resource: arnIn("kms", "prod", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                resourceAccount: "prod",
                resourcePolicy: OPEN_RESOURCE_POLICY,
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "a principal in another member account may read a shared bucket",
            request: {
                principal: admin("preprod"),
                action: "s3:GetObject",
                resource: "arn:aws:s3:::prod-payments-receipts/r.pdf",
                resourceAccount: "prod",
                resourcePolicy: OPEN_RESOURCE_POLICY,
            },
            expected: "Allowed",
        },
        {
            title: "CloudTrail writing the organization trail to the log archive is allowed",
            request: {
                principal: { service: "cloudtrail.amazonaws.com" },
                action: "s3:PutObject",
                resource: `${LOG_BUCKET}/AWSLogs/${PARAMETERS.organizationId}/x.json.gz`,
                resourceAccount: "security",
                resourcePolicy: OPEN_RESOURCE_POLICY,
                context: { "aws:SourceOrgID": PARAMETERS.organizationId, "aws:SourceAccount": ACCOUNT_IDS.management },
            },
            expected: "Allowed",
        },
        {
            title: "CloudTrail acting for another organization is denied (confused deputy)",
            request: {
                principal: { service: "cloudtrail.amazonaws.com" },
                action: "s3:PutObject",
                resource: `${LOG_BUCKET}/AWSLogs/o-zzzzzzzzzz/x.json.gz`,
                resourceAccount: "security",
                resourcePolicy: OPEN_RESOURCE_POLICY,
                context: { "aws:SourceOrgID": "o-zzzzzzzzzz", "aws:SourceAccount": ACCOUNT_IDS.outside },
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "the management CI role may assume a member deployment role",
            request: {
                principal: { account: "management", role: "org-ci" },
                action: "sts:AssumeRole",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/${PARAMETERS.deploymentRoleName}`,
                resourceAccount: "test",
                resourcePolicy: OPEN_RESOURCE_POLICY,
            },
            expected: "Allowed",
        },
        {
            title: "an outside account cannot assume a member role, whatever its trust policy",
            request: {
                principal: { account: "outside", role: "attacker" },
                action: "sts:AssumeRole",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/${PARAMETERS.deploymentRoleName}`,
                resourceAccount: "test",
                resourcePolicy: OPEN_RESOURCE_POLICY,
            },
            expected: "ExplicitlyDenied",
        },
    ],
    "GitHub federation (RCP)": [
        {
            title: "this repository's workflow may federate",
            request: {
                principal: { federated: GITHUB_PROVIDER },
                action: "sts:AssumeRoleWithWebIdentity",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/test-ci`,
                resourceAccount: "test",
                resourcePolicy: webIdentityTrust(GITHUB_PROVIDER),
                context: githubClaims(PARAMETERS.githubRepository),
            },
            expected: "Allowed",
        },
        {
            title: "another repository's workflow is denied even by a loose trust policy",
            request: {
                principal: { federated: GITHUB_PROVIDER },
                action: "sts:AssumeRoleWithWebIdentity",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/test-ci`,
                resourceAccount: "test",
                resourcePolicy: webIdentityTrust(GITHUB_PROVIDER),
                context: githubClaims("someone-else/fork"),
            },
            expected: "ExplicitlyDenied",
        },
        {
            title: "EKS service accounts (another OIDC issuer) are untouched",
            request: {
                principal: { federated: EKS_PROVIDER },
                action: "sts:AssumeRoleWithWebIdentity",
                resource: `arn:aws:iam::${ACCOUNT_IDS.test}:role/test-payments-api`,
                resourceAccount: "test",
                resourcePolicy: webIdentityTrust(EKS_PROVIDER),
            },
            expected: "Allowed",
        },
    ],
};

describe("foundation guardrails, simulated", () => {
    it("simulates at least 30 requests", () => {
        expect(Object.values(CASES).flat().length).to.be.at.least(30);
    });

    for (const [group, cases] of Object.entries(CASES)) {
        describe(group, () => {
            for (const { title, request, expected } of cases) {
                it(`${title}: ${expected}`, async () => {
                    expect(await decide(request)).to.equal(expected);
                });
            }
        });
    }
});

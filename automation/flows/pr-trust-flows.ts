import { PR_NAME_PATTERN } from "../../lib/ci-trust";
import { pullRequestProvisionerName } from "../../lib/provisioning";
import { Flow } from "../../plan-model/flows";
import { Estate, EstateResource, parsed } from "./estate";
import { Decision, judge, reference } from "./flow";
import { authorize, rolePrincipal } from "./iam/authorize";
import { evaluatePolicy, PolicyDocument, PolicyStatement } from "./iam/policy";

/**
 * What the PR trust level may and may not do, from the plan's own policies (#13, #14):
 * - every IAM role a pr-<n> stack creates carries the PR permissions boundary, so the PR
 *   deployment role (which may create roles only with it) can create it on real AWS;
 * - boundary ∩ identity policy still allows every statement a PR role (and platform/test's PR
 *   provisioner) is granted: a grant the boundary cuts is a role that fails at run time;
 * - the boundary admits neither the shared master secret nor another environment's database user;
 * - the PR deployment role invokes the platform's PR provisioner and no other function, changes
 *   nothing of it, reads no master secret and creates no role without the boundary.
 */

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function roleNameOf(role: EstateResource): string {
    return String(role.inputs.name ?? role.id ?? role.name);
}

function roleArnOf(role: EstateResource): string {
    return role.arn ?? `arn:aws:iam::${role.account}:role/${roleNameOf(role)}`;
}

/** The tags AWS would see on a resource of the plan, as `aws:ResourceTag/<key>`. */
function resourceTagContext(estate: Estate, arn: string): Record<string, string> {
    const resource = estate.byArn(arn);
    return resource
        ? Object.fromEntries(Object.entries(estate.tagsOf(resource)).map(([key, value]) => [`aws:ResourceTag/${key}`, String(value)]))
        : {};
}

/** `*` for an action without resource-level permissions, as a request in the role's own account. */
function inAccount(action: string, role: EstateResource): string {
    return `arn:aws:${action.split(":")[0]}:us-east-1:${role.account}:*`;
}

/** Inline policies of a role, as the plan holds them. */
function grantsOf(estate: Estate, role: EstateResource): PolicyStatement[] {
    const name = roleNameOf(role);
    return estate
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.account === role.account && p.inputs.role === name)
        .flatMap((p) => list(parsed<PolicyDocument>(p.inputs.policy)?.Statement));
}

/** Each unconditional Allow of a role's own policies on named resources must pass the whole evaluation (boundary included). */
function grantsUsableFlows(estate: Estate, role: EstateResource): Flow[] {
    const subject = `role ${roleNameOf(role)}`;
    const principal = rolePrincipal(estate, roleArnOf(role));
    return grantsOf(estate, role)
        .filter((s) => s.Effect === "Allow" && s.Condition === undefined)
        .flatMap((statement) =>
            list(statement.Action as string | string[]).flatMap((action) =>
                (String(action).includes("*") ? [] : list(statement.Resource as string | string[])).map((resource) =>
                    judge(
                        {
                            kind: "identity",
                            subject,
                            action: String(action),
                            target: `${resource} (granted by ${statement.Sid ?? "its policy"})`,
                            expect: "allowed",
                            stack: role.stack,
                        },
                        authorize(
                            estate,
                            principal,
                            String(action),
                            resource === "*" ? inAccount(String(action), role) : resource,
                            resourceTagContext(estate, resource),
                        ),
                    ),
                ),
            ),
        );
}

/** Whether a policy document alone admits a request (a boundary: what no identity policy can exceed). */
function admits(document: PolicyDocument, name: string, action: string, resource: string, context: Record<string, string> = {}): Decision {
    const answer = evaluatePolicy(
        document,
        {
            action,
            resource,
            principal: {},
            context: { "aws:RequestedRegion": "us-east-1", ...context },
        },
        false,
    );
    return answer.effect === "allow"
        ? { allowed: true, because: `${name} (${answer.statement}) admits it` }
        : { allowed: false, because: `${name} admits no such request` };
}

/**
 * The call that creates each AWS resource type a pr-<n> stack declares, and the resource it is
 * authorized against: the PR deployment role must be able to make it, or `pr up` fails on AWS.
 */
const CREATE_CALLS: Record<string, { action: string; resource: (r: EstateResource) => string | undefined }> = {
    "aws:sns/topic:Topic": { action: "sns:CreateTopic", resource: (r) => r.arn },
    "aws:sns/topicPolicy:TopicPolicy": { action: "sns:SetTopicAttributes", resource: (r) => r.inputs.arn as string | undefined },
    "aws:sns/topicSubscription:TopicSubscription": { action: "sns:Subscribe", resource: (r) => r.inputs.topic as string | undefined },
    "aws:sqs/queue:Queue": { action: "sqs:CreateQueue", resource: (r) => r.arn },
    "aws:dynamodb/table:Table": { action: "dynamodb:CreateTable", resource: (r) => r.arn },
    "aws:s3/bucket:Bucket": { action: "s3:CreateBucket", resource: (r) => r.arn },
    "aws:lambda/function:Function": { action: "lambda:CreateFunction", resource: (r) => r.arn },
    "aws:cloudwatch/logGroup:LogGroup": { action: "logs:CreateLogGroup", resource: (r) => r.arn },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { action: "cloudwatch:PutMetricAlarm", resource: (r) => r.arn },
};

/** The tags a create call sends: the provider's default tags and the resource's own, as request tags. */
function requestTagContext(estate: Estate, resource: EstateResource): Record<string, string> {
    const tags = estate.tagsOf(resource);
    return {
        ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, String(value)])),
        "aws:TagKeys": Object.keys(tags).join(","),
    };
}

export function pullRequestTrustFlows(estate: Estate): Flow[] {
    const deploymentArn = estate.foundation?.pullRequestDeploymentRoleArn as string | undefined;
    const boundaryArn = estate.foundation?.pullRequestBoundaryArn as string | undefined;
    const testAccount = estate.accountIds.test;
    const foundationStack = estate.stacks("foundation")[0];
    if (!deploymentArn || !boundaryArn || !testAccount || !foundationStack) {
        return [];
    }
    const flows: Flow[] = [];
    const deployer = rolePrincipal(estate, deploymentArn);
    const deployerLabel = "payments-pr-deployment (test)";
    const asDeployer = (
        action: string,
        target: string,
        resource: string,
        expect: "allowed" | "denied",
        stack: string,
        context: Record<string, string> = {},
    ) =>
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: deployerLabel,
                    action,
                    target,
                    expect,
                    stack,
                },
                authorize(estate, deployer, action, resource, context),
            ),
        );
    const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${testAccount}:${resource}`;

    // The platform's PR provisioner: invoked by PRs, changed by none; its own grants usable.
    const provisionerArn = arn("lambda", `function:${pullRequestProvisionerName()}`);
    const provisioner = estate
        .ofType("aws:lambda/function:Function")
        .find((f) => f.arn === provisionerArn || f.inputs.name === pullRequestProvisionerName());
    const platformStack = provisioner?.stack ?? foundationStack;
    asDeployer("lambda:InvokeFunction", `function ${pullRequestProvisionerName()}`, provisionerArn, "allowed", platformStack);
    for (const action of [
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:DeleteFunction",
        "lambda:AddPermission",
    ]) {
        asDeployer(action, `function ${pullRequestProvisionerName()}`, provisionerArn, "denied", platformStack);
    }
    const provisionerRoleArn = `arn:aws:iam::${testAccount}:role/${pullRequestProvisionerName()}`;
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PassRole"]) {
        asDeployer(action, `role ${pullRequestProvisionerName()}`, provisionerRoleArn, "denied", platformStack, {
            "iam:PermissionsBoundary": boundaryArn,
            "iam:PassedToService": "lambda.amazonaws.com",
        });
    }
    const provisionerRole = estate.ofType("aws:iam/role:Role").find((r) => roleArnOf(r) === provisionerRoleArn);
    if (provisionerRole) {
        flows.push(...grantsUsableFlows(estate, provisionerRole));
    }
    // Reading the master secret decrypts it with the shared database's key, through Secrets Manager (a conditional grant).
    const shared = estate.stackOutputs("platform", "test")?.sharedData as
        { postgresSecretArn?: string; postgresResourceId?: string } | null | undefined;
    const masterSecret = shared?.postgresSecretArn ?? arn("secretsmanager", "secret:rds!db-shared");
    const sharedKey = estate
        .ofType("aws:rds/instance:Instance")
        .find((i) => i.account === testAccount && typeof i.inputs.masterUserSecretKmsKeyId === "string")?.inputs
        .masterUserSecretKmsKeyId as string | undefined;
    const viaSecretsManager = {
        "kms:EncryptionContext:SecretARN": masterSecret,
        "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
    };
    const decryptMasterSecret = (role: EstateResource, expect: "allowed" | "denied") =>
        sharedKey &&
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `role ${roleNameOf(role)}`,
                    action: "kms:Decrypt",
                    target: "the shared database's key, for its master secret",
                    expect,
                    stack: role.stack,
                },
                authorize(estate, rolePrincipal(estate, roleArnOf(role)), "kms:Decrypt", sharedKey, {
                    ...resourceTagContext(estate, sharedKey),
                    ...viaSecretsManager,
                }),
            ),
        );
    if (provisionerRole) {
        decryptMasterSecret(provisionerRole, "allowed");
    }

    // Every other function of the test account, and the environment's own provisioner (in no PR plan).
    const others = new Set([
        ...estate
            .ofType("aws:lambda/function:Function")
            .filter(
                (f) =>
                    f.account === testAccount &&
                    f.arn &&
                    f.arn !== provisionerArn &&
                    !new RegExp(`:function:${PR_NAME_PATTERN.replace("*", "")}`).test(f.arn),
            )
            .map((f) => f.arn!),
        arn("lambda", "function:test-payments-provisioner"),
        arn("lambda", "function:test-payments-worker"),
    ]);
    for (const other of others) {
        asDeployer("lambda:InvokeFunction", `function ${other.split(":").pop()}`, other, "denied", foundationStack);
    }

    // The shared master secret (platform/test's; a stand-in ARN when the plan holds no test platform).
    asDeployer("secretsmanager:GetSecretValue", "the shared database's master secret", masterSecret, "denied", foundationStack);

    // Since the PR gateway (platform/test), a PR adds an HTTPRoute: no target group, listener rule or security group of its own.
    const tagged = { "aws:RequestTag/PullRequest": "42", "aws:ResourceTag/PullRequest": "42", "aws:TagKeys": "PullRequest" };
    asDeployer(
        "elasticloadbalancing:CreateTargetGroup",
        "target group pr-42-payments-api",
        arn("elasticloadbalancing", "targetgroup/pr-42-payments-api/0123456789abcdef"),
        "denied",
        foundationStack,
        tagged,
    );
    asDeployer(
        "elasticloadbalancing:CreateRule",
        "a rule on the shared public listener",
        arn("elasticloadbalancing", "listener/app/test-public/0123456789abcdef/0123456789abcdef"),
        "denied",
        foundationStack,
        tagged,
    );
    asDeployer(
        "ec2:CreateSecurityGroup",
        "a security group in the test VPC",
        arn("ec2", "security-group/*"),
        "denied",
        foundationStack,
        tagged,
    );
    asDeployer(
        "ec2:AuthorizeSecurityGroupIngress",
        "a security group tagged PullRequest",
        arn("ec2", "security-group/sg-0123456789abcdef0"),
        "denied",
        foundationStack,
        tagged,
    );

    // The test cluster's load balancer controller binds the environment's target groups only (a PR has none).
    for (const association of estate
        .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
        .filter((a) => a.inputs.serviceAccount === "aws-load-balancer-controller" && a.account === testAccount)) {
        flows.push(
            judge(
                {
                    kind: "identity",
                    subject: `aws-load-balancer-controller (${association.inputs.clusterName})`,
                    action: "elasticloadbalancing:RegisterTargets",
                    target: "target group pr-42-payments-api",
                    expect: "denied",
                    stack: association.stack,
                },
                authorize(
                    estate,
                    rolePrincipal(estate, String(association.inputs.roleArn)),
                    "elasticloadbalancing:RegisterTargets",
                    arn("elasticloadbalancing", "targetgroup/pr-42-payments-api/0123456789abcdef"),
                ),
            ),
        );
    }

    // Topics: a PR manages its own (pr-*) and no other environment's.
    asDeployer(
        "sns:SetTopicAttributes",
        "topic test-payments-alarms",
        arn("sns", "test-payments-alarms"),
        "denied",
        foundationStack,
        tagged,
    );
    asDeployer("sns:Subscribe", "topic test-payments-alarms", arn("sns", "test-payments-alarms"), "denied", foundationStack, tagged);

    // Roles: only with the boundary, which cannot be swapped for another.
    const rogue = `arn:aws:iam::${testAccount}:role/pr-42-rogue`;
    asDeployer("iam:CreateRole", "role pr-42-rogue without a permissions boundary", rogue, "denied", foundationStack);
    asDeployer("iam:CreateRole", "role pr-42-rogue bounded by AdministratorAccess", rogue, "denied", foundationStack, {
        "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess",
    });

    // The boundary itself: what no role a PR creates can ever do, whatever its identity policy says.
    const boundary = estate.ofType("aws:iam/policy:Policy").find((p) => p.arn === boundaryArn);
    if (boundary) {
        const document = parsed<PolicyDocument>(boundary.inputs.policy);
        const check = (
            action: string,
            target: string,
            resource: string,
            expect: "allowed" | "denied",
            context: Record<string, string> = {},
        ) =>
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: "any role bounded by payments-pr-boundary",
                        action,
                        target,
                        expect,
                        stack: boundary.stack,
                    },
                    admits(document, "payments-pr-boundary", action, resource, context),
                ),
            );
        check("secretsmanager:GetSecretValue", "the shared database's master secret", masterSecret, "denied");
        check("lambda:InvokeFunction", `function ${pullRequestProvisionerName()}`, provisionerArn, "denied");
        check("iam:CreateRole", "any role", `arn:aws:iam::${testAccount}:role/pr-42-escalated`, "denied");
        const dbUser = (user: string) => arn("rds-db", `dbuser:${shared?.postgresResourceId ?? "db-SHARED"}/${user}`);
        check(
            "rds-db:connect",
            "the shared PostgreSQL as payments_worker (the test environment's worker)",
            dbUser("payments_worker"),
            "denied",
        );
        check("rds-db:connect", "the shared PostgreSQL as payments_pr_42 (a PR's own user)", dbUser("payments_pr_42"), "allowed");
        check("kms:Decrypt", "a key of the test environment", arn("kms", "key/test-key"), "denied", {
            "aws:ResourceTag/Environment": "test",
        });
    }

    // Each pr-<n> stack: its roles carry the boundary, the PR deployment role can create and grant them, and their grants are usable.
    for (const stack of estate.stacks("workloads").filter((s) => /\/pr-\d+$/.test(s))) {
        for (const resource of estate.resources.filter((r) => r.stack === stack && CREATE_CALLS[r.type] !== undefined)) {
            const call = CREATE_CALLS[resource.type];
            const target = call.resource(resource);
            if (target !== undefined) {
                asDeployer(
                    call.action,
                    `${resource.type.split(":")[1]} ${resource.name}`,
                    target,
                    "allowed",
                    stack,
                    requestTagContext(estate, resource),
                );
            }
        }
        for (const role of estate.ofType("aws:iam/role:Role").filter((r) => r.stack === stack)) {
            const name = roleNameOf(role);
            const roleBoundary = role.inputs.permissionsBoundary as string | undefined;
            flows.push(
                reference(
                    {
                        subject: `role ${name}`,
                        action: "carries the PR permissions boundary",
                        target: boundaryArn,
                        stack,
                    },
                    roleBoundary === boundaryArn,
                    roleBoundary === boundaryArn
                        ? "its permissionsBoundary is the PR boundary"
                        : `its permissionsBoundary is ${roleBoundary ?? "unset"}: the PR deployment role may not create it`,
                ),
            );
            const withBoundary: Record<string, string> = roleBoundary ? { "iam:PermissionsBoundary": roleBoundary } : {};
            asDeployer("iam:CreateRole", `role ${name}`, roleArnOf(role), "allowed", stack, withBoundary);
            if (grantsOf(estate, role).length > 0) {
                asDeployer("iam:PutRolePolicy", `role ${name}`, roleArnOf(role), "allowed", stack, withBoundary);
            }
            flows.push(...grantsUsableFlows(estate, role));
            decryptMasterSecret(role, "denied");
            flows.push(
                judge(
                    {
                        kind: "identity",
                        subject: `role ${name}`,
                        action: "secretsmanager:GetSecretValue",
                        target: "the shared database's master secret",
                        expect: "denied",
                        stack,
                    },
                    authorize(estate, rolePrincipal(estate, roleArnOf(role)), "secretsmanager:GetSecretValue", masterSecret),
                ),
            );
        }
    }
    return flows;
}

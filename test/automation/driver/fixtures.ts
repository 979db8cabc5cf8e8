/**
 * A small synthetic stand-in for the offline plan, for unit tests of the engine and driver logic
 * (the lifecycle test uses the real plan). Its workloads stacks react to the config overrides the
 * way a real program does: the image tag lands in an input, so a new tag is an update.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import type { PlanEnvironment } from "../../../automation/driver/offline-engine";
import type { PlanDocument, PlannedResource, PlannedStack, Violation } from "../../../plan-model/types";

export const TEST_ACCOUNT = "222222222222";
export const PROD_ACCOUNT = "444444444444";

function resource(
    project: string,
    stack: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    dependencies: string[] = [],
): PlannedResource {
    return {
        urn: `urn:pulumi:${stack}::${project}::${type}::${name}`,
        type,
        name,
        custom: true,
        parent: null,
        provider: null,
        inputs,
        protect: false,
        retainOnDelete: false,
        dependencies,
    };
}

function platformStack(env: string, account: string): PlannedStack {
    return {
        project: "platform",
        stack: env,
        resources: [resource("platform", env, "aws:ec2/vpc:Vpc", `${env}-vpc`, { cidrBlock: "10.10.0.0/16" })],
        outputs: { accountId: account, domainName: `${env}.payments.example.com`, kubeconfig: "[secret]" },
        violations: [],
    };
}

export function workloadsStack(
    stack: string,
    config: Record<string, unknown>,
    account: string,
    violations: Violation[] = [],
): PlannedStack {
    const provider = resource("workloads", stack, "pulumi:providers:aws", "workloads-aws", {
        region: "us-east-1",
        assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/payments-deployment`, sessionName: "pulumi" }],
    });
    const table = resource("workloads", stack, "aws:dynamodb/table:Table", `${stack}-payments`, { billingMode: "PAY_PER_REQUEST" }, [
        provider.urn,
    ]);
    const queue = resource("workloads", stack, "aws:sqs/queue:Queue", `${stack}-processing`, { visibilityTimeoutSeconds: 180 }, [
        provider.urn,
    ]);
    const worker = resource(
        "workloads",
        stack,
        "aws:lambda/function:Function",
        `${stack}-worker`,
        { imageTag: config["workloads:imageTag"] ?? "template" },
        [queue.urn, table.urn],
    );
    return {
        project: "workloads",
        stack,
        resources: [provider, table, queue, worker],
        outputs: {
            tableName: `${stack}-payments`,
            queueUrl: `https://sqs.us-east-1.amazonaws.com/${account}/${stack}-processing`,
            databasePassword: "[secret]",
        },
        violations,
    };
}

export interface FakePlanOptions {
    /** The account the PR stacks deploy into (a wrongly configured template points elsewhere). */
    prAccount?: string;
    violations?: Violation[];
    calls?: { env: string; overrides: Record<string, Record<string, unknown>> }[];
}

export function fakePlan(options: FakePlanOptions = {}): PlanEnvironment {
    return async (env, planOptions = {}) => {
        options.calls?.push({ env, overrides: planOptions.configOverrides ?? {} });
        const stacks: PlannedStack[] = [
            {
                project: "foundation",
                stack: "org",
                resources: [],
                outputs: { accountIds: { test: TEST_ACCOUNT, prod: PROD_ACCOUNT } },
                violations: [],
            },
            platformStack("mgmt", "111111111111"),
        ];
        if (env !== "mgmt") {
            const platformEnv = env.startsWith("pr-") ? "test" : env;
            const account = platformEnv === "prod" ? PROD_ACCOUNT : platformEnv === "test" ? TEST_ACCOUNT : "333333333333";
            stacks.push(platformStack(platformEnv, account));
            const config = planOptions.configOverrides?.[`workloads/${env}`] ?? {};
            stacks.push(
                workloadsStack(env, config, env.startsWith("pr-") ? (options.prAccount ?? TEST_ACCOUNT) : account, options.violations),
            );
        }
        const doc: PlanDocument = { env, stacks, summary: { stacks: stacks.length, resources: 0, mandatory: 0, advisory: 0 } };
        return doc;
    };
}

/** A repository root with the PR template and stack files, as the driver reads them. */
export function tempRepo(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pr-driver-"));
    fs.mkdirSync(path.join(root, "workloads"));
    const template = [
        "config:",
        "  workloads:stackOrg: organization",
        `  workloads:deploymentRoleArn: arn:aws:iam::${TEST_ACCOUNT}:role/payments-deployment`,
        "  workloads:chartVersion: 1.0.0",
        "  workloads:imageTag: template",
        "  workloads:canary:",
        "    enabled: false",
        "",
    ].join("\n");
    fs.writeFileSync(path.join(root, "workloads", "Pulumi.pr.yaml"), template);
    for (const env of ["test", "preprod", "prod"]) {
        fs.writeFileSync(
            path.join(root, "workloads", `Pulumi.${env}.yaml`),
            template.replace(TEST_ACCOUNT, env === "prod" ? PROD_ACCOUNT : TEST_ACCOUNT),
        );
    }
    return root;
}

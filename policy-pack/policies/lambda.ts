import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { SECRET_PLACEHOLDER } from "../../plan-model/types";
import { has, list, ofTypes } from "../lib/values";

const FUNCTION = ["aws:lambda/function:Function"];
const PERMISSION = ["aws:lambda/permission:Permission"];
const INVOKE_CONFIG = ["aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"];

/** Values that are credentials whatever their name: AWS access key ids, PEM private keys. */
const CREDENTIAL_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** Names that announce a secret; their value must then be a reference (an ARN or a secret's path), not the secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
const REFERENCE = /^(arn:aws[a-z-]*:|\/)/;

/** A Pulumi secret (shown as "[secret]" in the plan) is still stored in clear in the function's configuration. */
function looksLikeSecret(name: string, value: string): boolean {
    return (
        CREDENTIAL_VALUE.test(value) || value === SECRET_PLACEHOLDER || (SECRET_NAME.test(name) && value !== "" && !REFERENCE.test(value))
    );
}

/** Services that invoke Lambda asynchronously (events are queued inside Lambda and retried). */
const ASYNC_PRINCIPALS = [
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "ses.amazonaws.com",
    "logs.amazonaws.com",
    "iot.amazonaws.com",
    "cloudformation.amazonaws.com",
    "codecommit.amazonaws.com",
    "config.amazonaws.com",
];

/** A function reference (Permission.function, FunctionEventInvokeConfig.functionName) may be a name, an ARN or a qualified ARN. */
const FUNCTION_LINK = {
    nameKeys: ["name"],
    matches: (value: string, name: string) => value === name || value.endsWith(`:function:${name}`) || value.includes(`:function:${name}:`),
};

export const LAMBDA_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "lambda-in-vpc",
        reads: { [FUNCTION[0]]: ["vpcConfig.subnetIds", "vpcConfig.securityGroupIds"] },
        domain: "lambda",
        description: "Lambda functions run in the VPC's private subnets with security groups.",
        prevents: "Functions reaching data stores and the internet outside the VPC's controls and flow logs.",
        severity: "medium",
        remediation: "Set vpcConfig { subnetIds: <private subnets>, securityGroupIds: [...] } on the aws.lambda.Function.",
        level: "mandatory",
        checkov: "CKV_AWS_117",
        types: FUNCTION,
        check: (fn, ctx) => {
            const vpc = fn.props.vpcConfig;
            if (!vpc || list(vpc.subnetIds).length === 0 || list(vpc.securityGroupIds).length === 0) {
                ctx.report(`Function ${fn.name} is not attached to VPC subnets and security groups.`);
            }
        },
    }),
    resourcePolicy({
        name: "lambda-tracing",
        reads: { [FUNCTION[0]]: ["tracingConfig.mode"] },
        domain: "lambda",
        description: "Lambda functions have X-Ray active tracing.",
        prevents: "Payment processing failures that cannot be followed across services.",
        severity: "low",
        remediation: 'Set tracingConfig: { mode: "Active" } and allow xray:PutTraceSegments in the role.',
        level: "advisory",
        prodLevel: "mandatory",
        levelReason:
            "Following a payment across services is needed to investigate production incidents; elsewhere traces are optional debugging aids.",
        checkov: "CKV_AWS_50",
        trivy: "AVD-AWS-0066",
        types: FUNCTION,
        check: (fn, ctx) => {
            if (fn.props.tracingConfig?.mode !== "Active") {
                ctx.report(`Function ${fn.name} does not enable active X-Ray tracing.`);
            }
        },
    }),
    stackPolicy({
        name: "lambda-async-failure-destination",
        reads: {
            [FUNCTION[0]]: ["name", "deadLetterConfig.targetArn"],
            [PERMISSION[0]]: ["principal", "function"],
            [INVOKE_CONFIG[0]]: ["functionName", "destinationConfig.onFailure.destination"],
        },
        domain: "lambda",
        description:
            "Lambda functions invoked asynchronously (S3, SNS, EventBridge, ...) have a dead-letter queue or an on-failure destination.",
        prevents: "Events silently discarded after Lambda's asynchronous retries run out.",
        severity: "high",
        remediation:
            "Set deadLetterConfig.targetArn on the function, or an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure.",
        level: "mandatory",
        checkov: "CKV_AWS_116",
        check: (ctx) => {
            const functions = ofTypes(ctx.resources, FUNCTION);
            const asyncInvoked = new Set(
                ofTypes(ctx.resources, PERMISSION)
                    .filter((p) => ASYNC_PRINCIPALS.includes(String(p.props.principal)))
                    .flatMap((p) => referencedBy(p, "function", functions, FUNCTION_LINK)),
            );
            const invokeConfigs = ofTypes(ctx.resources, INVOKE_CONFIG);
            invokeConfigs.flatMap((c) => referencedBy(c, "functionName", functions, FUNCTION_LINK)).forEach((f) => asyncInvoked.add(f));
            ctx.each([...asyncInvoked], (fn) => {
                const deadLetter = has(fn.props.deadLetterConfig ?? {}, "targetArn");
                const onFailure = invokeConfigs.some(
                    (c) =>
                        referencedBy(c, "functionName", functions, FUNCTION_LINK).includes(fn) &&
                        has(c.props.destinationConfig?.onFailure ?? {}, "destination"),
                );
                if (!deadLetter && !onFailure) {
                    ctx.report(
                        `Function ${fn.name} is invoked asynchronously but has neither a dead-letter queue nor an on-failure destination.`,
                        fn.urn,
                    );
                }
            });
        },
    }),
    resourcePolicy({
        name: "lambda-env-no-secrets",
        domain: "lambda",
        description:
            "Lambda environment variables hold no credentials: no AWS access keys, private keys or literal values under secret-sounding names (references such as ARNs and secret names are fine).",
        prevents:
            "Credentials readable by anyone with lambda:GetFunctionConfiguration, kept in state files and plan output, never rotated.",
        severity: "critical",
        remediation: "Keep the secret in Secrets Manager (or use IAM auth) and pass only its ARN or name; the function reads it at start.",
        level: "mandatory",
        checkov: "CKV_AWS_45",
        pci: ["8.3.2", "8.6.2"],
        types: FUNCTION,
        reads: { [FUNCTION[0]]: ["environment.variables"] },
        check: (fn, ctx) => {
            const variables = (list(fn.props.environment)[0]?.variables ?? {}) as Record<string, unknown>;
            const leaks = Object.entries(variables)
                .filter(([name, value]) => typeof value === "string" && looksLikeSecret(name, value))
                .map(([name]) => name);
            if (leaks.length > 0) {
                ctx.report(`Function ${fn.name} has credentials in environment variable(s) ${leaks.join(", ")}.`);
            }
        },
    }),
];

import { PolicyDefinition, resourcePolicy, stackPolicy } from "../lib/definition";
import { referencedBy } from "../lib/links";
import { has, list, ofTypes } from "../lib/values";

const FUNCTION = ["aws:lambda/function:Function"];
const PERMISSION = ["aws:lambda/permission:Permission"];
const INVOKE_CONFIG = ["aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"];

/** Services that invoke Lambda asynchronously (events are queued inside Lambda and retried). */
const ASYNC_PRINCIPALS = ["s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com", "scheduler.amazonaws.com", "ses.amazonaws.com", "logs.amazonaws.com", "iot.amazonaws.com", "cloudformation.amazonaws.com", "codecommit.amazonaws.com", "config.amazonaws.com"];

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
        levelReason: "Following a payment across services is needed to investigate production incidents; elsewhere traces are optional debugging aids.",
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
        description: "Lambda functions invoked asynchronously (S3, SNS, EventBridge, ...) have a dead-letter queue or an on-failure destination.",
        prevents: "Events silently discarded after Lambda's asynchronous retries run out.",
        severity: "high",
        remediation: "Set deadLetterConfig.targetArn on the function, or an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure.",
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
                    (c) => referencedBy(c, "functionName", functions, FUNCTION_LINK).includes(fn) && has(c.props.destinationConfig?.onFailure ?? {}, "destination"),
                );
                if (!deadLetter && !onFailure) {
                    ctx.report(`Function ${fn.name} is invoked asynchronously but has neither a dead-letter queue nor an on-failure destination.`, fn.urn);
                }
            });
        },
    }),
];

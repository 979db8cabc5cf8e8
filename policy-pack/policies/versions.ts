import { PolicyDefinition, resourcePolicy } from "../lib/definition";

const FUNCTION = "aws:lambda/function:Function";
const DB_INSTANCE = "aws:rds/instance:Instance";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** Lambda runtimes past their AWS deprecation date (Lambda runtimes page, "Deprecated runtimes"). */
const DEPRECATED_RUNTIMES = ["nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "python2.7", "python3.6", "python3.7", "python3.8", "ruby2.5", "ruby2.7", "java8", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "go1.x", "provided"];

export const VERSIONS_POLICIES: PolicyDefinition[] = [
    resourcePolicy({
        name: "versions-current",
        domain: "versions",
        description: "Lambda runtimes are supported, RDS applies minor upgrades automatically, load balancers mitigate HTTP desync.",
        prevents: "Running on a runtime or engine without security fixes, and request smuggling through a lenient load balancer.",
        severity: "medium",
        remediation: 'Use a supported Lambda runtime (nodejs22.x), set autoMinorVersionUpgrade true on aws.rds.Instance, and desyncMitigationMode "defensive" or "strictest" on load balancers.',
        level: "mandatory",
        checkov: "CKV_AWS_363",
        securityHub: ["Lambda.2", "RDS.13", "ELB.12"],
        pci: ["6.3.3"],
        types: [FUNCTION, DB_INSTANCE, ...LOAD_BALANCERS],
        reads: { [FUNCTION]: ["runtime"], [DB_INSTANCE]: ["autoMinorVersionUpgrade"], ...Object.fromEntries(LOAD_BALANCERS.map((t) => [t, ["desyncMitigationMode", "loadBalancerType"]])) },
        check: (r, ctx) => {
            if (r.type === FUNCTION && DEPRECATED_RUNTIMES.includes(String(r.props.runtime ?? ""))) {
                ctx.report(`Function ${r.name} runs on deprecated runtime ${r.props.runtime}.`);
            } else if (r.type === DB_INSTANCE && r.props.autoMinorVersionUpgrade === false) {
                ctx.report(`Database ${r.name} does not apply minor version upgrades automatically.`);
            } else if (LOAD_BALANCERS.includes(r.type) && (r.props.loadBalancerType ?? "application") === "application" && r.props.desyncMitigationMode === "monitor") {
                ctx.report(`Load balancer ${r.name} only monitors HTTP desync (desyncMitigationMode monitor).`);
            }
        },
    }),
];

import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

/*
 * The only place the pack is constructed: `new PolicyPack` starts the analyzer's gRPC server and
 * reads name and version from ./package.json, so tests and the offline plan import ./policies
 * instead. Levels here are the non-prod defaults; CI passes config/<env>.json for stricter prod
 * levels and settings (see docs/policy-pack.md).
 */
new PolicyPack("payments-guardrails", {
    description: "Guardrails for the payments AWS estate: encryption, network exposure, resilience, tagging and environment rules.",
    provider: "aws",
    enforcementLevel: "advisory",
    policies: POLICIES.map((p) => p.policy),
});

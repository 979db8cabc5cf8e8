import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PR_APP_PROJECT, PR_APPLICATIONS_NAMESPACE, PR_KUBERNETES_USER } from "../../lib/ci-trust";

export interface GuardValidation {
    expression: string;
    message: string;
}

/** Only the PR CI identity's requests are judged; everyone else is untouched. */
export const PR_IDENTITY_MATCH = `request.userInfo.username == '${PR_KUBERNETES_USER}'`;

/**
 * What the PR identity may change, whatever RBAC grants: in an env cluster, only objects in pr-*
 * namespaces and the pr-* namespaces themselves (RBAC cannot limit a namespace's name on create,
 * nor a cluster-wide grant to some namespaces).
 */
export const ENV_CLUSTER_GUARD: GuardValidation[] = [
    {
        expression: "request.namespace.startsWith('pr-') || (request.resource.resource == 'namespaces' && request.name.startsWith('pr-'))",
        message: "pull requests may change only pr-* namespaces and what is in them",
    },
];

/** In the hub: only Applications in the PR applications namespace, and only in the PR project. */
export const HUB_GUARD: GuardValidation[] = [
    {
        expression: `request.namespace == '${PR_APPLICATIONS_NAMESPACE}' && request.resource.group == 'argoproj.io' && request.resource.resource == 'applications'`,
        message: `pull requests may change only Argo CD Applications in ${PR_APPLICATIONS_NAMESPACE}`,
    },
    {
        expression: `request.operation == 'DELETE' || object.spec.project == '${PR_APP_PROJECT}'`,
        message: `pull requests' Applications belong to the ${PR_APP_PROJECT} project`,
    },
];

export interface PrIdentityGuardArgs {
    kubernetes: k8s.Provider;
    validations: GuardValidation[];
}

/**
 * A ValidatingAdmissionPolicy (GA since Kubernetes 1.30) that the API server applies to every write
 * by the PR CI identity: the last word on what a pull request's code can change in a cluster.
 */
export class PrIdentityGuard extends pulumi.ComponentResource {
    constructor(name: string, args: PrIdentityGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:platform:PrIdentityGuard", name, {}, opts);
        const k8sOpts = { parent: this, provider: args.kubernetes };
        const policyName = "payments-pr-identity-guard";
        const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            name,
            {
                metadata: { name: policyName },
                spec: {
                    failurePolicy: "Fail",
                    matchConstraints: {
                        resourceRules: [
                            {
                                apiGroups: ["*"],
                                apiVersions: ["*"],
                                resources: ["*"],
                                operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"],
                                scope: "*",
                            },
                        ],
                    },
                    matchConditions: [{ name: "pr-identity", expression: PR_IDENTITY_MATCH }],
                    validations: args.validations,
                },
            },
            k8sOpts,
        );
        new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            name,
            { metadata: { name: policyName }, spec: { policyName: policy.metadata.name, validationActions: ["Deny"] } },
            k8sOpts,
        );
        this.registerOutputs({});
    }
}

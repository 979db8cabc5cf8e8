import { expect } from "chai";
import { ProvisioningRequest } from "../../../workloads/provisioner";
import { provisionSearchAccess, SearchRequest, WORKER_INDEX_ACTIONS } from "../../../workloads/provisioner/search";

describe("provisioner: OpenSearch access for the worker", () => {
    const spec = {
        roleName: "payments-pr-7-worker",
        index: "payments-pr-7-transactions",
        backendRoles: ["arn:aws:iam::111111111111:role/pr-7-payments-worker"],
        dropIndexOnDelete: true,
    };
    const recorder = () => {
        const calls: Array<[string, string, unknown]> = [];
        const request: SearchRequest = async (method, path, body) => {
            calls.push([method, path, body]);
            return { statusCode: 200 };
        };
        return { calls, request };
    };

    it("creates a role writing only the environment's index and maps the worker's IAM role to it", async () => {
        const { calls, request } = recorder();
        await provisionSearchAccess(request, spec, "create");
        expect(calls).to.deep.equal([
            [
                "PUT",
                "/_plugins/_security/api/roles/payments-pr-7-worker",
                {
                    cluster_permissions: ["indices:data/write/bulk"],
                    index_permissions: [{ index_patterns: ["payments-pr-7-transactions"], allowed_actions: WORKER_INDEX_ACTIONS }],
                },
            ],
            ["PUT", "/_plugins/_security/api/rolesmapping/payments-pr-7-worker", { backend_roles: spec.backendRoles }],
        ]);
    });

    it("removes the mapping, the role and (for a PR) the index on delete", async () => {
        const { calls, request } = recorder();
        await provisionSearchAccess(request, spec, "delete");
        expect(calls.map(([method, path]) => `${method} ${path}`)).to.deep.equal([
            "DELETE /_plugins/_security/api/rolesmapping/payments-pr-7-worker",
            "DELETE /_plugins/_security/api/roles/payments-pr-7-worker",
            "DELETE /payments-pr-7-transactions",
        ]);
    });

    it("refuses an invocation input that is not a provisioning request", () => {
        expect(() => ProvisioningRequest.parse({ kind: "database", database: "payments", tf: { action: "create" } })).to.throw();
        expect(() =>
            ProvisioningRequest.parse({
                kind: "search",
                ...spec,
                endpoint: "https://vpc-x.es.amazonaws.com",
                masterRoleArn: "arn:aws:iam::1:role/m",
                tf: { action: "drop" },
            }),
        ).to.throw();
    });
});

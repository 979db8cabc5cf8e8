import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import { PULL_ACTIONS } from "../../foundation/registry";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, jsonInput, outputsOf, stackFileConfig } from "./fixture";

const REPOSITORY = "aws:ecr/repository:Repository";
const ADMIN_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** A role with AdministratorAccess in `accountId` calling `action` on a repository with this policy. */
async function decision(accountId: string, action: string, repositoryArn: string, repositoryPolicy: unknown): Promise<string> {
    const principal = `arn:aws:iam::${accountId}:role/eks-node`;
    const result = await runSimulation(
        {
            request: {
                principal,
                action,
                resource: { resource: repositoryArn, accountId: repositoryArn.split(":")[4] },
                contextVariables: { "aws:PrincipalArn": principal },
            },
            identityPolicies: [{ name: "AdministratorAccess", policy: ADMIN_POLICY }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: repositoryPolicy,
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(JSON.stringify(result.errors));
    }
    return result.overallResult;
}

describe("foundation central registry", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("has an image and a Helm chart repository per service, in the management account", () => {
        const { images, charts } = stackFileConfig().registry;
        const names = inventory.ofType(REPOSITORY).map((r) => inventory.input(r, "name"));
        expect(names).to.have.members([...images, ...charts.map((c: string) => `charts/${c}`)]);
        const { accountIds, ecrRepositoryUrls, ecrRegistry } = outputsOf(inventory);
        for (const repository of inventory.ofType(REPOSITORY)) {
            expect(accountOf(inventory, repository)).to.equal(accountIds.management);
        }
        expect(Object.keys(ecrRepositoryUrls)).to.have.members(names as string[]);
        for (const url of Object.values(ecrRepositoryUrls)) {
            expect(url.startsWith(`${ecrRegistry}/`), url).to.equal(true);
        }
    });

    it("makes every tag immutable and scans every push", () => {
        for (const repository of inventory.ofType(REPOSITORY)) {
            expect(inventory.input(repository, "imageTagMutability"), repository.name).to.equal("IMMUTABLE");
            expect(inventory.input(repository, "imageScanningConfiguration.scanOnPush"), repository.name).to.equal(true);
        }
    });

    it("lets only the workload accounts pull, and nobody push", () => {
        const { accountIds } = outputsOf(inventory);
        const policies = inventory.ofType("aws:ecr/repositoryPolicy:RepositoryPolicy");
        expect(policies).to.have.length(inventory.ofType(REPOSITORY).length);
        for (const policy of policies) {
            const [statement, ...rest] = jsonInput(inventory, policy, "policy").Statement;
            expect(rest, policy.name).to.be.empty;
            expect(statement.Effect).to.equal("Allow");
            expect(statement.Principal.AWS).to.have.members(
                [accountIds.test, accountIds.preprod, accountIds.prod].map((id) => `arn:aws:iam::${id}:root`),
            );
            expect(statement.Action).to.have.members(PULL_ACTIONS);
            expect(statement.Action.some((a: string) => /Put|Upload|Delete|\*/.test(a))).to.equal(false);
        }
    });

    it("lets a workload account's node pull a chart, and neither push nor let the security account pull (simulated)", async () => {
        const { accountIds, ecrRegistry } = outputsOf(inventory);
        const repositoryPolicy = inventory
            .ofType("aws:ecr/repositoryPolicy:RepositoryPolicy")
            .find((p) => inventory.input(p, "repository") === "charts/payments-api")!;
        const policy = jsonInput(inventory, repositoryPolicy, "policy");
        const arn = `arn:aws:ecr:${ecrRegistry.split(".")[3]}:${accountIds.management}:repository/charts/payments-api`;
        expect(await decision(accountIds.prod, "ecr:BatchGetImage", arn, policy)).to.equal("Allowed");
        expect(await decision(accountIds.test, "ecr:GetDownloadUrlForLayer", arn, policy)).to.equal("Allowed");
        expect(await decision(accountIds.prod, "ecr:PutImage", arn, policy)).to.not.equal("Allowed");
        expect(await decision(accountIds.security, "ecr:BatchGetImage", arn, policy)).to.not.equal("Allowed");
    });

    it("expires untagged images first and keeps the newest tagged ones", () => {
        const { maxImageCount, untaggedExpiryDays } = stackFileConfig().registry;
        for (const lifecycle of inventory.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy")) {
            const rules = jsonInput(inventory, lifecycle, "policy").rules;
            expect(rules[0].selection).to.include({ tagStatus: "untagged", countNumber: untaggedExpiryDays });
            // ECR requires the tagStatus "any" rule to have the lowest priority (highest number).
            expect(rules[rules.length - 1].selection).to.include({
                tagStatus: "any",
                countType: "imageCountMoreThan",
                countNumber: maxImageCount,
            });
        }
    });
});

import { expect } from "chai";
import { effectivePermissionSet, PERMISSION_SETS, resolveAssignments } from "../../foundation/identity-center";
import { Inventory } from "../harness";
import { foundationOrg, jsonInput, outputsOf, stackFileConfig } from "./fixture";

const PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet";
const ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment";

describe("foundation identity center", () => {
    let inventory: Inventory;
    /** "group permissionSet account" for every deployed assignment. */
    let grants: string[];

    before(async () => {
        inventory = await foundationOrg();
        const { accountIds } = outputsOf(inventory);
        const groups: Record<string, string> = stackFileConfig().identityCenter.groups;
        const groupOf = Object.fromEntries(Object.entries(groups).map(([name, id]) => [id, name]));
        const accountOf = Object.fromEntries(Object.entries(accountIds).map(([name, id]) => [id, name]));
        grants = inventory.ofType(ASSIGNMENT).map((assignment) => {
            const permissionSet = inventory.dependenciesOf(assignment).find((d) => d.type === PERMISSION_SET)!;
            expect(inventory.input(assignment, "principalType")).to.equal("GROUP");
            expect(inventory.input(assignment, "targetType")).to.equal("AWS_ACCOUNT");
            return `${groupOf[inventory.input<string>(assignment, "principalId")]} ${inventory.input(permissionSet, "name")} ${accountOf[inventory.input<string>(assignment, "targetId")]}`;
        });
    });

    it("creates the four permission sets with their session durations", () => {
        const sets = Object.fromEntries(
            inventory
                .ofType(PERMISSION_SET)
                .map((ps) => [inventory.input<string>(ps, "name"), inventory.input<string>(ps, "sessionDuration")]),
        );
        expect(sets).to.deep.equal({ PlatformAdmin: "PT1H", Developer: "PT8H", ReadOnly: "PT8H", SupportAdmin: "PT4H" });
    });

    it("gives developers Developer in test and preprod but only ReadOnly in prod", () => {
        const developers = grants.filter((g) => g.startsWith("developers "));
        expect(developers).to.have.members(["developers Developer test", "developers Developer preprod", "developers ReadOnly prod"]);
    });

    it("gives platform admins PlatformAdmin everywhere and support staff SupportAdmin in preprod and prod", () => {
        for (const account of ["management", "security", "test", "preprod", "prod"]) {
            expect(grants).to.include(`platform-admins PlatformAdmin ${account}`);
            expect(grants).to.include(`auditors ReadOnly ${account}`);
        }
        expect(grants.filter((g) => g.startsWith("support "))).to.have.members([
            "support SupportAdmin preprod",
            "support SupportAdmin prod",
        ]);
    });

    it("keeps ReadOnly away from data: its inline policy denies reading objects, secrets and items", () => {
        const inline = inventory.one("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy");
        const readOnly = inventory.dependenciesOf(inline).find((d) => d.type === PERMISSION_SET)!;
        expect(inventory.input(readOnly, "name")).to.equal("ReadOnly");
        expect(jsonInput(inventory, inline, "inlinePolicy").Statement[0].Action).to.include.members([
            "s3:GetObject",
            "secretsmanager:GetSecretValue",
            "dynamodb:GetItem",
        ]);
    });

    it("attaches AdministratorAccess to PlatformAdmin only", () => {
        const admins = inventory
            .ofType("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment")
            .filter((a) => inventory.input(a, "managedPolicyArn") === "arn:aws:iam::aws:policy/AdministratorAccess")
            .map((a) =>
                inventory.input(
                    inventory.dependenciesOf(a).find((d) => d.type === PERMISSION_SET)!,
                    "name",
                ),
            );
        expect(admins).to.deep.equal(["PlatformAdmin"]);
        expect(PERMISSION_SETS.Developer.managedPolicyArns).to.deep.equal(["arn:aws:iam::aws:policy/PowerUserAccess"]);
    });

    it("turns a Developer assignment in prod into ReadOnly, and de-duplicates what that produces", () => {
        expect(effectivePermissionSet("Developer", "prod")).to.equal("ReadOnly");
        expect(effectivePermissionSet("Developer", "test")).to.equal("Developer");
        expect(effectivePermissionSet("PlatformAdmin", "prod")).to.equal("PlatformAdmin");
        expect(
            resolveAssignments([
                { group: "devs", permissionSet: "Developer", accounts: ["prod"] },
                { group: "devs", permissionSet: "ReadOnly", accounts: ["prod"] },
            ]),
        ).to.deep.equal([{ group: "devs", permissionSet: "ReadOnly", account: "prod" }]);
    });
});

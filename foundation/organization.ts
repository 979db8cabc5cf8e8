import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MEMBER_ACCOUNTS, MemberAccount } from "../lib/environments";
import { Namer } from "../lib/naming";
import type { MemberAccountConfig, OrganizationalUnitPath } from "./config";
import type { FoundationOutputs } from "./outputs";
import type { PolicyTarget } from "./policies";

/** Services that act across the organization: the audit services, Identity Center and RAM. */
export const SERVICE_ACCESS_PRINCIPALS = [
    "access-analyzer.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "guardduty.amazonaws.com",
    "inspector2.amazonaws.com",
    "malware-protection.guardduty.amazonaws.com",
    "ram.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
];

export const ENABLED_POLICY_TYPES = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

/** The role Organizations creates in every new account; the foundation reaches members through it. */
export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

type OuKey = keyof FoundationOutputs["ouIds"];
const OU_OF_PATH: Record<OrganizationalUnitPath, Exclude<OuKey, "workloads">> = {
    Security: "security",
    "Workloads/NonProd": "nonProd",
    "Workloads/Prod": "prod",
};

export interface OrganizationArgs {
    accounts: Record<MemberAccount, MemberAccountConfig>;
    /** Accounts that `pulumi destroy` or a removed config entry must never take out of the organization. */
    protectedAccounts: MemberAccount[];
}

/** The organization (all features), its OUs and the member accounts (management account). */
export class Organization extends pulumi.ComponentResource {
    readonly organizationId: pulumi.Output<string>;
    readonly rootId: pulumi.Output<string>;
    readonly ouIds: Record<OuKey, pulumi.Output<string>>;
    readonly accountIds: Record<MemberAccount, pulumi.Output<string>>;
    /** Every policy target by the name the attachment plan uses. */
    readonly policyTargetIds: Record<PolicyTarget, pulumi.Output<string>>;
    /** Resources that must exist before delegated administrators and organization trails. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:Organization", name, {}, opts);
        const namer = new Namer(name);
        const child = { parent: this };
        const organization = new aws.organizations.Organization(
            namer.name("organization"),
            { featureSet: "ALL", awsServiceAccessPrincipals: SERVICE_ACCESS_PRINCIPALS, enabledPolicyTypes: ENABLED_POLICY_TYPES },
            // Deleting the organization would orphan every account and guardrail.
            { ...child, protect: true },
        );
        this.organizationId = organization.id;
        this.rootId = organization.roots.apply((roots) => roots[0].id);

        const ou = (key: string, ouName: string, parentId: pulumi.Input<string>) =>
            new aws.organizations.OrganizationalUnit(namer.name("ou", { suffix: key }), { name: ouName, parentId }, child);
        const security = ou("security", "Security", this.rootId);
        const workloads = ou("workloads", "Workloads", this.rootId);
        const nonProd = ou("nonprod", "NonProd", workloads.id);
        const prod = ou("prod", "Prod", workloads.id);
        this.ouIds = { security: security.id, workloads: workloads.id, nonProd: nonProd.id, prod: prod.id };
        this.policyTargetIds = { root: this.rootId, ...this.ouIds };

        this.accountIds = {} as Record<MemberAccount, pulumi.Output<string>>;
        for (const key of MEMBER_ACCOUNTS) {
            const account = args.accounts[key];
            const created = new aws.organizations.Account(
                namer.name("account", { suffix: key }),
                {
                    name: account.name,
                    email: account.email,
                    parentId: this.ouIds[OU_OF_PATH[account.ou]],
                    // Removing an account from code detaches it; closing one is a deliberate, manual act.
                    closeOnDeletion: false,
                    roleName: ORGANIZATION_ACCESS_ROLE,
                    iamUserAccessToBilling: "ALLOW",
                },
                // Organizations cannot read these two back after creation; they would show as a diff forever.
                { ...child, protect: args.protectedAccounts.includes(key), ignoreChanges: ["roleName", "iamUserAccessToBilling"] },
            );
            this.accountIds[key] = created.id;
        }

        // Lets the platform share the Transit Gateway with the organization instead of account by account.
        const ramSharing = new aws.ram.SharingWithOrganization(namer.name("ram-sharing"), {}, { ...child, dependsOn: [organization] });
        this.ready = [organization, ramSharing];
        this.registerOutputs({ organizationId: this.organizationId, rootId: this.rootId, ouIds: this.ouIds, accountIds: this.accountIds });
    }
}

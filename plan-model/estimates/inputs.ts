/**
 * Reading resource inputs as the plan records them: plain JSON, with "[secret]" and "[unknown]"
 * standing in for values that do not exist before apply.
 */
import { PlannedResource, SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../types";

/** The value at a dot/bracket path (`a.b[0].c`), or undefined when any step is missing or unknown. */
export function valueAt(inputs: Record<string, unknown>, path: string): unknown {
    let current: unknown = inputs;
    for (const step of path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "")) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string, unknown>)[step];
    }
    return current === UNKNOWN_PLACEHOLDER || current === SECRET_PLACEHOLDER ? undefined : current;
}

export function numberAt(r: PlannedResource, path: string): number | undefined {
    const value = valueAt(r.inputs, path);
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) return Number(value);
    return undefined;
}

export function stringAt(r: PlannedResource, path: string): string | undefined {
    const value = valueAt(r.inputs, path);
    return typeof value === "string" ? value : undefined;
}

export function booleanAt(r: PlannedResource, path: string): boolean | undefined {
    const value = valueAt(r.inputs, path);
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    return undefined;
}

/** An array input, or undefined when it is absent or only known after apply. */
export function arrayAt(r: PlannedResource, path: string): unknown[] | undefined {
    const value = valueAt(r.inputs, path);
    return Array.isArray(value) ? value : undefined;
}

/** An RDS instance that replicates another: the input is set (even if its value is only known after apply). */
export function isReplica(r: PlannedResource): boolean {
    const source = r.inputs.replicateSourceDb;
    return source !== undefined && source !== null && source !== "";
}

/** IAM identities and policies. One family in prices.ts and timings.ts. */
export const IAM_TYPES = [
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policy:Policy",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/accountAlias:AccountAlias",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
];

/** IAM Identity Center permission sets, their assignments and the identity store. One family in prices.ts and timings.ts. */
export const IDENTITY_CENTER_TYPES = [
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    "aws:ssoadmin/accountAssignment:AccountAssignment",
    "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment",
    "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
    "aws:identitystore/group:Group",
    "aws:identitystore/groupMembership:GroupMembership",
    "aws:identitystore/user:User",
];

/** A load balancer's listeners, rules and target groups (both provider modules). One family in prices.ts and timings.ts. */
export const LOAD_BALANCER_PART_TYPES = [
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:alb/listener:Listener",
    "aws:alb/listenerRule:ListenerRule",
    "aws:alb/targetGroup:TargetGroup",
];

/** Resource Access Manager shares (the Transit Gateway to the spoke accounts). One family in prices.ts and timings.ts. */
export const RAM_SHARING_TYPES = [
    "aws:ram/resourceShare:ResourceShare",
    "aws:ram/resourceAssociation:ResourceAssociation",
    "aws:ram/principalAssociation:PrincipalAssociation",
    "aws:ram/resourceShareAccepter:ResourceShareAccepter",
    "aws:ram/sharingWithOrganization:SharingWithOrganization",
];

/**
 * VPC building blocks, security groups and account-level EC2/EBS settings: no charge, one quick API
 * call each. One family in prices.ts and timings.ts (each table adds the EC2 types it treats alike).
 */
export const VPC_BUILDING_BLOCK_TYPES = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/route:Route",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions",
    "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation",
    "aws:ec2/managedPrefixList:ManagedPrefixList",
    "aws:ec2/tag:Tag",
    "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
    "aws:ec2/serialConsoleAccess:SerialConsoleAccess",
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:ebs/defaultKmsKey:DefaultKmsKey",
    "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
];

/**
 * SES identities, their settings and configuration sets (v1 and v2): billed as sending, one quick
 * API call each. One family in prices.ts and timings.ts; domain verification, which waits for DNS,
 * each table adds apart.
 */
export const SES_TYPES = [
    "aws:ses/domainIdentity:DomainIdentity",
    "aws:ses/domainDkim:DomainDkim",
    "aws:ses/identityPolicy:IdentityPolicy",
    "aws:ses/configurationSet:ConfigurationSet",
    "aws:ses/eventDestination:EventDestination",
    "aws:ses/mailFrom:MailFrom",
    "aws:ses/emailIdentity:EmailIdentity",
    "aws:sesv2/emailIdentity:EmailIdentity",
    "aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy",
    "aws:sesv2/configurationSet:ConfigurationSet",
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
];

/** S3 bucket sub-resources: each is one quick API call, and none is billed by itself. */
export const S3_BUCKET_SETTING_TYPES = [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketNotification:BucketNotification",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration",
];

/** One table entry shared by several type tokens. */
export function each<T>(types: readonly string[], entry: T): Record<string, T> {
    return Object.fromEntries(types.map((type) => [type, entry]));
}

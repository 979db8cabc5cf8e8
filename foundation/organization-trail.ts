import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface OrganizationTrailArgs {
    trailName: string;
    bucketName: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

/** ARN of the trail before it exists, so the bucket and key policies can name it (no cycle). */
export function trailArn(region: string, managementAccountId: string, trailName: string): string {
    return `arn:aws:cloudtrail:${region}:${managementAccountId}:trail/${trailName}`;
}

/**
 * The organization trail. It lives in the management account, where no SCP reaches and member
 * admins cannot stop it; its logs go to the security account's archive.
 */
export class OrganizationTrail extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: OrganizationTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:OrganizationTrail", name, {}, opts);
        const trail = new aws.cloudtrail.Trail(
            name,
            {
                name: args.trailName,
                s3BucketName: args.bucketName,
                kmsKeyId: args.kmsKeyArn,
                isOrganizationTrail: true,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
            },
            // The component's dependencies (the archive's bucket policy) must hold for the trail itself.
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.arn = trail.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

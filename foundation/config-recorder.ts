import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Namer } from "../lib/naming";

/** Under this prefix of the log archive Config writes `AWSLogs/<account>/Config/...` (kept apart from CloudTrail's `AWSLogs/`). */
export const CONFIG_DELIVERY_PREFIX = "config";

export interface ConfigRecorderArgs {
    /** The organization's log archive (security account) and its key. */
    bucketName: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    /** The archive's bucket and key policies: Config checks them when the channel is created. */
    archive: pulumi.Resource;
}

/**
 * One account's AWS Config in the stacks' region (the only region the policy pack lets the estate
 * deploy to, and where Security Hub runs): a recorder of every supported resource type, global
 * ones included, delivering to the organization's log archive, which the organization aggregator
 * in the security account reads. Recording uses Config's service-linked role, so what writes to
 * the archive is the Config service principal for this account (the bucket and key policies admit
 * exactly that, per account).
 */
export class ConfigRecorder extends pulumi.ComponentResource {
    constructor(name: string, args: ConfigRecorderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("payments:foundation:ConfigRecorder", name, {}, opts);
        const namer = new Namer(name);
        // AWS creates this role itself only when Config is first enabled from the console; here it is ours
        // (an account that already has it: `pulumi import`, see docs/foundation.md).
        const role = new aws.iam.ServiceLinkedRole(
            namer.name("service-role"),
            { awsServiceName: "config.amazonaws.com" },
            { parent: this },
        );
        const recorder = new aws.cfg.Recorder(
            namer.name("recorder"),
            { name: "default", roleArn: role.arn, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
            { parent: this },
        );
        const channel = new aws.cfg.DeliveryChannel(
            namer.name("delivery"),
            {
                name: "default",
                s3BucketName: args.bucketName,
                s3KeyPrefix: CONFIG_DELIVERY_PREFIX,
                s3KmsKeyArn: args.kmsKeyArn,
                snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
            },
            // Config refuses a channel without a recorder in the region.
            { parent: this, dependsOn: [recorder, args.archive] },
        );
        // Recording starts only once it has somewhere to deliver.
        new aws.cfg.RecorderStatus(
            namer.name("recording"),
            { name: recorder.name, isEnabled: true },
            { parent: this, dependsOn: [channel] },
        );
        this.registerOutputs({});
    }
}

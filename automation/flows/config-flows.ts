import { Estate, EstateResource } from "./estate";
import { judge, reference } from "./flow";
import { authorize, rolePrincipal, servicePrincipal } from "./iam/authorize";
import { OUTSIDER_ACCOUNT } from "./identity-flows";
import { Flow } from "../../plan-model/flows";

const CONFIG_SERVICE = "config.amazonaws.com";

/** A resource's region: its own `region` argument, else its provider's (the estate's region). */
const regionOf = (r: EstateResource) => String(r.inputs.region ?? "us-east-1");

/** What Config's delivery sends with a request for `account` (AWS adds the organization when the account is in one). */
function configFor(estate: Estate, account: string, inOrganization = true) {
    return servicePrincipal(CONFIG_SERVICE, {
        "aws:SourceAccount": account,
        ...(inOrganization && estate.organizationId ? { "aws:SourceOrgID": estate.organizationId } : {}),
    });
}

/**
 * An organization aggregator sees only what each account records: every account of the
 * organization needs a recorder, a delivery channel and recording switched on (Security Hub's
 * Config-based controls fail where nothing records). Checked in the aggregator's region, the one
 * region the estate deploys to.
 */
function recordingFlows(estate: Estate): Flow[] {
    const aggregator = estate
        .ofType("aws:cfg/configurationAggregator:ConfigurationAggregator")
        .find((a) => a.inputs.organizationAggregationSource !== undefined);
    if (!aggregator) {
        return [];
    }
    const region = regionOf(aggregator);
    const flows: Flow[] = [];
    for (const [name, account] of Object.entries(estate.accountIds)) {
        const of = (type: string) => estate.ofType(type).filter((r) => r.account === account && regionOf(r) === region);
        const recorders = of("aws:cfg/recorder:Recorder");
        const channels = of("aws:cfg/deliveryChannel:DeliveryChannel");
        const enabled = of("aws:cfg/recorderStatus:RecorderStatus").filter(
            (s) => s.inputs.isEnabled === true && recorders.some((r) => r.inputs.name === s.inputs.name),
        );
        const missing = [
            recorders.length === 0 && "configuration recorder",
            channels.length === 0 && "delivery channel",
            enabled.length === 0 && "recorder status with isEnabled",
        ].filter(Boolean);
        flows.push(
            reference(
                {
                    subject: `aggregator ${aggregator.inputs.name}`,
                    action: "sees a recording account",
                    target: `${name} (${region})`,
                    stack: aggregator.stack,
                },
                missing.length === 0,
                missing.length === 0
                    ? `recorder ${recorders[0].inputs.name} records and delivers through ${channels[0].inputs.name}`
                    : `no ${missing.join(", ")} in ${name} ${region}: the aggregator has nothing from it`,
            ),
        );
    }
    return flows;
}

/**
 * Every delivery channel: Config, for the channel's account, may check the bucket, write the
 * account's own prefix and use the key; Config for another account, Config for an account outside
 * the organization, and the account's own deployment role may not write there.
 */
function deliveryFlows(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const channel of estate.ofType("aws:cfg/deliveryChannel:DeliveryChannel")) {
        const account = channel.account!;
        const region = String(channel.inputs.region ?? "us-east-1");
        const bucket = String(channel.inputs.s3BucketName);
        const prefix = channel.inputs.s3KeyPrefix ? `${channel.inputs.s3KeyPrefix}/` : "";
        const name = Object.entries(estate.accountIds).find(([, id]) => id === account)?.[0] ?? account;
        const object = (owner: string) =>
            `arn:aws:s3:::${bucket}/${prefix}AWSLogs/${owner}/Config/${region}/2026/1/1/ConfigSnapshot/snapshot.json.gz`;
        const target = `${bucket}/${prefix}AWSLogs/${name}/Config (${region})`;
        const spec = (subject: string, action: string, expect: "allowed" | "denied", to = target) => ({
            kind: "identity" as const,
            subject,
            action,
            target: to,
            expect,
            stack: channel.stack,
        });
        const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
        const config = configFor(estate, account);
        flows.push(
            judge(
                spec(`AWS Config (${name})`, "s3:GetBucketAcl", "allowed", `bucket ${bucket}`),
                authorize(estate, config, "s3:GetBucketAcl", `arn:aws:s3:::${bucket}`),
            ),
        );
        flows.push(
            judge(spec(`AWS Config (${name})`, "s3:PutObject", "allowed"), authorize(estate, config, "s3:PutObject", object(account), acl)),
        );
        if (channel.inputs.s3KmsKeyArn) {
            const key = String(channel.inputs.s3KmsKeyArn);
            flows.push(
                judge(
                    spec(`AWS Config (${name})`, "kms:GenerateDataKey", "allowed", `key of ${bucket}`),
                    authorize(estate, config, "kms:GenerateDataKey", key),
                ),
            );
        }
        for (const [otherName, other] of Object.entries(estate.accountIds).filter(([, id]) => id !== account)) {
            flows.push(
                judge(
                    spec(`AWS Config (${otherName})`, "s3:PutObject", "denied"),
                    authorize(estate, configFor(estate, other), "s3:PutObject", object(account), acl),
                ),
            );
        }
        flows.push(
            judge(
                spec(
                    `AWS Config (account ${OUTSIDER_ACCOUNT}, outside the organization)`,
                    "s3:PutObject",
                    "denied",
                    `${bucket}/${prefix}AWSLogs/${OUTSIDER_ACCOUNT}/Config`,
                ),
                authorize(estate, configFor(estate, OUTSIDER_ACCOUNT, false), "s3:PutObject", object(OUTSIDER_ACCOUNT), acl),
            ),
        );
        const deployer = estate.ofType("aws:iam/role:Role").find((r) => r.account === account && r.inputs.name === "payments-deployment");
        if (deployer?.arn) {
            flows.push(
                judge(
                    spec(`payments-deployment (${name})`, "s3:PutObject", "denied"),
                    authorize(estate, rolePrincipal(estate, deployer.arn), "s3:PutObject", object(account), acl),
                ),
            );
        }
    }
    return flows;
}

export function configFlows(estate: Estate): Flow[] {
    return [...recordingFlows(estate), ...deliveryFlows(estate)];
}

import { expect } from "chai";
import { Inventory } from "../harness";
import { accountOf, foundationOrg, outputsOf } from "./fixture";

describe("foundation Config recorders", () => {
    let inventory: Inventory;
    before(async () => {
        inventory = await foundationOrg();
    });

    it("records every account (global resources included) with Config's service-linked role", () => {
        const { accountIds } = outputsOf(inventory);
        const recorders = inventory.ofType("aws:cfg/recorder:Recorder");
        expect(recorders.map((r) => accountOf(inventory, r))).to.have.members(Object.values(accountIds));
        for (const recorder of recorders) {
            expect(inventory.input(recorder, "recordingGroup")).to.deep.equal({ allSupported: true, includeGlobalResourceTypes: true });
            const role = inventory.dependenciesOf(recorder).find((d) => d.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole")!;
            expect(inventory.input(role, "awsServiceName")).to.equal("config.amazonaws.com");
            expect(accountOf(inventory, role)).to.equal(accountOf(inventory, recorder));
            expect(inventory.input(recorder, "roleArn")).to.match(
                /:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/,
            );
        }
    });

    it("delivers every account to the log archive with its key, only once the archive's policies admit Config", () => {
        const { logArchiveBucket } = outputsOf(inventory);
        const key = inventory.one("aws:kms/key:Key", "org-log-archive-key");
        const channels = inventory.ofType("aws:cfg/deliveryChannel:DeliveryChannel");
        expect(channels).to.have.length(5);
        for (const channel of channels) {
            expect(inventory.input(channel, "s3BucketName")).to.equal(logArchiveBucket);
            expect(inventory.input(channel, "s3KeyPrefix")).to.equal("config");
            expect(inventory.input(channel, "s3KmsKeyArn")).to.equal(inventory.input(key, "arn") ?? key.arn);
            expect(inventory.dependenciesOf(channel).map((d) => d.type)).to.include.members([
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:cfg/recorder:Recorder",
            ]);
        }
    });

    it("switches recording on after the channel exists", () => {
        for (const status of inventory.ofType("aws:cfg/recorderStatus:RecorderStatus")) {
            expect(inventory.input(status, "isEnabled")).to.equal(true);
            expect(inventory.dependenciesOf(status).map((d) => d.type)).to.include("aws:cfg/deliveryChannel:DeliveryChannel");
        }
    });
});

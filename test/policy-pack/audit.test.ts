import * as aws from "@pulumi/aws";
import { StackBuilder, expectCompliant, expectViolation } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:206217865489:key/k";

describe("policy-pack audit", () => {
    it("cloudtrail-baseline", () => {
        const b = new StackBuilder("org", "foundation");
        b.resource(aws.cloudtrail.Trail, "org-trail", { s3BucketName: "logs", isMultiRegionTrail: false, enableLogFileValidation: true });
        b.resource(aws.cloudtrail.Trail, "org-ok", { s3BucketName: "logs", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY_ARN });
        expectViolation("cloudtrail-baseline", b, ["org-trail"], /multi-region, KMS encryption/);
    });
    it("guardduty-protection-plans: every plan enabled for the organization, or a violation naming the missing ones", () => {
        const b = new StackBuilder("org", "foundation");
        const detector = b.resource(aws.guardduty.Detector, "org-guardduty", { enable: true });
        for (const name of ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS"]) {
            b.resource(aws.guardduty.OrganizationConfigurationFeature, `org-${name}`, { detectorId: "d-1", name, autoEnable: "ALL" }, { dependsOn: [detector] });
        }
        expectViolation("guardduty-protection-plans", b, ["org-guardduty"], /does not enable LAMBDA_NETWORK_LOGS$|does not enable LAMBDA_NETWORK_LOGS\./);
        b.resource(aws.guardduty.OrganizationConfigurationFeature, "org-lambda", { detectorId: "d-1", name: "LAMBDA_NETWORK_LOGS", autoEnable: "ALL" }, { dependsOn: [detector] });
        expectCompliant("guardduty-protection-plans", b);
    });
});

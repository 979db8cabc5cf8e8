import * as aws from "@pulumi/aws";
import { StackBuilder, expectViolation } from "./helpers";

const ROLE_ARN = "arn:aws:iam::206217865489:role/prod-worker";

describe("policy-pack versions", () => {
    it("versions-current", () => {
        const b = new StackBuilder("prod");
        b.resource(aws.lambda.Function, "prod-old", { role: ROLE_ARN, runtime: "nodejs16.x" });
        b.resource(aws.lambda.Function, "prod-ok", { role: ROLE_ARN, runtime: "nodejs22.x" });
        b.resource(aws.rds.Instance, "prod-frozen", { instanceClass: "db.r6g.large", autoMinorVersionUpgrade: false });
        b.resource(aws.lb.LoadBalancer, "prod-alb", { desyncMitigationMode: "monitor" });
        expectViolation("versions-current", b, ["prod-old", "prod-frozen", "prod-alb"], /deprecated runtime|minor version|desync/);
    });
});

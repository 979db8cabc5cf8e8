import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { evaluatePolicy, PolicyDocument } from "../../automation/flows/iam/policy";
import { logDnsQueries } from "../../lib/dns-query-logs";
import { Inventory, synthesize } from "../harness";

const ACCOUNT = "111111111111";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/logs`;

function queryLogsOf(): Promise<Inventory> {
    return synthesize(
        () => {
            const provider = new aws.Provider("p", { region: "us-east-1" });
            logDnsQueries(
                "zone-query-logs",
                { zoneId: "Z0123456789ABC", domainName: "payments.example.com", accountId: ACCOUNT, kmsKeyArn: KEY, retentionInDays: 365 },
                { provider },
            );
        },
        { project: "demo", stack: "org" },
    );
}

describe("logDnsQueries (Route 53 query logs, PCI DSS 10.2)", () => {
    it("logs the zone's queries to a KMS-encrypted log group kept as long as asked, once Route 53 may write there", async () => {
        const inventory = await queryLogsOf();
        const group = inventory.one("aws:cloudwatch/logGroup:LogGroup");
        expect(group.inputs).to.include({ name: "/aws/route53/payments.example.com", retentionInDays: 365, kmsKeyId: KEY });
        const queryLog = inventory.one("aws:route53/queryLog:QueryLog");
        expect(queryLog.inputs.zoneId).to.equal("Z0123456789ABC");
        expect(queryLog.dependencies, "the query log waits for the resource policy").to.include(
            inventory.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy").urn,
        );
    });

    it("lets Route 53 write for this account's zones only, and nobody else", async () => {
        const inventory = await queryLogsOf();
        const document = JSON.parse(
            inventory.input<string>(inventory.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy"), "policyDocument"),
        ) as PolicyDocument;
        const groupArn = String(inventory.one("aws:cloudwatch/logGroup:LogGroup").arn);
        const write = (principal: { service?: string; arn?: string }, sourceAccount: string) =>
            evaluatePolicy(
                document,
                {
                    action: "logs:PutLogEvents",
                    resource: `${groupArn}:log-stream:Z0123456789ABC/edge`,
                    principal,
                    context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": "arn:aws:route53:::hostedzone/Z0123456789ABC" },
                },
                true,
            ).effect;
        expect(write({ service: "route53.amazonaws.com" }, ACCOUNT)).to.equal("allow");
        expect(write({ service: "route53.amazonaws.com" }, "222222222222"), "Route 53 acting for another account").to.equal("none");
        expect(write({ arn: `arn:aws:iam::${ACCOUNT}:role/anyone` }, ACCOUNT), "a role of the account").to.equal("none");
    });
});

import { expect } from "chai";
import { OPENSEARCH_TLS_POLICY } from "../../lib/data/search-domain";
import { Inventory } from "../harness";
import { platformOf, policyOf, workloadsOf } from "./fixture";

const RDS = "aws:rds/instance:Instance";
const DOMAIN = "aws:opensearch/domain:Domain";
/** Every type that holds data the business cannot recreate. */
const STATEFUL_TYPES = ["aws:dynamodb/table:Table", "aws:s3/bucket:Bucket", RDS, DOMAIN, "aws:kms/key:Key"];

describe("workloads data services and protection", function () {
    let prod: Inventory;
    let preprod: Inventory;
    let test: Inventory;

    before(async () => {
        [prod, preprod, test] = await Promise.all([workloadsOf("prod"), workloadsOf("preprod"), workloadsOf("test")]);
    });

    const primary = (stack: Inventory, env: string) => stack.one(RDS, `${env}-postgres`);
    const replicas = (stack: Inventory) => stack.ofType(RDS).filter((r) => stack.input(r, "replicateSourceDb") !== undefined);

    it("protects and retains every table, bucket, database, domain and KMS key in prod", () => {
        const stateful = prod.resources.filter((r) => STATEFUL_TYPES.includes(r.type));
        expect(stateful.map((r) => r.type)).to.include.members(STATEFUL_TYPES);
        for (const resource of stateful) {
            expect({ name: resource.name, protect: resource.protect, retainOnDelete: resource.retainOnDelete }).to.deep.equal({
                name: resource.name,
                protect: true,
                retainOnDelete: true,
            });
        }
    });

    it("protects nothing outside prod, so preprod and test can be rebuilt", () => {
        for (const stack of [preprod, test]) {
            expect(stack.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
        }
    });

    it("turns on deletion protection, PITR, KMS, the stream and TTL on the payments table", () => {
        const table = prod.one("aws:dynamodb/table:Table");
        expect(prod.input(table, "billingMode")).to.equal("PAY_PER_REQUEST");
        expect(prod.input(table, "deletionProtectionEnabled")).to.equal(true);
        expect(prod.input(table, "pointInTimeRecovery.enabled")).to.equal(true);
        expect(prod.input(table, "serverSideEncryption")).to.deep.include({ enabled: true });
        expect(prod.input(table, "serverSideEncryption.kmsKeyArn")).to.match(/^arn:aws:kms:/);
        expect(prod.input(table, "streamEnabled")).to.equal(true);
        expect(prod.input(table, "ttl")).to.deep.equal({ attributeName: "expiresAt", enabled: true });
        expect(test.input(test.one("aws:dynamodb/table:Table"), "deletionProtectionEnabled")).to.equal(false);
    });

    it("locks prod's raw payloads (compliance mode) and keeps the bucket private, encrypted and TLS-only", () => {
        const bucket = prod.one("aws:s3/bucket:Bucket");
        expect(prod.input(bucket, "objectLockEnabled")).to.equal(true);
        expect(prod.input(bucket, "forceDestroy")).to.equal(false);
        const lock = prod.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
        expect(prod.input(lock, "rule.defaultRetention")).to.deep.equal({ mode: "COMPLIANCE", days: 2555 });
        expect(prod.input(prod.one("aws:s3/bucketVersioning:BucketVersioning"), "versioningConfiguration.status")).to.equal("Enabled");
        expect(prod.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        const sse = prod.input<Record<string, unknown>[]>(
            prod.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
            "rules",
        );
        expect(sse[0]).to.deep.include({ bucketKeyEnabled: true });
        expect((sse[0].applyServerSideEncryptionByDefault as Record<string, string>).sseAlgorithm).to.equal("aws:kms");
        const [deny] = policyOf(prod, prod.one("aws:s3/bucketPolicy:BucketPolicy"), "policy").Statement;
        expect(deny).to.deep.include({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        const rules = prod.input<{ id: string; transitions?: { storageClass: string }[] }[]>(
            prod.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
            "rules",
        );
        expect(rules.find((r) => r.id === "archive-raw-payloads")?.transitions?.[0].storageClass).to.equal("GLACIER");
        expect(test.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).to.have.length(0);
    });

    it("runs prod's PostgreSQL 16 Multi-AZ with 35-day backups, deletion protection and a final snapshot", () => {
        const db = primary(prod, "prod");
        expect(prod.input(db, "engine")).to.equal("postgres");
        expect(prod.input(db, "engineVersion")).to.match(/^16/);
        expect(prod.input(db, "multiAz")).to.equal(true);
        expect(prod.input(db, "backupRetentionPeriod")).to.equal(35);
        expect(prod.input(db, "deletionProtection")).to.equal(true);
        expect(prod.input(db, "skipFinalSnapshot")).to.equal(false);
        expect(prod.input(db, "finalSnapshotIdentifier")).to.equal("prod-postgres-final");
    });

    it("encrypts PostgreSQL, forces TLS, uses IAM auth and a Secrets Manager master password, and monitors it", () => {
        const db = primary(prod, "prod");
        expect(prod.input(db, "storageEncrypted")).to.equal(true);
        expect(prod.input(db, "kmsKeyId")).to.match(/^arn:aws:kms:/);
        expect(prod.input(db, "iamDatabaseAuthenticationEnabled")).to.equal(true);
        expect(prod.input(db, "manageMasterUserPassword")).to.equal(true);
        expect(prod.input(db, "password")).to.equal(undefined);
        expect(prod.input(db, "publiclyAccessible")).to.equal(false);
        expect(prod.input(db, "performanceInsightsEnabled")).to.equal(true);
        expect(prod.input<number>(db, "monitoringInterval")).to.be.greaterThan(0);
        expect(prod.input(db, "monitoringRoleArn")).to.match(/:role\/prod-postgres-monitoring$/);
        const params = prod.one("aws:rds/parameterGroup:ParameterGroup");
        expect(prod.input(db, "parameterGroupName")).to.equal(prod.input(params, "name"));
        expect(prod.input(params, "family")).to.equal("postgres16");
        expect(prod.input(params, "parameters")).to.deep.include({ name: "rds.force_ssl", value: "1" });
        expect(prod.input(db, "dbSubnetGroupName")).to.equal(prod.input(prod.one("aws:rds/subnetGroup:SubnetGroup"), "name"));
    });

    it("puts PostgreSQL in the isolated subnets and admits only the worker on 5432", async () => {
        const platform = await platformOf("prod");
        expect(prod.input(prod.one("aws:rds/subnetGroup:SubnetGroup"), "subnetIds")).to.deep.equal(platform.outputs.isolatedSubnetIds);
        const dbGroup = prod.one("aws:ec2/securityGroup:SecurityGroup", "prod-postgres-sg");
        const ingress = prod
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.name.startsWith("prod-postgres-sg-"));
        expect(ingress).to.have.length(1);
        expect(ingress[0].inputs).to.include({ fromPort: 5432, toPort: 5432, ipProtocol: "tcp" });
        expect(ingress[0].inputs.cidrIpv4).to.equal(undefined);
        const worker = prod.one("aws:ec2/securityGroup:SecurityGroup", "prod-payments-worker-sg");
        expect(prod.dependenciesOf(ingress[0]).map((r) => r.urn)).to.include.members([dbGroup.urn, worker.urn]);
        expect(prod.input(prod.one("aws:lambda/function:Function", "prod-payments-worker"), "vpcConfig.securityGroupIds")).to.have.length(
            1,
        );
    });

    it("reads from prod's configured number of replicas, preprod runs Multi-AZ without any", () => {
        const prodReplicas = replicas(prod);
        expect(prodReplicas).to.have.length(2);
        for (const replica of prodReplicas) {
            expect(prod.input(replica, "replicateSourceDb")).to.equal("prod-postgres");
            expect(prod.input(replica, "iamDatabaseAuthenticationEnabled")).to.equal(true);
            expect(prod.input(replica, "storageEncrypted")).to.equal(true);
        }
        const db = primary(preprod, "preprod");
        expect(preprod.input(db, "multiAz")).to.equal(true);
        expect(preprod.input(db, "backupRetentionPeriod")).to.equal(7);
        expect(preprod.input(db, "deletionProtection")).to.equal(false);
        expect(replicas(preprod)).to.have.length(0);
    });

    it("spreads prod's OpenSearch over 3 AZs with dedicated masters, encrypted, HTTPS-only, fine-grained access", () => {
        const domain = prod.one(DOMAIN);
        expect(prod.input(domain, "clusterConfig")).to.deep.include({
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterCount: 3,
        });
        expect(prod.input<string[]>(domain, "vpcOptions.subnetIds")).to.have.length(3);
        expect(prod.input(domain, "encryptAtRest.enabled")).to.equal(true);
        expect(prod.input(domain, "encryptAtRest.kmsKeyId")).to.match(/^arn:aws:kms:/);
        expect(prod.input(domain, "nodeToNodeEncryption.enabled")).to.equal(true);
        expect(prod.input(domain, "domainEndpointOptions")).to.deep.equal({ enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY });
        expect(prod.input(domain, "advancedSecurityOptions")).to.deep.include({ enabled: true, internalUserDatabaseEnabled: false });
        expect(prod.input(domain, "advancedSecurityOptions.masterUserOptions.masterUserArn")).to.match(/:role\/prod-search-master$/);
        const preprodDomain = preprod.one(DOMAIN);
        expect(preprod.input(preprodDomain, "clusterConfig.zoneAwarenessEnabled")).to.equal(false);
        expect(preprod.input<string[]>(preprodDomain, "vpcOptions.subnetIds")).to.have.length(1);
    });

    it("publishes every OpenSearch log type to CloudWatch, which admits only that domain", () => {
        const domain = prod.one(DOMAIN);
        const options = prod.input<{ logType: string; cloudwatchLogGroupArn: string }[]>(domain, "logPublishingOptions");
        expect(options.map((o) => o.logType)).to.have.members(["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"]);
        const [statement] = policyOf(prod, prod.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy"), "policyDocument").Statement;
        expect(statement.Principal).to.deep.equal({ Service: "es.amazonaws.com" });
        expect(statement.Resource).to.have.members(options.map((o) => `${o.cloudwatchLogGroupArn}:*`));
        expect(statement.Condition?.ArnLike?.["aws:SourceArn"]).to.match(/:es:us-east-1:\d{12}:domain\/prod-search$/);
    });

    it("creates no database or domain in test: the worker uses the test platform's shared ones", async () => {
        const platform = await platformOf("test");
        const shared = platform.outputs.sharedData as Record<string, string>;
        expect(test.ofType(RDS)).to.have.length(0);
        expect(test.ofType(DOMAIN)).to.have.length(0);
        const variables = test.input<Record<string, string>>(
            test.one("aws:lambda/function:Function", "test-payments-worker"),
            "environment.variables",
        );
        expect(variables.DB_HOST).to.equal(shared.postgresEndpoint);
        expect(variables.OPENSEARCH_ENDPOINT).to.equal(`https://${shared.opensearchEndpoint}`);
        expect(variables.DB_NAME).to.equal("payments");
        expect(variables.OPENSEARCH_INDEX_PREFIX).to.equal("payments-test");
    });
});

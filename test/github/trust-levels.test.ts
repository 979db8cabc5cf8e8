import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CI_ROLES, ciRoleNameOf } from "../../bootstrap/ci-identity";
import { CI_TARGETS } from "../../lib/ci-trust";
import { REPO_ROOT } from "../../lib/repository";
import { jsonInput } from "../foundation/fixture";
import { decide, Estate, synthesizedEstate } from "../lib/ci-trust-simulator";

const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");
const REPOSITORY = (parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.mgmt.yaml"), "utf8")) as { config: Record<string, string> }).config[
    "payments-bootstrap:githubRepository"
];
const GITHUB = "token.actions.githubusercontent.com";

interface Job {
    environment?: string | { name: string };
    "runs-on"?: string | string[];
    steps?: { uses?: string; with?: Record<string, string> }[];
}
interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
}
const workflow = (file: string): Workflow => parse(fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8")) as Workflow;

/** The targets deploy.yml hands promote.yml (`target: shared` runs the org and mgmt jobs). */
const PROMOTED = Object.values(workflow("deploy.yml").jobs)
    .map((job) => (job as { with?: { target?: string } }).with?.target)
    .filter((target): target is string => target !== undefined && target !== "shared");

/** The GitHub environments a job may run in, with expressions expanded to the values they can take. */
function environmentsOf(job: Job): (string | undefined)[] {
    const name = typeof job.environment === "string" ? job.environment : job.environment?.name;
    if (name === undefined) {
        return [undefined];
    }
    if (name.includes("${{ inputs.target }}")) {
        return PROMOTED.map((target) => name.replace("${{ inputs.target }}", target));
    }
    if (name.includes("${{ matrix.stack }}")) {
        return CI_TARGETS.map((target) => name.replace("${{ matrix.stack }}", target));
    }
    return [name];
}

interface Trigger {
    /** The `sub` claim without an environment. */
    sub: string;
    ref: string;
    /** The workflow file whose jobs these are (job_workflow_ref). */
    file: string;
}

/** What GitHub puts in a token for each job of each workflow, per the events the workflow runs on. */
const TRIGGERS: Record<string, Trigger> = {
    "pr-environment.yml": { sub: "pull_request", ref: "refs/pull/7/merge", file: "pr-environment.yml" },
    "pull-request.yml": { sub: "pull_request", ref: "refs/pull/7/merge", file: "pull-request.yml" },
    "pr-gc.yml": { sub: "ref:refs/heads/main", ref: "refs/heads/main", file: "pr-gc.yml" },
    // promote.yml is called by deploy.yml on main: its jobs' job_workflow_ref is promote.yml's.
    "promote.yml": { sub: "ref:refs/heads/main", ref: "refs/heads/main", file: "promote.yml" },
};

/** The CI roles each workflow's trust level may reach, and nothing else. */
const ALLOWED: Record<string, (environment: string | undefined) => string[]> = {
    "pr-environment.yml": () => ["mgmt-ci-pr"],
    "pr-gc.yml": () => ["mgmt-ci-pr"],
    "pull-request.yml": (environment) =>
        environment?.startsWith("preview-") ? [`mgmt-ci-preview-${environment.slice("preview-".length)}`] : [],
    "promote.yml": (environment) => (environment === undefined ? [] : [`mgmt-ci-deploy-${environment}`]),
};

describe(".github/workflows trust levels (each job's OIDC token against every synthesized CI role)", function () {
    this.timeout(120_000);
    let estate: Estate;

    before(async () => {
        estate = await synthesizedEstate();
    });

    const reachable = async (trigger: Trigger, environment: string | undefined): Promise<string[]> => {
        const sub = environment === undefined ? trigger.sub : `environment:${environment}`;
        const context = {
            [`${GITHUB}:aud`]: "sts.amazonaws.com",
            [`${GITHUB}:sub`]: `repo:${REPOSITORY}:${sub}`,
            [`${GITHUB}:repository`]: REPOSITORY,
            [`${GITHUB}:ref`]: trigger.ref,
            [`${GITHUB}:job_workflow_ref`]: `${REPOSITORY}/.github/workflows/${trigger.file}@${trigger.ref}`,
        };
        const reached: string[] = [];
        for (const spec of CI_ROLES) {
            const name = ciRoleNameOf(spec);
            const decision = await decide(estate, {
                principal: `arn:aws:iam::${estate.accountIds.management}:oidc-provider/${GITHUB}`,
                action: "sts:AssumeRoleWithWebIdentity",
                resource: `arn:aws:iam::${estate.accountIds.management}:role/${name}`,
                resourceAccount: "management",
                resourcePolicy: jsonInput(estate.bootstrap, estate.bootstrap.one("aws:iam/role:Role", name), "assumeRolePolicy"),
                context,
            });
            if (decision === "Allowed") {
                reached.push(name);
            }
        }
        return reached;
    };

    for (const file of Object.keys(TRIGGERS)) {
        it(`${file}: every job that asks for AWS credentials reaches exactly the CI role of its trust level`, async () => {
            const jobs = Object.entries(workflow(file).jobs).filter(([, job]) =>
                (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
            );
            expect(jobs, file).to.not.deep.equal([]);
            for (const [name, job] of jobs) {
                for (const environment of environmentsOf(job)) {
                    expect(
                        await reachable(TRIGGERS[file], environment),
                        `${file} ${name} in ${environment ?? "no environment"}`,
                    ).to.deep.equal(ALLOWED[file](environment));
                }
            }
        });
    }

    it("names only its trust level's role secrets: the PR role in PR workflows, environment-scoped roles elsewhere", () => {
        const roleSecrets = (file: string) =>
            Object.values(workflow(file).jobs).flatMap((job) =>
                (job.steps ?? []).map((s) => s.with?.["role-to-assume"]).filter((r): r is string => r !== undefined),
            );
        for (const file of ["pr-environment.yml", "pr-gc.yml"]) {
            expect(new Set(roleSecrets(file)), file).to.deep.equal(new Set(["${{ secrets.PULUMI_CI_PR_ROLE_ARN }}"]));
        }
        expect(new Set(roleSecrets("pull-request.yml"))).to.deep.equal(
            new Set(["${{ secrets.PULUMI_CI_ROLE_ARN }}", "${{ secrets.PULUMI_MGMT_PREVIEW_ROLE_ARN }}"]),
        );
        expect(new Set(roleSecrets("promote.yml"))).to.deep.equal(
            new Set(["${{ secrets.PULUMI_CI_ROLE_ARN }}", "${{ secrets.PULUMI_MGMT_DEPLOYMENT_ROLE_ARN }}"]),
        );
        expect(roleSecrets("deploy.yml")).to.deep.equal([]);
    });
});

import { ciRoleNames } from "../../lib/ci-trust";
import * as YAML from "yaml";
import { REPOSITORY_URL_ANNOTATION } from "../../lib/argocd";
import { Estate } from "./estate";
import { reference } from "./flow";
import { accessEntries } from "./kubernetes/authorize";
import { Flow } from "../../plan-model/flows";

/* eslint-disable @typescript-eslint/no-explicit-any -- plan inputs are untyped provider JSON, checked where read */

function roleExists(estate: Estate, arn: string): { exists: boolean | undefined; because: string } {
    if (estate.ofType("aws:iam/role:Role").some((r) => r.arn === arn)) {
        return { exists: true, because: "created by a stack of this plan" };
    }
    const permissionSet = /:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[^/]+\/)?AWSReservedSSO_([A-Za-z0-9+=,.@-]+?)_[0-9a-f]+$/.exec(
        arn,
    )?.[1];
    if (permissionSet !== undefined) {
        const found = estate.ofType("aws:ssoadmin/permissionSet:PermissionSet").some((p) => p.inputs.name === permissionSet);
        return estate.stacks("foundation").length === 0
            ? { exists: undefined, because: "Identity Center permission sets live in foundation/org, not in this plan" }
            : {
                  exists: found,
                  because: found
                      ? `Identity Center creates it for permission set ${permissionSet}`
                      : `no permission set named ${permissionSet}`,
              };
    }
    if (ciRoleNames().some((name) => arn.endsWith(`:role/${name}`))) {
        return {
            exists: undefined,
            because:
                "a CI role of the bootstrap stack (repository root), which plans do not synthesize; test/bootstrap/ci-identity.test.ts proves it creates every one",
        };
    }
    return { exists: false, because: "no stack of this plan creates it" };
}

/** Access entries: the principal exists, and is not a service-linked role (EKS refuses those; AWS services make their own). */
function accessEntryReferences(estate: Estate): Flow[] {
    return accessEntries(estate).flatMap((entry) => {
        const spec = { subject: `access entry ${entry.key} (${entry.cluster})`, stack: entry.stack };
        const serviceLinked = /:role\/(aws-service-role\/|AWSServiceRoleFor)/.test(entry.principalArn);
        const exists = roleExists(estate, entry.principalArn);
        return [
            reference({ ...spec, action: "names an existing principal", target: entry.principalArn }, exists.exists, exists.because),
            reference(
                { ...spec, action: "is not for a service-linked role", target: entry.principalArn },
                !serviceLinked,
                serviceLinked
                    ? "EKS rejects access entries for service-linked roles; the service (e.g. the AMP scraper) creates its own"
                    : "a role EKS accepts",
            ),
        ];
    });
}

/** Argo CD: every Application's source is allowed by its project, and the hub can pull it. */
function argocdReferences(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    const projects = estate.ofType("kubernetes:argoproj.io/v1alpha1:AppProject");
    const repoSecrets = estate
        .ofType("kubernetes:core/v1:Secret")
        .filter((s) =>
            ["repository", "repo-creds"].includes(String((s.inputs.metadata as any)?.labels?.["argocd.argoproj.io/secret-type"])),
        );
    for (const app of estate.ofType("kubernetes:argoproj.io/v1alpha1:Application")) {
        const spec = app.inputs.spec as any;
        const name = String((app.inputs.metadata as any)?.name);
        const repoURL = String(spec?.source?.repoURL);
        const project = projects.find((p) => (p.inputs.metadata as any)?.name === spec?.project);
        const base = { subject: `Application ${name}`, stack: app.stack };
        if (!project) {
            flows.push(
                reference(
                    { ...base, action: "names an existing AppProject", target: String(spec?.project) },
                    projects.length === 0 ? undefined : false,
                    "no AppProject of that name in the plan",
                ),
            );
            continue;
        }
        const sourceRepos: string[] = (project.inputs.spec as any)?.sourceRepos ?? [];
        const allowed = sourceRepos.some((pattern) =>
            new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(repoURL),
        );
        flows.push(
            reference(
                { ...base, action: "source allowed by its project's sourceRepos", target: repoURL },
                allowed,
                allowed
                    ? `matches ${sourceRepos.join(", ")}`
                    : `project ${spec.project} allows only ${sourceRepos.join(", ") || "nothing"}`,
            ),
        );
        if (spec?.source?.chart) {
            // stringData is masked in plans: the URL comes from the annotation the hub sets beside it.
            const credential = repoSecrets.find((s) => {
                const data = typeof s.inputs.stringData === "object" ? ((s.inputs.stringData as any) ?? {}) : {};
                const url = data.url ?? (s.inputs.metadata as any)?.annotations?.[REPOSITORY_URL_ANNOTATION];
                return typeof url === "string" && url !== "" && repoURL.startsWith(url.replace(/^oci:\/\//, ""));
            });
            const refreshed =
                credential &&
                estate.resources.some(
                    (r) =>
                        r.type === "kubernetes:batch/v1:CronJob" &&
                        JSON.stringify(r.inputs).includes(String((credential.inputs.metadata as any)?.name)),
                );
            flows.push(
                reference(
                    { ...base, action: "hub holds a refreshed OCI credential for its chart repository", target: repoURL },
                    Boolean(credential && refreshed),
                    !credential
                        ? "no Argo CD repository Secret with enableOCI for this registry: Helm cannot pull the chart"
                        : !refreshed
                          ? "ECR tokens expire after 12 hours and nothing refreshes this credential"
                          : `Secret ${(credential.inputs.metadata as any)?.name}, refreshed by a CronJob`,
                ),
            );
        }
    }
    return flows;
}

/** Labels Prometheus queries use to pick a workload, which only a scrape configuration can attach. */
const TARGET_LABELS = new Set(["namespace", "service", "pod", "app", "container", "node", "job", "instance", "cluster"]);

/** Labels a scrape configuration attaches to every series (relabel targets plus external labels). */
function scrapeLabels(configuration: string): Set<string> {
    const config = YAML.parse(configuration) as any;
    const labels = new Set<string>(Object.keys(config?.global?.external_labels ?? {}));
    for (const job of config?.scrape_configs ?? []) {
        labels.add("job").add("instance");
        for (const relabel of job.relabel_configs ?? []) {
            if (relabel.target_label && !String(relabel.target_label).startsWith("__")) {
                labels.add(relabel.target_label);
            }
            if (relabel.action === "labelmap") {
                labels.add("*");
            }
        }
    }
    return labels;
}

/** Canary analysis queries only select labels the env's scraper produces. */
function analysisReferences(estate: Estate): Flow[] {
    const flows: Flow[] = [];
    for (const template of estate.ofType("kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")) {
        const env = template.stack.split("/")[1].startsWith("pr-") ? "test" : template.stack.split("/")[1];
        const scraper = estate.ofType("aws:amp/scraper:Scraper").find((s) => s.stack === `platform/${env}`);
        for (const metric of ((template.inputs.spec as any)?.metrics ?? []) as any[]) {
            const query = String(metric?.provider?.prometheus?.query ?? "");
            // Labels that identify a target come from the scraper; others (status, method) are the metric's own.
            const used = [...query.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"/g)]
                .map((m) => m[1])
                .filter((l) => TARGET_LABELS.has(l));
            const spec = {
                subject: `AnalysisTemplate ${(template.inputs.metadata as any)?.name} (${metric.name})`,
                stack: template.stack,
                action: "selects only labels the scraper produces",
            };
            if (!scraper) {
                flows.push(reference({ ...spec, target: `platform/${env} scraper` }, undefined, `platform/${env} is not in this plan`));
                continue;
            }
            const produced = scrapeLabels(String(scraper.inputs.scrapeConfiguration));
            const missing = [...new Set(used)].filter((l) => l !== "__name__" && !produced.has(l) && !produced.has("*"));
            flows.push(
                reference(
                    { ...spec, target: `scraper ${scraper.name}` },
                    missing.length === 0,
                    missing.length === 0
                        ? `labels ${[...new Set(used)].join(", ")} are all produced`
                        : `the scrape configuration never sets ${missing.join(", ")}: every measurement errors`,
                ),
            );
        }
    }
    return flows;
}

/** S3 names are global: a name without the account id collides with another account's. */
function bucketNameReferences(estate: Estate): Flow[] {
    return [...estate.ofType("aws:s3/bucket:Bucket"), ...estate.ofType("aws:s3/bucketV2:BucketV2")].map((bucket) => {
        const name = String(bucket.id ?? bucket.inputs.bucket);
        // The organization's account ids are its own: any of them keeps the name unique.
        const unique = [bucket.account, ...Object.values(estate.accountIds)].some((id) => id !== undefined && name.includes(id));
        return reference(
            {
                subject: `bucket ${name}`,
                action: "name is unique to its account",
                target: `account ${bucket.account}`,
                stack: bucket.stack,
            },
            unique,
            unique
                ? "the name carries the account id"
                : "a global S3 name without the account id: BucketAlreadyExists when another account (or env copy) took it",
        );
    });
}

/** Pod Identity associations name roles that exist, in the cluster's account. */
function podIdentityReferences(estate: Estate): Flow[] {
    return estate.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => {
        const exists = roleExists(estate, String(a.inputs.roleArn));
        return reference(
            {
                subject: `pod identity ${a.inputs.namespace}/${a.inputs.serviceAccount} (${a.inputs.clusterName})`,
                action: "names an existing role",
                target: String(a.inputs.roleArn),
                stack: a.stack,
            },
            exists.exists,
            exists.because,
        );
    });
}

/** Target groups named in TargetGroupBindings (chart values) exist. */
function targetGroupBindingReferences(estate: Estate): Flow[] {
    return estate.ofType("kubernetes:argoproj.io/v1alpha1:Application").flatMap((app) => {
        const arn = (app.inputs.spec as any)?.source?.helm?.valuesObject?.targetGroupBinding?.targetGroupArn as string | undefined;
        if (!arn) {
            return [];
        }
        const exists = estate.ofType("aws:lb/targetGroup:TargetGroup").some((t) => t.arn === arn);
        return [
            reference(
                {
                    subject: `Application ${(app.inputs.metadata as any)?.name}`,
                    action: "binds an existing target group",
                    target: arn,
                    stack: app.stack,
                },
                exists,
                exists ? "created by a stack of this plan" : "no target group with this ARN",
            ),
        ];
    });
}

/** Every certificate validation waits for the NS record delegating its public zone (docs/dns-delegation.md). */
function delegationReferences(estate: Estate): Flow[] {
    const records = estate.ofType("aws:route53/record:Record");
    return estate.ofType("aws:acm/certificateValidation:CertificateValidation").flatMap((validation) => {
        const zone = estate.ofType("aws:route53/zone:Zone").find((z) => z.stack === validation.stack && !z.inputs.vpcs);
        if (!zone) {
            return [];
        }
        const delegation = records.find((r) => r.inputs.type === "NS" && r.inputs.name === zone.inputs.name && r.inputs.zoneId !== zone.id);
        const waits = delegation !== undefined && validation.dependencies.includes(delegation.urn);
        return [
            reference(
                {
                    subject: `certificate validation ${validation.name}`,
                    action: "waits for the delegation of its zone",
                    target: String(zone.inputs.name),
                    stack: validation.stack,
                },
                waits,
                waits
                    ? `depends on NS record ${delegation!.name} in the parent zone`
                    : delegation
                      ? `does not depend on ${delegation.name}`
                      : "nothing delegates the zone before ACM looks for its records: the first apply waits 75 minutes and fails",
            ),
        ];
    });
}

/**
 * Every NS delegation is written into a zone the estate owns, and that zone is the record's parent
 * domain: a zone id typed into a stack file names nothing the plan can vouch for (and a wrong one
 * delegates nothing, or the wrong name).
 */
function delegationTargetReferences(estate: Estate): Flow[] {
    return estate
        .ofType("aws:route53/record:Record")
        .filter((r) => r.inputs.type === "NS")
        .map((record) => {
            const name = String(record.inputs.name);
            const zone = estate.ofType("aws:route53/zone:Zone").find((z) => z.id === record.inputs.zoneId);
            const parent = name.split(".").slice(1).join(".");
            const holds = zone === undefined ? false : zone.inputs.name === parent && !zone.inputs.vpcs;
            const because =
                zone === undefined
                    ? `zone ${String(record.inputs.zoneId)} is created by no stack of this plan: nothing shows it exists or serves ${parent}`
                    : holds
                      ? `zone ${zone.inputs.name} (${zone.stack}) is ${name}'s parent`
                      : `zone ${zone.inputs.name} is not the public zone of ${parent}`;
            return reference(
                {
                    subject: `NS delegation ${record.name}`,
                    action: "is written into its parent domain's zone",
                    target: name,
                    stack: record.stack,
                },
                holds,
                because,
            );
        });
}

/**
 * Argo CD's own URL (the `url` its SSO login redirects to) is served: a record in a private zone
 * aliases it to an internal load balancer whose HTTPS listener forwards that host to a target
 * group a TargetGroupBinding fills with argocd-server's pods.
 */
function argocdServerReferences(estate: Estate): Flow[] {
    return estate
        .ofType("kubernetes:helm.sh/v3:Release")
        .filter((r) => typeof (r.inputs.values as any)?.configs?.cm?.url === "string")
        .map((release) => {
            const url = String((release.inputs.values as any).configs.cm.url);
            const host = url.replace(/^https:\/\//, "").replace(/\/.*$/, "");
            const spec = {
                subject: `Argo CD ${release.name}`,
                action: "its URL is served to the internal network",
                target: url,
                stack: release.stack,
            };
            const zone = (id: unknown) => estate.ofType("aws:route53/zone:Zone").find((z) => z.id === id);
            const record = estate
                .ofType("aws:route53/record:Record")
                .find((r) => r.inputs.name === host && (zone(r.inputs.zoneId)?.inputs.vpcs ?? undefined) !== undefined);
            if (!record) {
                return reference(spec, false, `no record for ${host} in a private zone: the UI and SSO login cannot be reached`);
            }
            const alias = String((record.inputs.aliases as any[] | undefined)?.[0]?.name ?? "");
            const lb = estate
                .ofType("aws:lb/loadBalancer:LoadBalancer")
                .find((b) => b.outputs?.dnsName === alias || alias.startsWith(`internal-${b.inputs.name}-`));
            if (!lb || lb.inputs.internal !== true) {
                return reference(spec, false, `${host} points at ${alias || "nothing"}, not an internal load balancer of this plan`);
            }
            const listeners = estate
                .ofType("aws:lb/listener:Listener")
                .filter((l) => l.inputs.loadBalancerArn === lb.arn && l.inputs.protocol === "HTTPS");
            const rule = estate
                .ofType("aws:lb/listenerRule:ListenerRule")
                .find(
                    (r) =>
                        listeners.some((l) => l.arn === r.inputs.listenerArn) &&
                        ((r.inputs.conditions as any[]) ?? []).some((c) => (c.hostHeader?.values ?? []).includes(host)),
                );
            const groupArn = ((rule?.inputs.actions as any[]) ?? []).find((a) => a.type === "forward")?.targetGroupArn;
            const binding = estate
                .ofType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")
                .find(
                    (b) =>
                        (b.inputs.spec as any)?.targetGroupARN === groupArn && (b.inputs.spec as any)?.serviceRef?.name === "argocd-server",
                );
            if (!rule || !binding) {
                return reference(
                    spec,
                    false,
                    !rule
                        ? `${lb.inputs.name} has no HTTPS rule for ${host}`
                        : "no TargetGroupBinding puts argocd-server's pods in the target group the rule forwards to",
                );
            }
            return reference(spec, true, `${host} -> ${lb.inputs.name} (HTTPS rule for the host) -> target group bound to argocd-server`);
        });
}

export function referenceFlows(estate: Estate): Flow[] {
    return [
        ...delegationReferences(estate),
        ...delegationTargetReferences(estate),
        ...argocdServerReferences(estate),
        ...accessEntryReferences(estate),
        ...argocdReferences(estate),
        ...analysisReferences(estate),
        ...bucketNameReferences(estate),
        ...podIdentityReferences(estate),
        ...targetGroupBindingReferences(estate),
    ];
}

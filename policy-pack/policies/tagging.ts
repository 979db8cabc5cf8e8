import { isFullEnvironment } from "../../lib/environments";
import { REQUIRED_TAG_KEYS } from "../../lib/tags";
import { PolicyDefinition, Subject, resourcePolicy } from "../lib/definition";
import { isPullRequest } from "../lib/settings";
import { effectiveTags, tagMap } from "../lib/values";
import { TAGGABLE_TYPES } from "./taggable-types";

const TAGGABLE = new Set<string>(TAGGABLE_TYPES);
/** The AWS provider does not apply defaultTags to these; their tags must be explicit. */
const NO_DEFAULT_TAGS = new Set(["aws:autoscaling/group:Group"]);

function tagsOf(r: Subject): Record<string, string> {
    return NO_DEFAULT_TAGS.has(r.type) ? tagMap(r.props.tags) : effectiveTags(r);
}

/** The required tags' expected values where the environment fixes them. */
function pullRequestNumber(env: string): string | undefined {
    return isPullRequest(env) ? env.slice("pr-".length) : undefined;
}

export const TAGGING_POLICIES: PolicyDefinition[] = [
    resourcePolicy<{ requiredTags: string[] }>({
        name: "tagging-required-tags",
        domain: "tagging",
        description:
            "Every taggable AWS resource carries the required tags (Environment, Project, Layer, ManagedBy, Owner, CostCenter; PullRequest in pr-* stacks), counting its provider's defaultTags.",
        prevents: "Resources nobody can attribute to an owner, environment or cost center, and PR leftovers nobody can find.",
        severity: "medium",
        remediation:
            "Use the account provider from lib/provider.ts (its defaultTags carry lib/tags.ts standardTags); set tags explicitly only where defaultTags do not reach (e.g. autoscaling groups).",
        level: "mandatory",
        schema: { requiredTags: { type: "array", items: { type: "string" } } },
        defaults: () => ({ requiredTags: [...REQUIRED_TAG_KEYS] }),
        reads: { "*": ["tags"] },
        check: (r, ctx) => {
            if (!TAGGABLE.has(r.type)) {
                return;
            }
            const tags = tagsOf(r);
            const required = [...ctx.config.requiredTags, ...(ctx.pr ? ["PullRequest"] : [])];
            const missing = required.filter((key) => typeof tags[key] !== "string" || tags[key].trim() === "");
            if (missing.length > 0) {
                ctx.report(
                    `${r.type} ${r.name} is missing tag(s) ${missing.join(", ")} (neither on the resource nor in its provider's defaultTags).`,
                );
            }
        },
    }),
    resourcePolicy({
        name: "tagging-environment-matches",
        domain: "tagging",
        description: "The Environment tag (and PullRequest in pr-* stacks) matches the stack's environment.",
        prevents: "Cost and inventory reports attributing resources to the wrong environment (e.g. a stack file copied from another env).",
        severity: "low",
        remediation: "Build tags with lib/tags.ts standardTags from the stack's own environment.",
        level: "advisory",
        reads: { "*": ["tags"] },
        check: (r, ctx) => {
            if (!TAGGABLE.has(r.type) || !(ctx.pr || isFullEnvironment(ctx.env))) {
                return;
            }
            const tags = tagsOf(r);
            if (tags.Environment !== undefined && tags.Environment !== ctx.env) {
                ctx.report(`${r.name} is tagged Environment=${tags.Environment} in the ${ctx.env} environment.`);
            }
            const pr = pullRequestNumber(ctx.env);
            if (pr !== undefined && tags.PullRequest !== undefined && tags.PullRequest !== pr) {
                ctx.report(`${r.name} is tagged PullRequest=${tags.PullRequest} in ${ctx.env}.`);
            }
        },
    }),
];

export type Layer = "bootstrap" | "foundation" | "platform" | "workloads";

export interface TagContext {
    environment: string;
    layer: Layer;
    owner: string;
    costCenter: string;
    /** Set only in a `pr-<n>` environment. */
    pullRequest?: number;
}

export const PROJECT_TAG_VALUE = "payments";

export const REQUIRED_TAG_KEYS = ["Environment", "Project", "Layer", "ManagedBy", "Owner", "CostCenter"] as const;

/** The tags every taggable resource carries (shared/CONVENTIONS.md, "Names and tags"). */
export function standardTags(context: TagContext): Record<string, string> {
    const tags: Record<string, string> = {
        Environment: context.environment,
        Project: PROJECT_TAG_VALUE,
        Layer: context.layer,
        ManagedBy: "pulumi",
        Owner: context.owner,
        CostCenter: context.costCenter,
    };
    if (context.pullRequest !== undefined) {
        tags.PullRequest = String(context.pullRequest);
    }
    return tags;
}

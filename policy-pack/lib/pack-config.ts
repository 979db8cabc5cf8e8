import type { PolicyPackConfig } from "@pulumi/policy";
import type { PolicyDefinition } from "./definition";
import { Level, PackConfig, isProd } from "./settings";

/** The level a policy runs at in `env`: an explicit override, else the prod default in prod, else its default. */
export function levelFor(definition: PolicyDefinition, env: string, config: PackConfig = {}): Level {
    const { meta } = definition;
    return config.enforcement?.[meta.name] ?? (isProd(env) && meta.prodLevel !== undefined ? meta.prodLevel : meta.level);
}

/** Pack-level settings that go to every policy whose schema declares them. */
const SHARED_KEYS = ["environment", "allowedRegions", "requiredTags", "asOf"] as const;

/**
 * The per-policy JSON `pulumi preview --policy-pack-config` reads, from one PackConfig: levels for
 * the environment, shared settings, each policy's own exemptions, and (for policy-exemptions-valid)
 * all of them. The offline evaluator feeds the same object to getConfig().
 */
export function toPolicyPackConfig(definitions: readonly PolicyDefinition[], env: string, config: PackConfig = {}): PolicyPackConfig {
    const result: PolicyPackConfig = {};
    for (const definition of definitions) {
        const name = definition.meta.name;
        const accepts = (key: string) => key in definition.configSchema.properties;
        const entry: Record<string, unknown> = { enforcementLevel: levelFor(definition, env, config) };
        for (const key of SHARED_KEYS) {
            if (config[key] !== undefined && accepts(key)) {
                entry[key] = config[key];
            }
        }
        const own = (config.exemptions ?? [])
            .filter((e) => e.policy === name)
            .map(({ urn, reason, expires }) => ({ urn, reason, expires }));
        if (own.length > 0) {
            entry.exemptions = own;
        }
        if (accepts("packExemptions") && (config.exemptions ?? []).length > 0) {
            entry.packExemptions = config.exemptions;
        }
        Object.assign(entry, config.policies?.[name] ?? {});
        result[name] = entry as PolicyPackConfig[string];
    }
    return result;
}

import * as path from "path";

import type { Layer } from "../../lib/environments";
import { UsageError } from "../../lib/errors";
import { REPO_ROOT } from "../../lib/repository";
import { readStackFile } from "../engine/project";

/** The `config:` map of `<layer>/Pulumi.<name>.yaml`, full keys to values (structured values kept). */
export function readStackFileConfig(layer: Layer, name: string, repoRoot = REPO_ROOT): Record<string, unknown> {
    const file = path.join(repoRoot, layer, `Pulumi.${name}.yaml`);
    return readStackFile(file, `Stack file ${path.relative(repoRoot, file)}`);
}

export interface PrValues {
    /** The image to run; without it the template's (or a preview's) imageTag stays. */
    sha?: string;
    chartVersion?: string;
}

/**
 * A PR stack's whole configuration: the template `workloads/Pulumi.pr.yaml` plus the PR's image
 * (and chart) version. Rebuilt on every run, so the same inputs always give the same stack.
 */
export function pullRequestConfig(values: PrValues, repoRoot = REPO_ROOT): Record<string, unknown> {
    const template = readStackFileConfig("workloads", "pr", repoRoot);
    const encrypted = Object.entries(template).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
    if (encrypted.length > 0) {
        // Ciphertext is bound to one stack's key; a template shared by every pr-<n> cannot carry it.
        throw new UsageError(
            `workloads/Pulumi.pr.yaml holds encrypted values (${encrypted.map(([k]) => k).join(", ")}): ` +
                `a template cannot carry secrets; read them from a stack reference or Secrets Manager instead`,
        );
    }
    return {
        ...template,
        ...(values.sha === undefined ? {} : { "workloads:imageTag": values.sha }),
        ...(values.chartVersion === undefined ? {} : { "workloads:chartVersion": values.chartVersion }),
    };
}

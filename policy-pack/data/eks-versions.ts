/**
 * Amazon EKS Kubernetes versions and their support windows: 14 months of standard support from
 * release, then 12 months of extended support (paid; AWS still patches the control plane), after
 * which AWS upgrades the cluster itself. Source: the EKS user guide's "Understand the Kubernetes
 * version lifecycle on EKS" release calendar (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html),
 * as of 2026-11-30. Add each new version when EKS releases it; a version newer than every entry
 * here is taken as supported, so a late update of this list never blocks an upgrade.
 */
export interface EksVersion {
    version: string;
    /** The last day of standard support (ISO date). */
    endOfStandardSupport: string;
    /** The last day of extended support (ISO date). */
    endOfExtendedSupport: string;
}

export const EKS_VERSIONS: readonly EksVersion[] = [
    { version: "1.28", endOfStandardSupport: "2024-11-26", endOfExtendedSupport: "2025-11-26" },
    { version: "1.29", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
    { version: "1.30", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
    { version: "1.31", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
    { version: "1.32", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
    { version: "1.33", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
    { version: "1.34", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
    { version: "1.35", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
];

function minor(version: string): number[] {
    return version.split(".").map(Number);
}

function older(a: string, b: string): boolean {
    const [x, y] = [minor(a), minor(b)];
    return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
}

export type EksSupport =
    | { state: "standard"; version: EksVersion | undefined }
    | { state: "extended"; version: EksVersion }
    | { state: "unsupported"; version: EksVersion | undefined };

/** Where `version` (`1.34`, or `1.34.x`) stands on `asOf` (ISO date). */
export function eksSupport(version: string, asOf: string): EksSupport {
    const normalized = version.split(".").slice(0, 2).join(".");
    const known = EKS_VERSIONS.find((v) => v.version === normalized);
    if (!known) {
        const newest = EKS_VERSIONS[EKS_VERSIONS.length - 1];
        // Newer than the list: released after it was written. Older: long out of support.
        return older(newest.version, normalized) ? { state: "standard", version: undefined } : { state: "unsupported", version: undefined };
    }
    if (asOf > known.endOfExtendedSupport) {
        return { state: "unsupported", version: known };
    }
    return asOf > known.endOfStandardSupport ? { state: "extended", version: known } : { state: "standard", version: known };
}

/** Days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

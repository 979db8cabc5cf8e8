/**
 * The payments services Argo CD deploys, and what the platform and their Helm charts agree on:
 * the service account and pod label each chart uses (`app.kubernetes.io/name: <service>`), the
 * container ports, and the ALB each one sits behind (platform/edge SERVICE_TARGETS).
 */
export const SERVICES = ["payments-api", "payments-web", "admin-web"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** payments-web and payments-api face the public ALB; admin-web only the internal one. */
export const PUBLIC_SERVICES: readonly ServiceName[] = ["payments-web", "payments-api"];

/** HTTP port of every service container (the target groups register pods on it). */
export const HTTP_PORT = 8080;
/** Prometheus metrics port of every service container. */
export const METRICS_PORT = 9090;

export const NAME_LABEL = "app.kubernetes.io/name";

export function serviceSelector(service: ServiceName): Record<string, string> {
    return { [NAME_LABEL]: service };
}

/**
 * Annotation naming an Argo CD repository Secret's URL. Previews mask a Secret's stringData, the
 * URL is not secret: reviewers and the plan's flows check read it here.
 */
export const REPOSITORY_URL_ANNOTATION = "payments.io/repository-url";

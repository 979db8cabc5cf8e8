/** pbac ships no typings: the part of its API the flows use. */
declare module "pbac" {
    interface EvaluateParams {
        action: string;
        resource: string;
        context?: Record<string, unknown>;
    }
    class PBAC {
        constructor(policies: unknown[], options?: { validateSchema?: boolean; validatePolicies?: boolean });
        evaluate(params: EvaluateParams): boolean;
        /** The element matchers `evaluate` applies to each statement (StringLike over each listed value). */
        evaluateAction(actions: string[], action: string): string | undefined;
        evaluateResource(resources: string[], resource: string, context: Record<string, unknown>): string | undefined;
    }
    export = PBAC;
}

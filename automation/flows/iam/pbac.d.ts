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
    }
    export = PBAC;
}

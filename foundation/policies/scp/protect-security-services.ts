import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * The actions that would blind the organization's audit: stopping or deleting the trail,
 * GuardDuty, Security Hub, Config or Access Analyzer. Only break-glass may. VPC flow logs are
 * not here: test and preprod replace them and tear their VPCs down; prod's are protected by the
 * prod-only SCP (prod-data-protection.ts).
 */
export function protectSecurityServicesPolicy(params: Pick<GuardrailParameters, "breakGlassRoleName">): StaticPolicyDocument {
    return policyDocument({
        Sid: "ProtectSecurityServices",
        Effect: "Deny",
        Action: [
            "cloudtrail:DeleteTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:StopLogging",
            "cloudtrail:UpdateTrail",
            "guardduty:DeleteDetector",
            "guardduty:DeleteMembers",
            "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount",
            "guardduty:DisassociateMembers",
            "guardduty:StopMonitoringMembers",
            "securityhub:DeleteMembers",
            "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DisassociateFromMasterAccount",
            "securityhub:DisassociateMembers",
            "config:DeleteConfigRule",
            "config:DeleteConfigurationAggregator",
            "config:DeleteConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:DeleteRetentionConfiguration",
            "config:StopConfigurationRecorder",
            "access-analyzer:DeleteAnalyzer",
        ],
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.breakGlassRoleName)] } },
    });
}

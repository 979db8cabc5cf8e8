import { GuardrailParameters } from "../parameters";
import { policyDocument, roleArnPattern, StaticPolicyDocument } from "../document";

/**
 * The actions that would blind the organization's audit: stopping or deleting the trail,
 * GuardDuty, Security Hub, Config, Access Analyzer or VPC flow logs. Only break-glass may.
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
            "ec2:DeleteFlowLogs",
        ],
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalArn": [roleArnPattern(params.breakGlassRoleName)] } },
    });
}

import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * Every cdk-nag (AwsSolutions) finding we accept, each with its reason. Anything
 * not listed here fails the synth.
 */
export function suppressReviewedFindings(data: Stack, service: Stack): void {
  NagSuppressions.addStackSuppressions(service, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        "AWSLambdaBasicExecutionRole is the managed policy for writing the function's own logs; no broader.",
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "Wildcards come from grant methods on a table's own indexes (table/index/*), from X-Ray (no resource-level permissions) and from ses:GetSendQuota (no resource-level permissions).",
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'The product design card fixes the Lambda runtime at nodejs22.x.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Public routes (health, unsubscribe, preferences, web version, tracked links) are open by design: they are protected by HMAC-signed tokens checked in the handler; staff routes use the Cognito JWT authorizer.',
    },
    {
      id: 'AwsSolutions-COG3',
      reason:
        'Advanced security mode is a paid Cognito feature plan; MFA is required and self sign-up is off.',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is a cost decision for the ministry; MFA is required, self sign-up is off and passwords are long.',
    },
    {
      id: 'AwsSolutions-SQS3',
      reason: 'These queues are the dead-letter queues themselves.',
    },
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The link-signing key rotates by key id with a grace period (see README); automatic rotation would invalidate links in inboxes.',
    },
  ]);
  void data;
}

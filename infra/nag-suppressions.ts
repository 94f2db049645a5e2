import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { StatelessStack } from './stacks/stateless-stack';

/**
 * Every cdk-nag (AwsSolutions) finding we accept, each with its reason. Anything
 * not listed here fails the synth.
 */
export function suppressReviewedFindings(data: Stack, service: StatelessStack): void {
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
  suppressWebAppFindings(service);
  void data;
}

/**
 * The web app's findings, on its own resources (the stack-wide reasons above are about
 * our functions, not these).
 */
function suppressWebAppFindings(service: StatelessStack): void {
  const { webApp } = service;
  NagSuppressions.addResourceSuppressions(webApp.distribution, [
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Staff sign in from about 150 embassies worldwide and subscribers open links from anywhere: no country can be refused.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL yet (a cost decision for the ministry, us-east-1): the API throttles its stage, staff routes need a Cognito JWT and public ones a signed token; attachWebAclId takes one later.',
    },
    ...(webApp.customDomain
      ? []
      : [
          {
            id: 'AwsSolutions-CFR4',
            reason:
              "Without -c appDomain/appCertificateArn the distribution has CloudFront's *.cloudfront.net certificate, whose security policy CloudFront fixes (it cannot be raised); with a domain of our own the minimum is TLSv1.2_2021.",
          },
        ]),
  ]);
  // BucketDeployment's handler: one Lambda per stack, shared by the app's two deployments.
  for (const child of service.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: 'AwsSolutions-L1',
          reason:
            "BucketDeployment's handler (aws-cdk-lib's own Python function): its runtime is chosen by aws-cdk-lib.",
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "AWSLambdaBasicExecutionRole: BucketDeployment's handler writes its own logs, nothing broader.",
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "BucketDeployment's grants: read of the CDK assets bucket's objects, write and delete of the app bucket's objects (object keys are not known before deploy), and cloudfront:CreateInvalidation, which has no resource-level permissions.",
        },
      ],
      true,
    );
  }
}

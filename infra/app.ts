import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { suppressReviewedFindings } from './nag-suppressions';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/**
 * npx cdk synth|deploy -c stage=dev|prod -c domain=news.example.org [-c sesRate=14]
 *   [-c alarmEmail=ops@example.org] [-c publicBaseUrl=https://news.example.org]
 * One account and region per deployment (from the AWS profile).
 */
export function buildApp(app: App = new App()): App {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{1,19}$/.test(stage)) {
    throw new Error(`context stage must be 2-20 lowercase letters, digits or dashes (got "${stage}")`);
  }
  const domain = String(app.node.tryGetContext('domain') ?? 'newsletter.missive.example.org');
  const sesRate = Number(app.node.tryGetContext('sesRate') ?? 14);
  const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
  const data = new StatefulStack(app, `missive-${stage}-data`, { stage, domain });
  const service = new StatelessStack(app, `missive-${stage}-service`, {
    stage,
    domain,
    sesRate,
    ...(alarmEmail ? { alarmEmail } : {}),
    tables: data.tables,
    configurationSet: data.configurationSet,
    identity: data.identity,
    sesEventsTopic: data.sesEventsTopic,
  });
  service.addDependency(data);
  suppressReviewedFindings(data, service);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return app;
}

if (process.argv[1]?.endsWith('app.ts')) buildApp().synth();

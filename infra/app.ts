import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stacks/stateful-stack';

/** `npx cdk synth -c stage=dev|prod`: one account and region per deployment (from the AWS profile). */
const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
if (!/^[a-z][a-z0-9-]{1,19}$/.test(stage)) {
  throw new Error(`context stage must be 2-20 lowercase letters, digits or dashes (got "${stage}")`);
}
new StatefulStack(app, `missive-${stage}-data`, { stage });
app.synth();

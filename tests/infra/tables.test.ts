import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toCreateTableInput } from '../../functions/adapters/dynamodb/provision';
import { TABLE_IDS, TABLES } from '../../functions/adapters/dynamodb/tables';
import { StatefulStack } from '../../infra/stacks/stateful-stack';

const synth = (stage: string) =>
  Template.fromStack(
    new StatefulStack(new App(), `missive-${stage}-data`, { stage, domain: 'news.example.org' }),
  );

describe('StatefulStack tables', () => {
  const template = synth('dev');

  it('deploys each table with the same keys and indexes as the local stack creates', () => {
    for (const id of TABLE_IDS) {
      const local = toCreateTableInput(TABLES[id], `missive-dev-${id}`);
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: `missive-dev-${id}`,
        KeySchema: local.KeySchema,
        AttributeDefinitions: Match.arrayEquals(
          (local.AttributeDefinitions ?? []).map((a) => Match.objectEquals({ ...a })),
        ),
        ...(local.GlobalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: local.GlobalSecondaryIndexes.map((g) =>
                Match.objectLike({
                  IndexName: g.IndexName,
                  KeySchema: g.KeySchema,
                  Projection: g.Projection,
                }),
              ),
            }
          : {}),
      });
    }
    expect(Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))).toHaveLength(TABLE_IDS.length);
  });

  it('bills on demand, keeps point-in-time recovery and expires raw events by TTL', () => {
    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'missive-dev-events',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('protects production tables from deletion; dev tables can go', () => {
    const prod = synth('prod');
    prod.allResourcesProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
    });
    for (const resource of Object.values(prod.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(resource.DeletionPolicy).toBe('Retain');
    }
    for (const resource of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
  });
});

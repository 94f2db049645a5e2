import { SESClient } from '@aws-sdk/client-ses';
import { explainUnreachable } from '../aws-errors';

export function createSesClient(options: { region: string; endpoint: string | undefined }): SESClient {
  const client = new SESClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  explainUnreachable(client, 'SES', options.endpoint, 'MISSIVE_SES_ENDPOINT');
  return client;
}

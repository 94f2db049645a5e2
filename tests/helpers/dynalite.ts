import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { ensureTables } from '../../functions/adapters/dynamodb/provision';
import { type AppContext, buildContext } from '../../functions/app';
import { loadSettings } from '../../functions/config/settings';
import { silentLogger } from '../../functions/core/log';

/** A real dynalite server on a free port, in memory, with all tables created. */
export async function startDynalite(): Promise<{
  ctx: AppContext;
  endpoint: string;
  stop: () => Promise<void>;
}> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings = loadSettings({
    MISSIVE_DYNAMODB_ENDPOINT: endpoint,
    MISSIVE_SES_ENDPOINT: 'http://127.0.0.1:9',
  });
  const ctx = buildContext(settings, { log: silentLogger });
  await ensureTables(ctx.dynamo.raw, settings.tables);
  return {
    ctx,
    endpoint,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

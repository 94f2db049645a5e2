import type { Command } from 'commander';
import { buildContext } from '../../app';
import { loadSettings } from '../../config/settings';
import { silentLogger } from '../../core/log';
import { localKeyFile } from '../../local/stack';
import { stackRecordFile } from '../../local/stack-record';
import { cliEnv, stackFolders } from '../context';
import { formatTable, printJson } from '../output';

interface Check {
  readonly part: string;
  readonly at: string;
  readonly answers: boolean;
  readonly state: string;
  readonly from: string;
}

/** The API's own answer: ready, starting (503 {"status":"starting"}), or what it said. */
async function apiState(base: string): Promise<{ answers: boolean; state: string }> {
  try {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => ({}))) as { status?: string };
    if (res.ok) return { answers: true, state: 'ready' };
    if (body.status === 'starting') return { answers: true, state: 'starting (seeding, first content sync)' };
    return { answers: true, state: `answers ${res.status} (${body.status ?? 'see /health'})` };
  } catch {
    return { answers: false, state: 'does not answer' };
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'which stack the other commands talk to (the one `npm start` recorded, or MISSIVE_* variables) and whether it answers',
    )
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const { env, stack } = cliEnv();
      const settings = loadSettings(env);
      const ctx = buildContext(settings, { log: silentLogger, maxAttempts: 1 });
      const local = settings.mode === 'local';
      const from = (name: string) =>
        process.env[name] ? name : stack ? 'the record' : local ? 'default' : 'AWS';
      const probe = async (name: string) => {
        const found = ctx.probes.find((p) => p.name === name);
        if (!found) return { answers: false, state: 'no check' };
        try {
          await found.check();
          return { answers: true, state: 'answers' };
        } catch (error) {
          const message = (error as Error).message;
          // Unreachable is said once, below, with what to do; other answers (missing tables) as they are.
          return /cannot reach/.test(message)
            ? { answers: false, state: 'does not answer' }
            : { answers: true, state: message };
        }
      };
      const apiUrl =
        stack && !process.env.MISSIVE_PUBLIC_BASE_URL ? stack.record.urls.api : settings.publicBaseUrl;
      const checks: Check[] = [
        { part: 'API', at: apiUrl, ...(await apiState(apiUrl)), from: from('MISSIVE_PUBLIC_BASE_URL') },
        {
          part: 'DynamoDB',
          at: settings.dynamodbEndpoint ?? `AWS ${settings.region}`,
          ...(await probe('dynamodb')),
          from: from('MISSIVE_DYNAMODB_ENDPOINT'),
        },
        {
          part: 'SES',
          at: settings.sesEndpoint ?? `AWS ${settings.region}`,
          ...(await probe('ses')),
          from: from('MISSIVE_SES_ENDPOINT'),
        },
      ];
      const keySource = process.env.MISSIVE_SIGNING_KEYS
        ? 'MISSIVE_SIGNING_KEYS'
        : stack
          ? {
              file: stack.record.signingKey.kind === 'file' ? stack.record.signingKey.file : '',
              inline: 'in the record (a --memory stack)',
              environment: "the stack's MISSIVE_SIGNING_KEYS (set the same here)",
            }[stack.record.signingKey.kind]
          : settings.signingKeys.length > 0
            ? localKeyFile('.data')
            : 'none (start the stack once with `npm start`)';
      const summary = stack
        ? `recorded in ${stack.file} (pid ${stack.record.pid}, started ${stack.record.startedAt}, ${
            stack.record.memory ? 'in memory' : `data in ${stack.record.dataDir}`
          })`
        : local
          ? `no running stack recorded in ${stackFolders()
              .map((f) => stackRecordFile(f))
              .join(' or ')}: the MISSIVE_* variables set, else the default local endpoints`
          : `AWS (${settings.region}, tables ${settings.tablePrefix}*)`;
      const ok = checks.every((c) => c.answers);
      if (opts.json) {
        printJson({
          stack: stack
            ? { record: stack.file, ...stack.record, signingKey: stack.record.signingKey.kind }
            : null,
          mode: settings.mode,
          tablePrefix: settings.tablePrefix,
          signingKey: keySource,
          checks,
          ok,
        });
      } else {
        process.stdout.write(`Stack: ${summary}\n`);
        process.stdout.write(
          `${formatTable(
            checks.map((c) => ({ part: c.part, at: c.at, state: c.state, from: c.from })),
            ['part', 'at', 'state', 'from'],
          )}\n`,
        );
        process.stdout.write(`Tables: ${settings.tablePrefix}*   Signing key: ${keySource}\n`);
        if (!ok && local)
          process.stdout.write(
            'Not answering: start the local stack with `npm start` in the project folder, or set the MISSIVE_* variable of what does not answer.\n',
          );
      }
      // Like the other commands: exit 1 when a server cannot be reached.
      if (!ok) process.exitCode = 1;
    });
}

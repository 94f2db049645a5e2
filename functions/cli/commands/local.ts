import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { LOCAL_DEFAULTS } from '../../config/settings';
import { jsonLogger } from '../../core/log';
import { localKeyFile, startLocalStack } from '../../local/stack';
import {
  removeStackRecord,
  replacedStackNote,
  stackRecordFile,
  writeStackRecord,
} from '../../local/stack-record';
import { parseCount, parsePort } from '../args';
import { progressReporter } from '../output';
import { projectRoot } from '../paths';

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description(
      'run the whole pipeline on this machine: DynamoDB (dynalite), SES (aws-ses-v2-local), the HTTP API',
    )
    .addOption(
      new Option('--port <n>', 'HTTP port of the API').default(LOCAL_DEFAULTS.httpPort).argParser(parsePort),
    )
    .addOption(
      new Option('--ses-port <n>', 'port of the SES server and its web page of sent messages')
        .default(LOCAL_DEFAULTS.sesPort)
        .argParser(parsePort),
    )
    .addOption(
      new Option('--dynamodb-port <n>', 'port of the DynamoDB server')
        .default(LOCAL_DEFAULTS.dynamodbPort)
        .argParser(parsePort),
    )
    .addOption(
      new Option('--feeds-port <n>', 'port of the stand-in for the Focus on Belgium site (sample feeds)')
        .default(LOCAL_DEFAULTS.feedsPort)
        .argParser(parsePort),
    )
    .option(
      '--ses-rate <n>',
      'the local SES account: messages per second (above it: Throttling)',
      parseCount,
      50,
    )
    .option('--ses-daily-quota <n>', 'the local SES account: messages per 24 hours', parseCount, 50_000)
    .option('--workers <n>', 'send workers running at once', parseCount, 4)
    .option('--memory', 'keep nothing on disk (a throwaway run)', false)
    .option('--data-dir <dir>', 'where data is kept between runs', '.data')
    .option('--no-seed', 'do not load the sample data into empty tables')
    .option('--json', 'print one JSON line with the URLs once ready', false)
    .action(async (opts) => {
      const json = Boolean(opts.json);
      const say = (line: string) => {
        if (!json) process.stdout.write(`${line}\n`);
      };
      say(
        opts.memory
          ? 'Starting missive (in memory: nothing is kept)...'
          : `Starting missive (data in ${opts.dataDir}/)...`,
      );
      const stack = await startLocalStack({
        httpPort: opts.port,
        sesPort: opts.sesPort,
        dynamodbPort: opts.dynamodbPort,
        feedsPort: opts.feedsPort,
        sesRate: opts.sesRate,
        sesDailyQuota: opts.sesDailyQuota,
        workers: opts.workers,
        memory: Boolean(opts.memory),
        dataDir: resolve(opts.dataDir),
        seedsDir: opts.seed ? resolve(projectRoot, 'seeds') : undefined,
        env: process.env,
        log: jsonLogger('missive-local'),
        ...(json ? {} : { onSeedProgress: progressReporter('Loading seeds') }),
      });
      const { urls, seed } = stack;
      const { settings } = stack.ctx;
      // Other commands started in this folder find this stack (ports, data, key) through its record.
      const recordFile = stackRecordFile(process.cwd());
      const replaced = replacedStackNote(recordFile, process.pid);
      await writeStackRecord(recordFile, {
        version: 1,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        urls,
        publicBaseUrl: settings.publicBaseUrl,
        tablePrefix: settings.tablePrefix,
        memory: Boolean(opts.memory),
        dataDir: resolve(opts.dataDir),
        signingKey: process.env.MISSIVE_SIGNING_KEYS
          ? { kind: 'environment' }
          : opts.memory
            ? { kind: 'inline', keys: settings.signingKeys.map((k) => `${k.id}:${k.secret}`).join(',') }
            : { kind: 'file', file: localKeyFile(resolve(opts.dataDir)) },
      });
      if (json) {
        process.stdout.write(
          `${JSON.stringify({ status: 'ready', urls, seed, record: recordFile, ...(replaced ? { replaced } : {}) })}\n`,
        );
      } else {
        if (seed?.loaded) {
          say(
            `Seeded ${seed.posts} posts, ${seed.subscribers} subscribers, ${seed.subscriptions} subscriptions, ${seed.suppressions} suppressions.`,
          );
        } else if (seed) {
          say(`Kept the existing data (${seed.posts} posts).`);
        }
        for (const r of stack.contentSync ?? []) {
          const detail =
            r.status === 'failed' ? r.error : `${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged`;
          say(`Content ${r.language}: ${r.status} (${detail})`);
        }
        say('');
        say(`  API             ${urls.api}   (try ${urls.api}/health)`);
        say(`  Web app         ${urls.api}/app/   (sign in as a demo person of any role)`);
        say(`  SES messages    ${urls.ses}   (every message sent, in a web page)`);
        say(`  DynamoDB        ${urls.dynamodb}`);
        if (urls.feeds) say(`  Sample feeds    ${urls.feeds}/focus-fr.xml (nl, en)`);
        say('');
        say(`Recorded in ${recordFile}: commands run in ${process.cwd()} use this stack`);
        say('  (npx missive status says which stack a command talks to; npx missive post list)');
        say(
          `From another folder, set MISSIVE_DYNAMODB_ENDPOINT=${urls.dynamodb} MISSIVE_SES_ENDPOINT=${urls.ses} MISSIVE_PUBLIC_BASE_URL=${settings.publicBaseUrl}`,
        );
        say('Staff token for the API: npx missive token --role post-editor --post tokyo');
        if (replaced) say(replaced);
        say('Press Ctrl+C to stop.');
      }
      await new Promise<void>((done) => {
        const stop = async () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          say('\nStopping...');
          await stack.stop();
          await removeStackRecord(recordFile, process.pid);
          say('Stopped.');
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

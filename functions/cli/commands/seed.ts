import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSeedsIfEmpty, readSeeds } from '../../seeding/seeds';
import { cliContext } from '../context';
import { printJson, progressReporter } from '../output';
import { projectRoot } from '../paths';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('load the sample posts, subscribers and suppressions into empty tables')
    .option(
      '--dir <dir>',
      'folder holding posts.json, subscribers.csv and suppressions.csv',
      resolve(projectRoot, 'seeds'),
    )
    .option('--json', 'print the result as JSON', false)
    .action(async (opts) => {
      const ctx = cliContext();
      const data = await readSeeds(resolve(opts.dir), ctx.clock);
      const result = await loadSeedsIfEmpty(
        ctx.repos,
        data,
        opts.json ? undefined : progressReporter('Loading seeds'),
      );
      if (opts.json) return printJson(result);
      process.stdout.write(
        result.loaded
          ? `Seeded ${result.posts} posts, ${result.subscribers} subscribers, ${result.subscriptions} subscriptions, ${result.suppressions} suppressions.\n`
          : `Nothing loaded: the store already holds ${result.posts} posts.\n`,
      );
    });
}

import type { Command } from 'commander';
import { NotFoundError } from '../../core/errors';
import { parseSlug } from '../args';
import { cliContext } from '../context';
import { formatTable, printJson } from '../output';

export function registerPost(program: Command): void {
  const post = program.command('post').description('diplomatic posts and their audiences');

  post
    .command('list')
    .description('list the posts')
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const posts = (await cliContext().repos.posts.list()).sort((a, b) => a.code.localeCompare(b.code));
      if (opts.json) return printJson({ posts });
      const rows = posts.map((p) => ({
        code: p.code,
        name: p.name,
        city: `${p.city}, ${p.country}`,
        languages: p.languages.join(','),
        audiences: p.audiences.map((a) => a.id).join(','),
      }));
      process.stdout.write(`${formatTable(rows, ['code', 'name', 'city', 'languages', 'audiences'])}\n`);
    });

  post
    .command('show')
    .description('one post with its audiences')
    .argument('<code>', 'post code, e.g. tokyo', parseSlug)
    .option('--json', 'print JSON', false)
    .action(async (code: string, opts) => {
      const found = await cliContext().repos.posts.get(code);
      if (!found) throw new NotFoundError(`no post "${code}": see \`missive post list\``);
      if (opts.json) return printJson({ post: found });
      const lines = [
        `${found.name} (${found.code})`,
        `  ${found.city}, ${found.country} - ${found.timezone}`,
        `  languages: ${found.languages.join(', ')} (default ${found.defaultLanguage})`,
        `  sender: ${found.sender.name} <${found.sender.address}>`,
        `  replies to: ${found.replyTo}`,
        `  approval required: ${found.requiresApproval ? 'yes' : 'no'}`,
        '  audiences:',
        ...found.audiences.map((a) => `    ${a.id.padEnd(14)} ${a.kind.padEnd(9)} ${a.name}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

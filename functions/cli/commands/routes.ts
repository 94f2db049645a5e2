import type { Command } from 'commander';
import { ROUTES } from '../../http/routes';
import { formatTable, printJson } from '../output';

export function registerRoutes(program: Command): void {
  program
    .command('routes')
    .description('every HTTP route with its access rule (the table the router and authorisation use)')
    .option('--json', 'print JSON', false)
    .action((opts) => {
      const rows = ROUTES.map((r) => ({
        method: r.method,
        path: r.path,
        handler: r.handler,
        rule:
          r.access.kind === 'public'
            ? 'public'
            : `${r.access.roles.join(', ')}${r.access.scope === 'post' ? ' (of that post)' : ''}`,
        summary: r.summary,
      }));
      if (opts.json) return printJson({ routes: ROUTES });
      process.stdout.write(`${formatTable(rows, ['method', 'path', 'rule', 'summary'])}\n`);
    });
}

import { userInfo } from 'node:os';
import { Command } from 'commander';
import { addByStaff } from '../../subscribers/subscribe';
import { parseActorId, parseSlug } from '../args';
import { cliContext } from '../context';
import { printJson } from '../output';
import { subscribersGroup } from './subscribers-import';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * missive subscribers add --post CODE --email E --audience A [--audience B] [--lang L] [--name N]
 * The same use case as the form and the staff route: the person gets a confirmation
 * mail and stays pending until they confirm (source `staff:<actor>`, audited).
 */
export function registerSubscribersAdd(program: Command): void {
  subscribersGroup(program).addCommand(
    new Command('add')
      .description('add one person: mails them a confirmation; they are subscribed once they confirm')
      .requiredOption('--post <code>', 'post code, e.g. tokyo', parseSlug)
      .requiredOption('--email <address>', 'their email address')
      .requiredOption('--audience <id>', 'a post audience (repeatable)', collect, [] as string[])
      .option('--lang <language>', "their language, one of the post's (default: the post's own)")
      .option('--name <name>', 'their name')
      .option('--as <id>', 'who acts (recorded in the audit trail and the consent source)', parseActorId)
      .option('--json', 'print the outcome as JSON', false)
      .action(async (opts) => {
        const ctx = cliContext();
        const actor: string = opts.as ?? `cli:${userInfo().username}`;
        const outcome = await addByStaff({ ...ctx.subscribe, audit: ctx.audit }, actor, {
          post: opts.post,
          email: opts.email,
          audiences: opts.audience,
          language: opts.lang,
          name: opts.name,
        });
        if (opts.json)
          printJson({ status: outcome === 'sent' ? 'confirmation-sent' : 'no-confirmation-sent' });
        else
          process.stdout.write(
            outcome === 'sent'
              ? 'confirmation sent: the person is pending until they open the link in it\n'
              : 'no confirmation sent: already confirmed, suppressed, or one was sent in the last 10 minutes\n',
          );
      }),
  );
}

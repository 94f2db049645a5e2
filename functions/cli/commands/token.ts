import { type Command, InvalidArgumentError } from 'commander';
import { issueLocalToken } from '../../adapters/auth/staff-tokens';
import { loadSettings } from '../../config/settings';
import { type Grant, grantsFromGroups } from '../../core/access';
import { ConfigError, ValidationError } from '../../core/errors';
import { ROLES, type Role } from '../../core/roles';
import { readLocalSigningKey } from '../../local/stack';
import { parseSlug } from '../args';
import { cliEnv } from '../context';
import { printJson } from '../output';

const POST_ROLES: readonly Role[] = ['post-editor', 'post-approver'];

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

function parseTtl(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value);
  if (!m) throw new InvalidArgumentError('must be a duration like 900, 15m, 8h or 1d');
  const seconds =
    Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as const)[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > 7 * 86400)
    throw new InvalidArgumentError('must be between 1 second and 7 days');
  return seconds;
}

/** The grants of --role/--post, checked the way group names are read on AWS. */
export function grantsFor(role: Role, posts: readonly string[]): Grant[] {
  if (POST_ROLES.includes(role) && posts.length === 0) {
    throw new ValidationError(`--role ${role} needs --post CODE (the post it works for)`);
  }
  if (!POST_ROLES.includes(role) && role !== 'analyst' && posts.length > 0) {
    throw new ValidationError(`--role ${role} is network-wide: leave out --post`);
  }
  const groups = posts.length ? posts.map((p) => `${role}:${p}`) : [role];
  return grantsFromGroups(groups);
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a staff token for the local stack, to try the API with curl')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .option(
      '--post <code>',
      'a post the role is held for (repeat for several; analysts without --post are network-wide)',
      (v: string, acc: string[]) => [...acc, parseSlug(v)],
      [] as string[],
    )
    .option('--sub <id>', 'the subject (user id) the token names', 'local-user')
    .option('--ttl <duration>', 'validity, e.g. 15m, 8h (at most 7d)', parseTtl, 8 * 3600)
    .option('--data-dir <dir>', "a local stack's data folder holding its key (default: the running stack's)")
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      '\nExample:\n  curl -H "authorization: Bearer $(npx missive token --role post-editor --post tokyo)" localhost:3000/posts',
    )
    .action(async (opts) => {
      // An explicit key or data folder first; else the running stack's (its record), else .data/.
      const { env, stack } = cliEnv();
      const raw =
        process.env.MISSIVE_SIGNING_KEYS ||
        (opts.dataDir ? await readLocalSigningKey(opts.dataDir) : env.MISSIVE_SIGNING_KEYS);
      if (!raw) {
        throw new ConfigError(
          opts.dataDir
            ? `no local signing key in ${opts.dataDir}/: start the stack once with \`npm start -- --data-dir ${opts.dataDir}\`, or set MISSIVE_SIGNING_KEYS`
            : stack?.record.signingKey.kind === 'environment'
              ? `the stack at ${stack.record.urls.api} was given its key by MISSIVE_SIGNING_KEYS: set the same here`
              : 'no running local stack found (.data/stack.json) and no key in .data/: start one with `npm start`, or set MISSIVE_SIGNING_KEYS',
        );
      }
      const [key] = loadSettings({ MISSIVE_SIGNING_KEYS: raw }).signingKeys;
      const grants = grantsFor(opts.role, opts.post);
      const token = await issueLocalToken(key?.secret ?? '', {
        subject: opts.sub,
        grants,
        ttlSeconds: opts.ttl,
      });
      if (opts.json) {
        printJson({
          token,
          subject: opts.sub,
          groups: grants.map((g) => (g.post ? `${g.role}:${g.post}` : g.role)),
        });
      } else {
        process.stdout.write(`${token}\n`);
      }
    });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../functions/app';
import { parseActorId } from '../../functions/cli/args';
import { callLocalApi } from '../../functions/cli/local-api';
import { loadSettings } from '../../functions/config/settings';
import { ConfigError } from '../../functions/core/errors';
import { silentLogger } from '../../functions/core/log';
import { recipientLinks } from '../../functions/core/recipient-links';
import { parseEditionInput } from '../../functions/editions/model';
import { approveEdition, createEdition, submitEdition } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { sendNow } from '../../functions/sending/send-now';
import { testSend } from '../../functions/sending/test-send';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** What the attack pass on wave 2 found, each fixed and kept fixed. */
let stack: LocalStack;
const editor = { id: 'editor', roles: ['post-editor'] };
const approver = { id: 'approver', roles: ['post-approver'] };
beforeAll(async () => {
  stack = await startSeededStack(20);
});
afterAll(async () => stack?.stop());

const local = (blocks: { title: string; text: string }[], subject = 'News') => ({
  title: 'Hardening',
  sensitive: false,
  variants: [
    {
      audience: 'economic',
      language: 'en' as const,
      subject,
      preheader: '',
      intro: 'Hello',
      blocks: blocks.map((b) => ({ type: 'local' as const, ...b })),
    },
  ],
});

describe('typed edition text', () => {
  it('loses control characters and bidi overrides (they would run in a terminal or reorder a subject)', async () => {
    const draft = await createEdition(
      stack.ctx.editions,
      editor,
      'tokyo',
      parseEditionInput(
        local(
          [{ title: 'A\u001b]0;pwned\u0007 title', text: 'One\r\n\r\nTwo\u0000\u0085 para' }],
          'Sub\r\nject\u202e x\u007f',
        ),
      ),
    );
    expect(draft.title).toBe('Hardening');
    const v = draft.variants[0];
    expect(v?.subject).toBe('Sub  ject x');
    expect(v?.blocks[0]).toMatchObject({ title: 'A]0;pwned title', text: 'One\n\nTwo para' });
  });

  it('refuses an edition too big to store or send, naming the limit, instead of a 500', async () => {
    const token = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
    const call = (body: unknown) =>
      fetch(`${stack.urls.api}/posts/tokyo/editions`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const many = await call(local([{ title: 'T', text: 'a\n\n'.repeat(100) }]));
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 60 paragraphs/,
    );
    const big = {
      ...local([]),
      variants: ['economic', 'cultural', 'consular'].flatMap((audience) =>
        (['en', 'fr', 'nl'] as const).map((language) => ({
          ...local(Array.from({ length: 20 }, () => ({ title: 'T', text: 'x'.repeat(4000) }))).variants[0],
          audience,
          language,
        })),
      ),
    };
    const res = await call(big);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /KB of content, over the 256 KB/,
    );
  });
});

describe('sending', () => {
  it('says plainly that an edition is already sending or sent', async () => {
    const draft = await createEdition(
      stack.ctx.editions,
      editor,
      'tokyo',
      local([{ title: 'T', text: 'x' }]),
    );
    const approved = await approveEdition(
      stack.ctx.editions,
      approver,
      await submitEdition(stack.ctx.editions, editor, draft),
    );
    const deps = { editions: stack.ctx.editions, dispatch: stack.ctx.sending.dispatch };
    const sending = await sendNow(deps, approver, approved);
    await expect(sendNow(deps, approver, sending)).rejects.toThrow(
      `edition ${draft.id} is already sending: nothing to start (its progress: missive edition status ${draft.id})`,
    );
  });

  it('test-sends each address once, spaces and case aside', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const edition = await stack.ctx.repos.editions.get(seeded?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    const sent = await testSend(stack.ctx.editions, edition, 'economic', 'en', [
      ' dup@example.org ',
      'dup@example.org',
      'DUP@example.org',
    ]);
    expect(sent.map((s) => s.to)).toEqual(['dup@example.org']);
  });

  it('applies the mailbox simulator outcome to labelled addresses, as SES does', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const edition = await stack.ctx.repos.editions.get(seeded?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    await testSend(stack.ctx.editions, edition, 'economic', 'en', ['bounce+label1@simulator.amazonses.com']);
    await stack.ses.settled();
    expect((await stack.ctx.repos.suppressions.get('bounce+label1@simulator.amazonses.com'))?.reason).toBe(
      'bounce',
    );
  });

  it('hides the preheader without white-on-white text (spam filters score it)', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const edition = await stack.ctx.repos.editions.get(seeded?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    const { variantRender } = await import('../../functions/editions/service');
    const render = await variantRender(stack.ctx.editions, edition, 'economic', 'en');
    const preheader = /<div style="display:none;[^"]*">/.exec(render.html)?.[0] ?? '';
    expect(preheader).toMatch(/display:none/);
    expect(preheader).not.toMatch(/color:#ffffff|font-size:1px/);
  });
});

describe('reader links', () => {
  it('redirects only the plain link index the message wrote', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const links = recipientLinks(stack.urls.api, stack.ctx.settings.signingKeys, {
      subscriberId: 'sub_x',
      editionId: seeded?.id ?? '',
      post: 'tokyo',
      audience: 'economic',
      language: 'en',
    });
    const status = async (n: string) => (await fetch(`${links.click}${n}`, { redirect: 'manual' })).status;
    expect(await status('0')).toBe(302);
    for (const n of ['00', '0x0', '1e0', '+0']) expect([n, await status(n)]).not.toEqual([n, 302]);
  });
});

describe('the CLI', () => {
  it('takes a plain login for --as, never the pipeline own names or control characters', () => {
    expect(parseActorId('jane.doe@diplomatie.be')).toBe('jane.doe@diplomatie.be');
    for (const bad of [' ', '', 'system', 'Scheduler', 'evil\r\nX: 1', '\u001b[2J', 'x'.repeat(101)])
      expect(() => parseActorId(bad), JSON.stringify(bad)).toThrow();
  });

  it('says which key to use when the stack refuses its signature (not "the token is not valid")', async () => {
    const ctx = buildContext(
      loadSettings({
        MISSIVE_DYNAMODB_ENDPOINT: stack.urls.dynamodb,
        MISSIVE_SES_ENDPOINT: stack.urls.ses,
        MISSIVE_PUBLIC_BASE_URL: stack.urls.api,
        MISSIVE_SIGNING_KEYS: 'other:another-secret-another-secret-another',
      }),
      { log: silentLogger },
    );
    const error = await callLocalApi(ctx, editor, 'tokyo', 'GET', '/posts/tokyo/editions').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /refused the CLI's signature .*set MISSIVE_SIGNING_KEYS to the content of its <data dir>\/local-signing-key/,
    );
  });
});

describe('a subject that looks encoded', () => {
  it('reaches readers as typed, not decoded into other text', async () => {
    const { simpleParser } = await import('mailparser');
    const typed = '=?UTF-8?B?SGk=?= stays literal, however long the subject may grow';
    const draft = await createEdition(
      stack.ctx.editions,
      editor,
      'tokyo',
      parseEditionInput(local([{ title: 'T', text: 'x' }], typed)),
    );
    const [sent] = await testSend(stack.ctx.editions, draft, 'economic', 'en', ['reader@example.org']);
    const mail = await simpleParser((await stack.ctx.outbox?.get(sent?.messageId ?? '')) ?? Buffer.from(''));
    expect(mail.subject).toBe(`[TEST] ${typed}`);
  });
});

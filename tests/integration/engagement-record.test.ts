import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { recordEngagementBatch, recordSesEvents } from '../../functions/engagement/ses-events';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/**
 * Every SES event type, in both shapes SES writes (event publishing through a
 * configuration set: "eventType" with our tags; identity notifications:
 * "notificationType", ids from the original headers), recorded through the same
 * function the Lambda and the local gate call. Fixtures follow the shapes of SES's
 * documentation ("Examples of event data that Amazon SES publishes to Amazon SNS").
 */
let stack: LocalStack;
const post = 'casablanca';
const at = '2026-03-10T10:00:00.000Z';

const tags = (edition: string, recipient: string) => ({
  edition: [edition],
  recipient: [recipient],
  post: [post],
  audience: ['economic'],
  variant: ['economic-fr'],
  language: ['fr'],
  'ses:configuration-set': ['missive-dev'],
});
const mail = (edition: string, recipient: string, email: string) => ({
  timestamp: at,
  source: 'casablanca@missive.example.org',
  messageId: `m-${edition}-${recipient}`,
  destination: [email],
  tags: tags(edition, recipient),
});
/** Identity notifications carry no tags: our ids come back in the original headers. */
const notificationMail = (edition: string, recipient: string, email: string) => ({
  timestamp: at,
  messageId: `n-${edition}-${recipient}`,
  destination: [email],
  headersTruncated: false,
  headers: [
    { name: 'X-Missive-Edition', value: edition },
    { name: 'X-Missive-Recipient', value: recipient },
  ],
});

const counts = async (scope: string) => (await stack.ctx.counters.read(scope)).counts;

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(60) }));
});
afterAll(async () => stack?.stop());

describe('SES events of every type, both shapes', () => {
  it('counts each type per edition, variant, post and network, and suppresses on hard bounces and complaints', async () => {
    const ed = 'ed_types';
    const m = (r: string) => mail(ed, r, `${r}@example.org`);
    const events = [
      { eventType: 'Send', mail: m('s1'), send: {} },
      { eventType: 'Delivery', mail: m('s1'), delivery: { timestamp: at, recipients: ['s1@example.org'] } },
      {
        eventType: 'Bounce',
        mail: m('s2'),
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 's2@example.org' }],
          timestamp: at,
        },
      },
      {
        eventType: 'Bounce',
        mail: m('s3'),
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 's3@example.org' }],
          timestamp: at,
        },
      },
      {
        eventType: 'Bounce',
        mail: m('s4'),
        bounce: { bounceType: 'Undetermined', bouncedRecipients: [{ emailAddress: 's4@example.org' }] },
      },
      {
        eventType: 'Complaint',
        mail: m('s5'),
        complaint: {
          complainedRecipients: [{ emailAddress: 's5@example.org' }],
          complaintFeedbackType: 'abuse',
          timestamp: at,
        },
      },
      { eventType: 'Reject', mail: m('s6'), reject: { reason: 'Bad content' } },
      {
        eventType: 'DeliveryDelay',
        mail: m('s7'),
        deliveryDelay: {
          delayType: 'MailboxFull',
          delayedRecipients: [{ emailAddress: 's7@example.org' }],
          timestamp: at,
        },
      },
      {
        eventType: 'Rendering Failure',
        mail: m('s8'),
        failure: { errorMessage: 'Attribute missing', templateName: 'x' },
      },
      {
        eventType: 'Open',
        mail: m('s1'),
        open: {
          ipAddress: '192.0.2.1',
          timestamp: at,
          userAgent: 'Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0',
        },
      },
      {
        eventType: 'Click',
        mail: m('s1'),
        click: {
          ipAddress: '192.0.2.1',
          timestamp: at,
          userAgent: 'Mozilla/5.0 (Windows NT 10.0)',
          link: 'https://example.org',
        },
      },
      {
        eventType: 'Subscription',
        mail: m('s9'),
        subscription: { contactList: 'list', timestamp: at, source: 'UnsubscribeHeader' },
      },
      { eventType: 'SomethingNew', mail: m('s1') },
      // Identity notifications: a delivery and a permanent bounce, ids from the headers.
      {
        notificationType: 'Delivery',
        mail: notificationMail(ed, 'n1', 'n1@example.org'),
        delivery: { timestamp: at, recipients: ['n1@example.org'] },
      },
      {
        notificationType: 'Bounce',
        mail: notificationMail(ed, 'n2', 'n2@example.org'),
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'n2@example.org' }] },
      },
      'not an event',
    ];
    // The variant shows one central story: its Send counts one more person reached.
    await stack.ctx.repos.editions.putRender(ed, {
      audience: 'economic',
      language: 'fr',
      revision: 1,
      subject: 's',
      html: '',
      text: '',
      links: ['https://example.org/story', 'https://example.org/local'],
      linkItems: ['it_story_fr', null],
    });
    const result = await recordSesEvents(stack.ctx.engagement, events);
    expect(result).toMatchObject({ accepted: 1, recorded: 15, duplicates: 0, suppressed: 3, ignored: 1 });

    const edition = await counts(scopes.edition(ed));
    expect(edition).toMatchObject({
      sent: 1,
      delivered: 2,
      bounced_hard: 2,
      bounced_soft: 1,
      bounced_undetermined: 1,
      complained: 1,
      rejected: 1,
      delayed: 1,
      rendering_failed: 1,
      opens: 1,
      clicks: 1,
      subscription_events: 1,
      unknown_events: 1,
    });
    // The event-publishing shape names the variant; the notification shape only the edition.
    expect((await counts(scopes.variant(ed, 'economic', 'fr'))).delivered).toBe(1);
    expect((await counts(scopes.postMonth(post, '2026-03'))).bounced_hard).toBe(1);
    expect((await counts(scopes.networkMonth('2026-03'))).complained).toBe(1);
    // Every post's month is also in the network's per-post scope, under the post's name.
    expect((await counts(reportScopes.networkPosts('2026-03')))[postCounter('bounced_hard', post)]).toBe(1);
    expect((await counts(scopes.itemMonth('it_story_fr', '2026-03'))).sent).toBe(1);
    const suppressed = await stack.ctx.repos.suppressions.suppressedAmong([
      's2@example.org',
      's3@example.org',
      's5@example.org',
      'n2@example.org',
    ]);
    expect([...suppressed].sort()).toEqual(['n2@example.org', 's2@example.org', 's5@example.org']);

    // SNS or SQS delivers the whole batch again: nothing moves.
    const again = await recordSesEvents(stack.ctx.engagement, events);
    expect(again).toMatchObject({ recorded: 0, duplicates: 15 });
    expect(await counts(scopes.edition(ed))).toEqual(edition);
  });

  it('a hard bounce or a complaint also stops every newsletter of the person', async () => {
    const person = (await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 1 }))
      .items[0];
    if (!person) throw new Error('no seeded subscriber');
    const profile = await stack.ctx.repos.subscribers.get(person.subscriberId);
    await recordSesEvents(stack.ctx.engagement, [
      {
        eventType: 'Complaint',
        mail: mail('ed_c', person.subscriberId, profile?.email ?? ''),
        complaint: {
          complainedRecipients: [{ emailAddress: profile?.email }],
          complaintFeedbackType: 'abuse',
        },
      },
    ]);
    const after = await stack.ctx.repos.subscribers.subscriptionsOf(person.subscriberId);
    expect(after.filter((s) => s.post !== 'hq').every((s) => s.status === 'unsubscribed')).toBe(true);
  });

  it(`soft bounces on three editions in a row suppress the address; a delivery in between starts again`, async () => {
    const soft = (ed: string, r: string) => ({
      eventType: 'Bounce',
      mail: mail(ed, r, `${r}@example.org`),
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: `${r}@example.org` }] },
    });
    const delivered = (ed: string, r: string) => ({
      eventType: 'Delivery',
      mail: mail(ed, r, `${r}@example.org`),
      delivery: { timestamp: at },
    });
    const suppressed = async (r: string) =>
      (await stack.ctx.repos.suppressions.suppressedAmong([`${r}@example.org`])).size === 1;
    // Two soft bounces on the same edition are one edition.
    for (const e of [soft('ed_a', 'full'), soft('ed_a', 'full'), soft('ed_b', 'full')])
      await recordSesEvents(stack.ctx.engagement, [e]);
    expect(await suppressed('full')).toBe(false);
    await recordSesEvents(stack.ctx.engagement, [soft('ed_c', 'full')]);
    expect(await suppressed('full')).toBe(true);

    for (const e of [
      soft('ed_a', 'flaky'),
      soft('ed_b', 'flaky'),
      delivered('ed_c', 'flaky'),
      soft('ed_d', 'flaky'),
    ])
      await recordSesEvents(stack.ctx.engagement, [e]);
    expect(await suppressed('flaky')).toBe(false);
  });
});

describe('opens and clicks in a batch', () => {
  const open = (id: string, ed: string, s: string, audience = 'economic', ua = 'human') => ({
    kind: 'open',
    id,
    at,
    editionId: ed,
    subscriberId: s,
    post,
    audience,
    language: 'fr',
    classification:
      ua === 'human'
        ? { class: 'human', rule: 'default', device: 'desktop' }
        : { class: 'machine', rule: 'apple-mpp', device: 'proxy' },
  });

  it('counts unique opens once per person, human apart from machine, whatever the order of batches', async () => {
    await recordEngagementBatch(stack.ctx.engagement, [
      open('o1', 'ed_u', 'p1', 'economic', 'machine'),
      open('o2', 'ed_u', 'p1'),
      open('o3', 'ed_u', 'p2'),
    ]);
    await recordEngagementBatch(stack.ctx.engagement, [open('o4', 'ed_u', 'p1'), open('o2', 'ed_u', 'p1')]);
    expect(await counts(scopes.edition('ed_u'))).toMatchObject({
      opens: 4,
      opens_h: 3,
      opens_machine: 1,
      uopens: 2,
      uopens_h: 2,
    });
  });

  it('an aggregate-only audience keeps counts and no per-person trace', async () => {
    const postItem = await stack.ctx.repos.posts.get(post);
    if (!postItem) throw new Error('no post');
    const audiences = postItem.audiences.map((a) =>
      a.id === 'economic' ? { ...a, aggregateOnly: true } : a,
    );
    await stack.ctx.repos.posts.put({ ...postItem, audiences });
    // The audience facts are cached for a few minutes per context: read them through a fresh one.
    const { audienceDirectory } = await import('../../functions/engagement/audiences');
    const deps = { ...stack.ctx.engagement, audiences: audienceDirectory(stack.ctx.repos.posts) };
    await recordEngagementBatch(deps, [open('a1', 'ed_agg', 'secret'), open('a2', 'ed_agg', 'secret')]);
    expect(await counts(scopes.edition('ed_agg'))).toMatchObject({ opens: 2, uopens: 1 });
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const all = await stack.ctx.dynamo.doc.send(
      new ScanCommand({ TableName: stack.ctx.settings.tables.events }),
    );
    const mentions = (all.Items ?? []).filter((i) => JSON.stringify(i).includes('secret'));
    expect(mentions).toEqual([]);
    await stack.ctx.repos.posts.put(postItem);
  });
});

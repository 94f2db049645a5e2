import { describe, expect, it } from 'vitest';
import { activityAttribute, countWindows, newWindows } from '../../functions/engagement/activity';
import { scopes } from '../../functions/engagement/model';
import {
  engagement,
  figures,
  listGrowth,
  listSizeBand,
  median,
  percentile,
  warnings,
} from '../../functions/reports/metrics';

/**
 * The worked examples of docs/metrics.md: one edition of 1,000 messages of which
 * 950 were delivered (30 hard and 20 soft bounces), 2 complaints, 400 unique opens
 * (300 by people), 120 unique clicks (100 by people), 5 unsubscribes.
 */
const EDITION = {
  sent: 1000,
  delivered: 950,
  bounced_hard: 30,
  bounced_soft: 20,
  complained: 2,
  uopens: 400,
  uopens_h: 300,
  uclicks: 120,
  uclicks_h: 100,
  unsubscribes: 5,
};

describe('figures (docs/metrics.md)', () => {
  const f = figures(EDITION);

  it('delivery rate = delivered / sent: 950 / 1,000 = 95 %', () => {
    expect(f.recipients).toBe(1000);
    expect(f.deliveryRate).toBeCloseTo(0.95, 10);
  });

  it('hard and soft bounce rates are over sent (SES): 30 / 1,000 = 3 %, 20 / 1,000 = 2 %', () => {
    expect(f.hardBounceRate).toBeCloseTo(0.03, 10);
    expect(f.softBounceRate).toBeCloseTo(0.02, 10);
  });

  it('complaint rate over sent (SES) 2 / 1,000 = 0.2 %; spam rate over delivered (Gmail) 2 / 950', () => {
    expect(f.complaintRate).toBeCloseTo(0.002, 10);
    expect(f.spamRate).toBeCloseTo(2 / 950, 10);
  });

  it('open rate = unique opens / delivered (Mailchimp): all 400 / 950, human 300 / 950', () => {
    expect(f.openRate).toBeCloseTo(0.42105, 4);
    expect(f.openRateHuman).toBeCloseTo(0.31579, 4);
  });

  it('click-through rate = unique clicks / delivered: 120 / 950 = 12.63 %, human 100 / 950', () => {
    expect(f.clickThroughRate).toBeCloseTo(0.12632, 4);
    expect(f.clickThroughRateHuman).toBeCloseTo(0.10526, 4);
  });

  it('click-to-open rate = unique clicks / unique opens: 120 / 400 = 30 %, human 100 / 300', () => {
    expect(f.clickToOpenRate).toBeCloseTo(0.3, 10);
    expect(f.clickToOpenRateHuman).toBeCloseTo(1 / 3, 10);
  });

  it('unsubscribe rate = unsubscribes / delivered: 5 / 950 = 0.53 %', () => {
    expect(f.unsubscribeRate).toBeCloseTo(0.005263, 5);
  });

  it('a rate of nothing is no rate, not 0 %', () => {
    const none = figures({});
    expect(none.openRate).toBeNull();
    expect(none.clickToOpenRate).toBeNull();
    expect(none.recipients).toBe(0);
  });
});

describe('engagement rate (GovDelivery/Granicus, approximated from counters)', () => {
  it('unique people over three months: 450 of 1,050 people engaged, however many editions each received', () => {
    // Tokyo sends monthly, January to March: the same 1,000 people each month and 50
    // newcomers in March (1,050 people, 3,050 messages). 400 people open in January; in
    // February 350 open, 300 of whom opened in January; in March 300 earlier openers
    // open again, a scanner clicks for 30 people who never opened, and 20 newcomers
    // click. Engaged: 400 + 50 + 30 + 20 = 500 people (the sum of the editions' unique
    // openers and clickers, 1,100, would count most of them twice); by a person (the
    // scanner's clicks aside): 470.
    const deltas = new Map<string, number>();
    const add = (scope: string, name: string) => {
      const key = `${scope}|${name}`;
      deltas.set(key, (deltas.get(key) ?? 0) + 1);
    };
    const activity = new Map<string, Map<string, Set<string>>>();
    const record = (person: number, attribute: string, month: string) => {
      const sets = activity.get(String(person)) ?? new Map<string, Set<string>>();
      activity.set(String(person), sets);
      const before = sets.get(attribute) ?? new Set<string>();
      countWindows(attribute, newWindows(before, [month]), add);
      sets.set(attribute, new Set([...before, month]));
    };
    const sent = activityAttribute('s', 'p', 'tokyo');
    const engaged = activityAttribute('e', 'p', 'tokyo');
    const human = activityAttribute('h', 'p', 'tokyo');
    for (const month of ['2026-01', '2026-02', '2026-03'])
      for (let p = 0; p < 1000; p++) record(p, sent, month);
    for (let p = 1000; p < 1050; p++) record(p, sent, '2026-03');
    const opened = (from: number, to: number, month: string) => {
      for (let p = from; p < to; p++) {
        record(p, engaged, month);
        record(p, human, month);
      }
    };
    opened(0, 400, '2026-01');
    opened(100, 450, '2026-02'); // 300 earlier openers (100-399), 50 new (400-449)
    opened(0, 300, '2026-03');
    for (let p = 500; p < 530; p++) record(p, engaged, '2026-03'); // scanned: machine clicks
    opened(1000, 1020, '2026-03'); // newcomers who clicked
    // One scope's counts per month, as a report reads them.
    const month = (m: string) => {
      const scope = scopes.postMonth('tokyo', m);
      return Object.fromEntries(
        [...deltas].filter(([k]) => k.startsWith(`${scope}|`)).map(([k, v]) => [k.split('|')[1], v]),
      );
    };
    const e = engagement(['2026-01', '2026-02', '2026-03'].map(month));
    expect(e.sentTo).toBe(1050);
    expect(e.engaged).toBe(500);
    expect(e.engagementRate).toBeCloseTo(500 / 1050, 10);
    expect(e.engagementRateHuman).toBeCloseTo(470 / 1050, 10);
    // The window ending in January holds January's 1,000 people and 400 openers.
    const january = engagement(['2025-11', '2025-12', '2026-01'].map(month));
    expect([january.sentTo, january.engaged]).toEqual([1000, 400]);
    // The window ending in May (March to May): March's 1,050 people, 320 engaged in March.
    expect(engagement(['2026-03', '2026-04', '2026-05'].map(month)).sentTo).toBe(1050);
    // Every count sits in the month that made it: nothing is written under April or May.
    expect(month('2026-04')).toEqual({});
    // A window nobody was active in: no rate, not 0 %.
    expect(engagement([{}, {}, {}]).engagementRate).toBeNull();
  });

  it('a month counts a person in the windows ending that month and the next two, once', () => {
    // [month that made it, months from it to the window's end]
    expect(newWindows(new Set(), ['2026-11'])).toEqual([
      ['2026-11', 0],
      ['2026-11', 1],
      ['2026-11', 2],
    ]);
    // Sent in January, then February: only the window ending in April is new.
    expect(newWindows(new Set(['2026-01']), ['2026-02'])).toEqual([['2026-02', 2]]);
    // A redelivered event changes nothing.
    expect(newWindows(new Set(['2026-02']), ['2026-02'])).toEqual([]);
    // A late event (January, after March was recorded) adds only what March did not cover.
    expect(newWindows(new Set(['2026-03']), ['2026-01'])).toEqual([
      ['2026-01', 0],
      ['2026-01', 1],
    ]);
  });
});

describe('list growth', () => {
  it('net = confirmed - unsubscribed - cleaned: 40 - 6 - 4 = 30 (50 signed up, 10 never confirmed)', () => {
    expect(listGrowth({ list_new: 50, list_confirmed: 40, list_unsubscribed: 6, list_cleaned: 4 })).toEqual({
      new: 50,
      confirmed: 40,
      unsubscribed: 6,
      cleaned: 4,
      net: 30,
    });
  });
});

describe('deliverability warnings', () => {
  it('the example edition crosses SES complaint line (0.2 % >= 0.1 %) and not its bounce line (3 % < 5 %)', () => {
    const w = warnings(figures(EDITION));
    expect(w.map((x) => x.figure)).toEqual(['complaintRate']);
    expect(w[0]?.message).toBe("complaintRate 0.20 % reaches Amazon SES's line of 0.10 %");
  });

  it('5 % hard bounces and a 0.3 % spam rate are at the line, so warned', () => {
    const w = warnings(figures({ sent: 1000, delivered: 1000, bounced_hard: 50, complained: 3 }));
    expect(w.map((x) => x.figure)).toEqual(['hardBounceRate', 'complaintRate', 'spamRate']);
    expect(warnings(figures({ sent: 1000, delivered: 1000, bounced_hard: 49 }))).toEqual([]);
  });
});

describe('benchmark helpers', () => {
  it('median of an odd and an even count', () => {
    expect(median([0.3, 0.1, 0.2])).toBe(0.2);
    expect(median([0.4, 0.1, 0.2, 0.3])).toBeCloseTo(0.25, 10);
    expect(median([])).toBeNull();
  });

  it('percentile rank: below + half the equal ones, over all', () => {
    // 0.3 among [0.1, 0.2, 0.3, 0.4]: 2 below, 1 equal -> (2 + 0.5) / 4 = 62.5
    expect(percentile(0.3, [0.1, 0.2, 0.3, 0.4])).toBe(62.5);
    expect(percentile(0.5, [0.5, 0.5])).toBe(50);
  });

  it('list-size bands: under 1,000 small, under 10,000 medium, else large', () => {
    expect(listSizeBand(999)).toBe('small');
    expect(listSizeBand(1000)).toBe('medium');
    expect(listSizeBand(9999)).toBe('medium');
    expect(listSizeBand(10_000)).toBe('large');
  });
});

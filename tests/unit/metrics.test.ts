import { describe, expect, it } from 'vitest';
import {
  engagement,
  figures,
  listGrowth,
  listSizeBand,
  median,
  percentile,
  sumCounts,
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
  it('three months of 1,000 sends each, 400 + 350 + 300 opened, a month with more clickers than openers', () => {
    const window = sumCounts([
      { sent: 1000, uopens: 400, uopens_h: 300, uclicks: 50, uclicks_h: 40 },
      { sent: 1000, uopens: 350, uopens_h: 250, uclicks: 40, uclicks_h: 30 },
      { sent: 1000, uopens: 300, uopens_h: 200, uclicks: 30, uclicks_h: 20 },
    ]);
    const e = engagement(window);
    expect(e.sentTo).toBe(3000);
    expect(e.engaged).toBe(1050);
    expect(e.engagementRate).toBeCloseTo(0.35, 10);
    expect(e.engagementRateHuman).toBeCloseTo(750 / 3000, 10);
    // Clicks counted without their open (a blocked pixel) still count as engaged.
    expect(engagement({ sent: 100, uopens: 10, uclicks: 12 }).engagementRate).toBeCloseTo(0.12, 10);
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

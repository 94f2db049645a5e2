import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors';
import type { Post } from '../../functions/core/model';
import { filterReport, reportFilterOf } from '../../functions/reports/filters';
import type { Report } from '../../functions/reports/report';

const post = (code: string, continent: Post['continent']) => ({ code, continent }) as Post;
const POSTS = [post('tokyo', 'asia'), post('beijing', 'asia'), post('berlin', 'europe')];

const report: Report = {
  kind: 'network',
  subject: 'network',
  title: 'The network',
  generatedAt: '2026-06-30T00:00:00Z',
  warnings: [],
  notes: [],
  tables: [
    {
      name: 'summary',
      title: 'Network totals',
      columns: [
        { key: 'figure', label: 'Figure', kind: 'text' },
        { key: 'value', label: 'Value', kind: 'number' },
      ],
      rows: [{ figure: 'Recipients', value: 300 }],
    },
    {
      name: 'posts',
      title: 'Posts',
      columns: [
        { key: 'post', label: 'Post', kind: 'text' },
        { key: 'language', label: 'Main language', kind: 'text' },
      ],
      rows: [
        { post: 'tokyo', language: 'en' },
        { post: 'beijing', language: 'en' },
        { post: 'berlin', language: 'de' },
      ],
    },
  ],
  charts: [
    {
      id: 'posts',
      title: 'Open rate',
      type: 'bar',
      labels: ['berlin', 'tokyo', 'beijing'],
      series: [{ label: 'Open rate', data: [0.3, 0.2, 0.1] }],
    },
    { id: 'months', title: 'Trend', type: 'line', labels: ['2026-05'], series: [{ label: 'x', data: [1] }] },
  ],
};

describe('report filters', () => {
  it("keeps one region's posts in the tables and the post chart, and leaves totals whole", () => {
    const asia = filterReport(report, reportFilterOf({ region: 'asia' }), POSTS);
    expect(asia.tables[1]?.rows.map((r) => r.post)).toEqual(['tokyo', 'beijing']);
    expect(asia.tables[0]?.rows).toEqual(report.tables[0]?.rows);
    expect(asia.charts[0]?.labels).toEqual(['tokyo', 'beijing']);
    expect(asia.charts[0]?.series[0]?.data).toEqual([0.2, 0.1]);
    expect(asia.charts[1]).toEqual(report.charts[1]);
    expect(asia.title).toBe('The network (region asia)');
    expect(asia.notes.at(-1)).toMatch(/^Filtered to region asia: /);
  });

  it('combines a post, a language; no filter gives the report as it is', () => {
    expect(filterReport(report, { language: 'de' }, POSTS).tables[1]?.rows).toEqual([
      { post: 'berlin', language: 'de' },
    ]);
    expect(filterReport(report, { region: 'asia', post: 'berlin' }, POSTS).tables[1]?.rows).toEqual([]);
    expect(filterReport(report, reportFilterOf({}), POSTS)).toBe(report);
  });

  it('refuses a bad value naming the parameter', () => {
    expect(() => reportFilterOf({ region: 'mars' })).toThrow(
      new ValidationError('region must be one of africa, americas, asia, europe, oceania'),
    );
    expect(() => reportFilterOf({ language: 'xx' })).toThrow(/^language must be one of/);
    expect(() => reportFilterOf({ post: '<b>' })).toThrow(/^post must be a post code/);
    expect(() => reportFilterOf({ audience: '' })).toThrow(/^audience must be/);
  });
});

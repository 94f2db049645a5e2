import type { EditionSummary } from '../editions/model';
import type { ReportDeps } from './ports';
import type { Period } from './report';

/** A post's editions sent (or sending) in the period, oldest first. */
export async function sentEditions(
  deps: ReportDeps,
  post: string,
  period: Period,
): Promise<EditionSummary[]> {
  const out: EditionSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.editions.listByPost(post, { limit: 200, cursor });
    for (const e of page.items) {
      const day = e.scheduledAt?.slice(0, 10);
      if ((e.status === 'sent' || e.status === 'sending') && day && day >= period.from && day <= period.to)
        out.push(e);
    }
    cursor = page.cursor;
  } while (cursor);
  return out.sort((a, b) => (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? ''));
}

import type { ContentRepository } from '../content/ports';
import type { AuditTrail } from '../core/audit';
import type { Counters } from '../core/counters';
import type { Clock, PostRepository } from '../core/ports';
import type { EditionRepository } from '../editions/ports';

/**
 * What the reports read: counters (pre-aggregated, never raw events), posts, editions
 * and their renders (link addresses), central content (story titles and kinds); and
 * the audit trail every export is written to. Passed in by the composition root.
 */
export interface ReportDeps {
  readonly counters: Counters;
  readonly posts: PostRepository;
  readonly editions: Pick<EditionRepository, 'get' | 'listByPost' | 'getRender'>;
  readonly content: Pick<ContentRepository, 'get'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

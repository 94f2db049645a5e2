import type { Session } from './api';

/** What the signed-in person may do, read from their grants (the API checks again). */
export const roles = (s: Session) => s.user.grants.map((g) => g.role);
/** The post a post-scoped person works for; network-wide roles have none. */
export const postOf = (s: Session) => s.user.grants.find((g) => g.post)?.post;
export const has = (s: Session, ...r: string[]) => roles(s).some((x) => r.includes(x));

/** Where a person lands after signing in: the page their main role works on. */
export function homeOf(s: Session): string {
  if (has(s, 'post-editor')) return '#/editions';
  if (has(s, 'post-approver')) return '#/review';
  if (has(s, 'spokesperson', 'admin')) return '#/crisis';
  if (has(s, 'hq-editor')) return '#/content';
  return '#/reports';
}

/** Staff roles of the product brief; subscribers are anonymous and use signed links instead. */
export const ROLES = [
  'post-editor',
  'post-approver',
  'hq-editor',
  'spokesperson',
  'analyst',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

import type { Actor } from '../../core/access';
import type { AuditTrail } from '../../core/audit';
import { MissiveError, NotFoundError, ValidationError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { Clock, PostRepository } from '../../core/ports';
import { importFilesFromBuffer } from './files';
import { parseColumnMap } from './format';
import { type ImportDeps, type ImportOptions, importSubscribers } from './import';
import type { ImportReport } from './report';

/** The API's cap on an uploaded file: under Lambda's 6 MB request payload once base64-encoded. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

/** An upload bigger than the API takes (413): the CLI reads any size. */
export class UploadTooLargeError extends MissiveError {
  readonly code = 'too_large';
  readonly httpStatus = 413;
}

/**
 * The uploaded file's bytes as the request carried them: base64 (a binary content
 * type, or bytes that are not UTF-8) as they are, so a Latin-1 file is detected as
 * the CLI detects it. A body that came as text is UTF-8 already; one that holds U+FFFD
 * had bytes replaced on the way (a Latin-1 file sent as text/csv) and is refused.
 */
export function uploadedBytes(body: string | undefined, isBase64Encoded: boolean): Buffer {
  if (!body) return Buffer.alloc(0);
  if (isBase64Encoded) return Buffer.from(body, 'base64');
  if (body.includes('\uFFFD'))
    throw new ValidationError(
      'import: the file arrived as text but is not UTF-8 (a Latin-1 export?); send it as application/octet-stream, or save it as CSV UTF-8',
    );
  return Buffer.from(body, 'utf8');
}

export interface UploadDeps extends ImportDeps {
  readonly posts: PostRepository;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/** The import's options as the API takes them (query parameters, as the CLI's flags). */
export interface UploadOptions {
  readonly name: string;
  readonly audience?: string;
  readonly format?: ImportOptions['format'];
  readonly map?: string;
  readonly status?: ImportOptions['status'];
  readonly dryRun: boolean;
}

/**
 * An editor's upload (a CSV or a Mailchimp export ZIP) imported into their post, and
 * audited: who, which post, the counts (never an address).
 */
export async function importUpload(
  deps: UploadDeps,
  actor: Actor,
  postCode: string,
  options: UploadOptions,
  body: Buffer,
): Promise<ImportReport> {
  if (body.length === 0) throw new ValidationError('import: the request body must be the file (CSV or ZIP)');
  if (body.length > MAX_UPLOAD_BYTES)
    throw new UploadTooLargeError(
      `import: the file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB; import bigger lists with \`missive subscribers import\``,
    );
  const post = await deps.posts.get(postCode);
  if (!post) throw new NotFoundError(`no post "${postCode}"`);
  const map = parseColumnMap(options.map);
  const files = await importFilesFromBuffer(options.name, body);
  const now = deps.clock.now().toISOString();
  let report: ImportReport;
  try {
    report = await importSubscribers(
      deps,
      {
        post,
        ...(options.audience ? { audience: options.audience } : {}),
        format: options.format ?? 'auto',
        map,
        ...(options.status ? { status: options.status } : {}),
        dryRun: options.dryRun,
        now,
      },
      files.sources,
    );
  } finally {
    files.close();
  }
  if (!options.dryRun)
    await deps.audit.record({
      id: newId('au'),
      at: now,
      actor: actor.id,
      action: 'subscribers.imported',
      post: post.code,
      target: { type: 'subscribers', id: post.code },
      detail: {
        audience: report.audience,
        files: report.files.length,
        rows: report.rows,
        imported: report.imported,
        updated: report.updated,
        unchanged: report.unchanged,
        suppressionsAdded: report.suppressionsAdded,
        invalid: report.invalid.count,
      },
    });
  return report;
}

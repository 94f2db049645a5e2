import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename } from 'node:path';
import yauzl, { type ZipFile } from 'yauzl';
import { ValidationError } from '../core/errors';
import { type ImportFiles, isZip, promised, ZIP_OPTIONS, zipFiles } from '../subscribers/import/files';

/** A loose CSV file, or the CSV files in an export ZIP (read entry by entry, streaming). */
export async function importFilesFromPath(path: string): Promise<ImportFiles> {
  let head: Buffer;
  try {
    const handle = await openFile(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ValidationError(
      `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: error,
      },
    );
  }
  if (isZip(head))
    return zipFiles(path, await promised<ZipFile>((cb) => yauzl.open(path, ZIP_OPTIONS, cb), path));
  return { sources: [{ name: basename(path), open: async () => createReadStream(path) }], close() {} };
}

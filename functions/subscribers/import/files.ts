import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ValidationError } from '../../core/errors';
import type { ImportSource } from './format';

/** Files to import, and a way to let go of them (a ZIP stays open while its entries are read). */
export interface ImportFiles {
  readonly sources: ImportSource[];
  close(): void;
}

export const isZip = (head: Buffer): boolean => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

export const ZIP_OPTIONS = { lazyEntries: true, autoClose: false, strictFileNames: false } as const;

/** An uploaded body: a CSV, or an export ZIP (in memory: the API caps its size). */
export async function importFilesFromBuffer(name: string, body: Buffer): Promise<ImportFiles> {
  if (isZip(body))
    return zipFiles(name, await promised<ZipFile>((cb) => yauzl.fromBuffer(body, ZIP_OPTIONS, cb), name));
  return { sources: [{ name, open: async () => Readable.from([body]) }], close() {} };
}

/** The files of an open ZIP (yauzl: entry sizes and CRCs checked as each is streamed). */
export async function zipFiles(name: string, zip: ZipFile): Promise<ImportFiles> {
  const entries: Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      // Folders and macOS's resource forks are not lists.
      if (!entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/')) entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (e: Error) => reject(new ValidationError(`${name}: not a readable ZIP (${e.message})`)));
    zip.readEntry();
  });
  return {
    sources: entries.map((entry) => ({
      name: entry.fileName,
      open: () => promised<Readable>((cb) => zip.openReadStream(entry, cb), `${name}: ${entry.fileName}`),
    })),
    close: () => zip.close(),
  };
}

export function promised<T>(
  start: (cb: (error: Error | null, value: T) => void) => void,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) =>
      error ? reject(new ValidationError(`${what}: not a readable ZIP (${error.message})`)) : resolve(value),
    ),
  );
}

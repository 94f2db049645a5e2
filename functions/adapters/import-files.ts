import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ValidationError } from '../core/errors';
import type { ImportSource } from '../subscribers/import/format';

/** Files to import, and a way to let go of them (a ZIP stays open while its entries are read). */
export interface ImportFiles {
  readonly sources: ImportSource[];
  close(): void;
}

const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

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
    return zipFiles(path, await promised<ZipFile>((cb) => yauzl.open(path, zipOptions, cb), path));
  const name = basename(path);
  return { sources: [{ name, open: async () => createReadStream(path) }], close() {} };
}

/** An uploaded body: a CSV, or an export ZIP (held in memory: the API caps its size). */
export async function importFilesFromBuffer(name: string, body: Buffer): Promise<ImportFiles> {
  if (isZip(body))
    return zipFiles(name, await promised<ZipFile>((cb) => yauzl.fromBuffer(body, zipOptions, cb), name));
  return { sources: [{ name, open: async () => Readable.from([body]) }], close() {} };
}

const zipOptions = { lazyEntries: true, autoClose: false, strictFileNames: false } as const;

async function zipFiles(name: string, zip: ZipFile): Promise<ImportFiles> {
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

function promised<T>(start: (cb: (error: Error | null, value: T) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) =>
      error ? reject(new ValidationError(`${what}: not a readable ZIP (${error.message})`)) : resolve(value),
    ),
  );
}

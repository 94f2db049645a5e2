import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (seeds/ and templates/ are found from here, whatever the working directory). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

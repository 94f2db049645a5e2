import { ValidationError } from '../core/errors';

/**
 * SES events kept in a file, for a local replay (`missive events ingest`): one JSON
 * object, a JSON array, or JSON lines; each item an SES event (either shape SES writes)
 * or an SNS envelope around one, whose Message is the event. Envelopes are NOT
 * signature-checked here: the file is the operator's own. A mistake names the file
 * and the line.
 */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The line of a character offset (1-based). */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** JSON.parse's error position as a line, when the engine gives one. */
function lineOfError(text: string, error: unknown): number {
  const m = /position (\d+)/.exec((error as Error).message);
  return m ? lineAt(text, Number(m[1])) : 1;
}

/** The SES event an item holds: an SNS Notification's Message, parsed, or the item itself. */
function eventOf(item: unknown, where: string): unknown {
  if (!isObject(item))
    throw new ValidationError(`${where}: not a JSON object (an SES event or SNS envelope)`);
  if (typeof item.Type === 'string' && typeof item.TopicArn === 'string' && 'Message' in item) {
    if (item.Type !== 'Notification') return item; // a subscription message: counted as ignored
    if (typeof item.Message !== 'string') throw new ValidationError(`${where}: SNS Message is not a string`);
    try {
      return JSON.parse(item.Message);
    } catch {
      throw new ValidationError(`${where}: the SNS envelope's Message is not JSON (not an SES event)`);
    }
  }
  return item;
}

export function parseEventFile(content: string, file: string): unknown[] {
  const text = content.replace(/^\uFEFF/, '');
  const start = text.search(/\S/);
  if (start < 0) throw new ValidationError(`${file}: empty, no events`);
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error;
  }
  if (!wholeError) {
    if (Array.isArray(whole)) {
      if (whole.length === 0) throw new ValidationError(`${file}: an empty array, no events`);
      return whole.map((item, i) => eventOf(item, `${file}: item ${i + 1}`));
    }
    return [eventOf(whole, `${file}:${lineAt(text, start)}`)];
  }
  const lines = text.split('\n');
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  // JSON lines when the first line is a JSON value on its own; otherwise one broken document.
  const firstAlone = (() => {
    try {
      JSON.parse(lines[firstLine] ?? '');
      return true;
    } catch {
      return false;
    }
  })();
  if (text[start] === '[' || !firstAlone) {
    const line = lineOfError(text, wholeError);
    throw new ValidationError(`${file}:${line}: not valid JSON (${(wholeError as Error).message})`);
  }
  const events: unknown[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(raw);
    } catch (error) {
      throw new ValidationError(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    events.push(eventOf(item, `${file}:${i + 1}`));
  });
  return events;
}

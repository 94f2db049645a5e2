import { quoted, ValidationError } from './errors';

/**
 * A post's local time, with Intl's own time-zone data (no library): a time typed
 * without an offset is read in the post's IANA zone, and times are shown both ways.
 */

/** True for a zone name Intl knows (IANA: Asia/Tokyo, Europe/Brussels, UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function fieldsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `t` in the zone, as if it were UTC (milliseconds). */
function wallClock(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of fieldsFormat(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The zone's offset from UTC at `t`, in minutes (Tokyo +540, Brussels +60 or +120). */
export function offsetMinutes(t: Date, timeZone: string): number {
  const ms = Math.floor(t.getTime() / 1000) * 1000;
  return Math.round((wallClock(ms, timeZone) - ms) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const formatOffset = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * A local date and time (2027-01-05T09:00) in the zone, as an instant. A time the
 * zone skips (clocks go forward) or has twice (clocks go back) is refused, naming
 * the offsets to choose from, rather than guessed.
 */
export function zonedToUtc(local: string, timeZone: string, field = 'at'): Date {
  const m = LOCAL.exec(local);
  if (!m)
    throw new ValidationError(
      `${field} must be a date and time such as 2027-01-05T09:00, got ${quoted(local)}`,
    );
  const [y, mo, d, h, mi, s] = m.slice(1).map((g) => Number(g ?? 0));
  const wall = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== (mo ?? 1) - 1 || check.getUTCDate() !== d || (h ?? 0) > 23 || (mi ?? 0) > 59)
    throw new ValidationError(`${field}: "${local}" is not a date and time that exists`);
  // The offsets around that day; a transition changes it at most once in a day.
  const offsets = new Set(
    [-36, 0, 36].map((hours) => offsetMinutes(new Date(wall + hours * 3_600_000), timeZone)),
  );
  const instants = [...offsets]
    .map((o) => wall - o * 60_000)
    .filter((t) => wallClock(t, timeZone) === wall)
    .sort((a, b) => a - b);
  const shown = local.replace(' ', 'T');
  if (instants.length === 0) {
    throw new ValidationError(
      `${field}: ${shown} does not exist in ${timeZone} (the clocks go forward then): choose another time`,
    );
  }
  if (instants.length > 1) {
    const choices = instants.map((t) => `${shown}${formatOffset(offsetMinutes(new Date(t), timeZone))}`);
    throw new ValidationError(
      `${field}: ${shown} happens twice in ${timeZone} (the clocks go back then): give the offset, ${choices.join(' or ')}`,
    );
  }
  return new Date(instants[0] ?? wall);
}

/**
 * A time as a person types it: with an offset or Z it is that instant; without one,
 * the given zone's local time (a post's, for scheduling).
 */
export function parseLocalOrInstant(value: string, timeZone: string, field = 'at'): Date {
  const v = value.trim();
  if (WITH_OFFSET.test(v)) {
    const t = new Date(v);
    if (!Number.isNaN(t.getTime())) return t;
  }
  if (LOCAL.test(v)) return zonedToUtc(v, timeZone, field);
  throw new ValidationError(
    `${field} must be a date and time such as 2027-01-05T09:00 (the post's local time) or 2027-01-05T09:00+01:00, got ${quoted(value)}`,
  );
}

/** An instant shown both ways: the local time with its zone and offset, and UTC. */
export interface ZonedTime {
  /** 2027-01-05T09:00:00+09:00 */
  readonly local: string;
  readonly timeZone: string;
  /** 2027-01-05T00:00:00.000Z */
  readonly utc: string;
  /** "2027-01-05 09:00 Asia/Tokyo (UTC+09:00) = 2027-01-05 00:00 UTC" */
  readonly text: string;
}

export function zonedTime(t: Date, timeZone: string): ZonedTime {
  const offset = offsetMinutes(t, timeZone);
  const wall = new Date(Math.floor(t.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const utc = t.toISOString();
  const minutes = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  return {
    local: `${wall}${formatOffset(offset)}`,
    timeZone,
    utc,
    text: `${minutes(wall)} ${timeZone} (UTC${formatOffset(offset)}) = ${minutes(utc)} UTC`,
  };
}

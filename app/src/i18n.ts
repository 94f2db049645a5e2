import { common } from './texts/common';
import { compose } from './texts/compose';
import { content } from './texts/content';
import { crisis } from './texts/crisis';
import { dashboard } from './texts/dashboard';
import { edition } from './texts/edition';
import { hq } from './texts/hq';
import { reports } from './texts/reports';
import { review } from './texts/review';
import { signIn } from './texts/sign-in';

/** The interface in English, French and Dutch: one key, three texts (a missing one does not compile). */
export const LANGS = ['en', 'fr', 'nl'] as const;
export type UiLang = (typeof LANGS)[number];

/** Each area's texts in its own file (texts/<area>.ts), so pages add their words without touching
 * one shared list; every file is checked for the three languages where it is written. */
const AREAS = [common, signIn, dashboard, compose, edition, review, reports, content, crisis, hq] as const;

type Merge<T> = T extends readonly [infer A, ...infer R] ? A & Merge<R> : unknown;
type KeysOf<U> = U extends unknown ? keyof U : never;
type Clashes<T> = T extends readonly [infer A, ...infer R]
  ? (keyof A & KeysOf<R[number]>) | Clashes<R>
  : never;
/** A key in two areas would silently show one of the two texts: it does not compile (the error names it). */
const noClash: [Clashes<typeof AREAS>] extends [never] ? true : Clashes<typeof AREAS> = true;
void noClash;

const TEXTS = Object.assign({}, ...AREAS) as Merge<typeof AREAS>;

export type TextKey = keyof typeof TEXTS;

const stored = (): UiLang => {
  const l = localStorage.getItem('missive.lang');
  return (LANGS as readonly string[]).includes(l ?? '') ? (l as UiLang) : 'en';
};

let current: UiLang = stored();

export const lang = (): UiLang => current;
export function setLang(l: UiLang): void {
  current = l;
  localStorage.setItem('missive.lang', l);
  document.documentElement.lang = l;
}
export const t = (key: TextKey): string => TEXTS[key][current];
/** For keys built from API values (roles, statuses): the value itself when no text exists. */
export const tv = (prefix: string, value: string): string =>
  (TEXTS as Record<string, Record<UiLang, string>>)[`${prefix}.${value}`]?.[current] ?? value;

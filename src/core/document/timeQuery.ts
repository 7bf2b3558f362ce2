/**
 * What a user types into **Go to Entry by Time…**: words that an entry's time, outcome and SNI must all
 * hold (an arrow counts as a space, so `REVOKED DROP` finds `REVOKED → DROP`), or a time, which goes to
 * the first entry at or after it even when no entry has that time.
 */

/** The words of a query, in lower case; arrows and white space separate them. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s→]+/u)
    .filter((w) => w !== '');
}

/** Whether every word of `query` occurs in one of `texts` (case-insensitive, arrows ignored). */
export function matchesQuery(query: string, texts: readonly (string | undefined)[]): boolean {
  const wanted = words(query);
  if (wanted.length === 0) return true;
  const haystack = words(texts.filter((t) => t !== undefined).join(' ')).join(' ');
  return wanted.every((w) => haystack.includes(w));
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const DATE_AND_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*Z?$/i;

/**
 * A time typed as `HH:MM[:SS[.mmm]]` (UTC, on the day of `referenceMs`) or `YYYY-MM-DD[ HH:MM[:SS[.mmm]]][Z]`
 * (UTC), in epoch milliseconds; undefined for anything else or an impossible time.
 */
export function typedTime(query: string, referenceMs: number | undefined): number | undefined {
  const text = query.trim();
  const clock = CLOCK.exec(text);
  if (clock !== null) {
    if (referenceMs === undefined || !Number.isFinite(referenceMs)) return undefined;
    const day = new Date(referenceMs);
    return utc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), clock[1], clock[2], clock[3], clock[4]);
  }
  const full = DATE_AND_CLOCK.exec(text);
  if (full === null) return undefined;
  return utc(Number(full[1]), Number(full[2]), Number(full[3]), full[4] ?? '0', full[5] ?? '0', full[6], full[7]);
}

function utc(
  year: number,
  month: number,
  day: number,
  h: string,
  m: string,
  s: string | undefined,
  ms: string | undefined,
): number | undefined {
  const [hour, minute, second] = [Number(h), Number(m), Number(s ?? '0')];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, Number((ms ?? '0').padEnd(3, '0')));
  // 31 February and the like roll over into the next month: not a time anyone typed.
  return new Date(time).getUTCDate() === day ? time : undefined;
}

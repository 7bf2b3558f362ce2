/**
 * The one reader of `event.timestamp`: the validator checks every line with it and the hover places the
 * time with it, so the two cannot disagree about which timestamps are valid. The rule is docs/FORMAT.md's:
 * ISO 8601 date-time, `YYYY-MM-DDTHH:MM:SS`, an optional fraction of one to nine digits, then `Z` (TLS logs)
 * or a numeric offset `+0000` / `+00:00` (alert and flow logs). A day or time that does not exist is invalid.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The most fractional digits accepted: nanoseconds. AWS writes six (microseconds). */
const MAX_FRACTION_DIGITS = 9;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, for any year (no Date object, no 1900 offset for years 0-99). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Reads `count` decimal digits at `at`, or -1 when any is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Where the fraction of the timestamp being read ended, set by {@link isoTimestampMs} for
 * {@link parseIsoTimestamp}: module state rather than an object, because the validator calls it once per
 * line and only the hover wants the fraction.
 */
let fractionEnd = 19;

/**
 * `event.timestamp` (`2024-07-02T18:01:44.412778Z`, or with a `+0000`/`+00:00` offset) as epoch milliseconds,
 * the fraction truncated to whole milliseconds (so .999999 never rounds into the next second); NaN when it
 * is not a valid timestamp. Every line has one, so this reads characters directly rather than through a
 * regular expression and Date objects.
 *
 * @param text the timestamp as written in the log.
 * @returns epoch milliseconds, or NaN.
 */
export function isoTimestampMs(text: string): number {
  const n = text.length;
  if (
    n < 20 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return Number.NaN;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > monthDays) return Number.NaN;
  let i = 19;
  let fraction = 0;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    // A tenth digit stops the loop on a digit, which is neither `Z` nor a sign: the timestamp is invalid.
    while (i < n && i - start < MAX_FRACTION_DIGITS) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (i - start < 3) fraction = fraction * 10 + d;
      i++;
    }
    const count = i - start;
    if (count === 0) return Number.NaN;
    if (count === 1) fraction *= 100;
    else if (count === 2) fraction *= 10;
  }
  fractionEnd = i;
  let offsetMinutes = 0;
  if (i === n - 1 && text.charCodeAt(i) === 90) {
    // UTC: no offset.
  } else {
    const sign = text.charCodeAt(i);
    if (sign !== 43 && sign !== 45) return Number.NaN;
    const rest = n - i - 1;
    const oh = digitsAt(text, i + 1, 2);
    const om = rest === 4 ? digitsAt(text, i + 3, 2) : rest === 5 && text.charCodeAt(i + 3) === 58 ? digitsAt(text, i + 4, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  }
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction - offsetMinutes * 60_000;
}

/** A valid `event.timestamp`, read by {@link parseIsoTimestamp}. */
export interface IsoTimestamp {
  /** Epoch milliseconds, the fraction truncated. */
  ms: number;
  /** The digits after the seconds as written (`412778`), empty when there are none: for showing the time to full precision. */
  fraction: string;
  /** Whether it ends in `Z` (TLS logs) rather than a numeric offset (alert and flow logs). */
  zulu: boolean;
}

/**
 * Reads `event.timestamp` with the validator's rule ({@link isoTimestampMs}), keeping what a reader is
 * shown: the fraction as written and whether it ends in `Z`.
 *
 * @param text the timestamp as written in the log.
 * @returns the time, or undefined when the timestamp is not valid.
 */
export function parseIsoTimestamp(text: string): IsoTimestamp | undefined {
  const ms = isoTimestampMs(text);
  if (Number.isNaN(ms)) return undefined;
  return { ms, fraction: fractionEnd > 20 ? text.slice(20, fractionEnd) : '', zulu: text.charCodeAt(text.length - 1) === 90 };
}

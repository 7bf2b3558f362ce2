/** The orders the SNI model sorts by, shared by its queries, its tree projection and the CLI's counter. */

/** By UTF-16 code units, as `<` compares strings (not by locale, so the order never depends on the machine). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** {@link compareStrings}, with `null` (no name) last. */
export function compareNullLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareStrings(a, b);
}

/** Ascending, NaN (no time) last. */
export function compareTimes(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
  return a - b;
}

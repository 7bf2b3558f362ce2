/** What the query builders share: the kinds of question, input errors, and time bounds. */

/** `summary`: counts per SNI; `entries`: the entries themselves, newest first. */
export type QueryKind = 'summary' | 'entries';

/** A value the query cannot be built from; the message says which and why, for people. */
export class QueryInputError extends Error {
  override readonly name = 'QueryInputError';
}

/** A time range in epoch milliseconds: `from` inclusive, `to` exclusive; either may be open. */
export interface TimeBounds {
  readonly fromMs?: number;
  readonly toMs?: number;
}

/** Reads `--from`/`--to` (ISO 8601 dates or times; a time without an offset is UTC) into bounds. */
export function timeBounds(from: string | undefined, to: string | undefined): TimeBounds {
  const fromMs = from === undefined ? undefined : isoMs(from, 'from');
  const toMs = to === undefined ? undefined : isoMs(to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs)
    throw new QueryInputError('the start of the time range must come before its end');
  return { fromMs, toMs };
}

function isoMs(text: string, which: string): number {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new QueryInputError(`--${which} takes an ISO 8601 date or time such as 2024-07-02T18:00:00Z, not "${text}"`);
  }
  const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw new QueryInputError(`--${which}: "${text}" is not a valid time`);
  return ms;
}

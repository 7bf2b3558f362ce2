import { kindOf, type GroupKind } from '../parse/entryKind';
import { entryTimeMs, plural } from '../text';
import { runToEnd } from '../threads/steps';
import type { Problem, TlsEntry } from '../parse/types';

/**
 * Moving around a parsed log: the next line with a problem or of a kind, and the levels of a "go to
 * entry by time" picker. Works on any per-line parse (a LogModel), in plain data.
 */

/** What a search needs to know of each line of a document, as a LogModel keeps it without reading the line again. */
export interface LineResults {
  readonly lineCount: number;
  problemsOf(line: number): readonly Problem[];
  /** The group kind of the line's entry; undefined when the line holds none. */
  kindOf(line: number): GroupKind | undefined;
}

export type LineFilter = (lines: LineResults, line: number) => boolean;

/** A line with at least one problem (what the Problems panel lists for it). */
export const hasProblems: LineFilter = (lines, line) => lines.problemsOf(line).length > 0;

/** A revocation check whose status is `REVOKED` or `UNKNOWN`. */
export const isRevokedOrUnknown: LineFilter = (lines, line) => {
  const kind = lines.kindOf(line);
  return kind === 'revoked' || kind === 'unknown';
};

/** A line whose entry is of one group kind: `revoked`, `unknown`, `tlsError`. */
export function isOfKind(kind: GroupKind): LineFilter {
  return (lines, line) => lines.kindOf(line) === kind;
}

/** Where a search landed; `wrapped` when it went past the end (or the start) of the document to get there. */
export interface LineHit {
  line: number;
  wrapped: boolean;
}

/**
 * The first line after `from` (before it, for `direction` -1) that `filter` accepts, going round the
 * document once as the editor's "next problem" does; `from` itself is looked at last.
 */
export function findLine(lines: LineResults, from: number, direction: 1 | -1, filter: LineFilter): LineHit | undefined {
  return runToEnd(findLineInSteps(lines, from, direction, filter, Number.POSITIVE_INFINITY));
}

/** Lines looked at per step of {@link findLineInSteps}: a few tenths of a millisecond. */
export const FIND_LINES_PER_STEP = 2000;

/**
 * {@link findLine} a step at a time, so that a caller can spread a search of a big document over several
 * turns of the event loop: each `next()` looks at up to `linesPerStep` lines, and the last one returns
 * what `findLine` returns. The lines must not change in between; a caller whose document was edited
 * starts again.
 */
export function* findLineInSteps(
  lines: LineResults,
  from: number,
  direction: 1 | -1,
  filter: LineFilter,
  linesPerStep = FIND_LINES_PER_STEP,
): Generator<void, LineHit | undefined, void> {
  const n = lines.lineCount;
  if (n === 0) return undefined;
  const start = Math.min(Math.max(Math.trunc(from), 0), n - 1);
  const perStep = Math.max(1, Math.trunc(linesPerStep));
  for (let step = 1; step <= n; step++) {
    const raw = start + direction * step;
    const line = ((raw % n) + n) % n;
    if (filter(lines, line)) return { line, wrapped: raw >= n || raw < 0 };
    if (step % perStep === 0 && step < n) yield;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Go to entry by time

/** An entry with its line and time, for the time picker. */
export interface TimedEntry {
  line: number;
  timeMs: number | undefined;
  entry: TlsEntry;
}

/** Entries whose times fall into one interval, or (`startMs` undefined) the entries without a time. */
export interface TimeBucket {
  startMs: number | undefined;
  widthMs: number;
  entries: TimedEntry[];
}

/** What one step of the picker lists: entries, or intervals to narrow down first. */
export type TimePickLevel = { kind: 'entries'; entries: TimedEntry[]; omitted: number } | { kind: 'buckets'; buckets: TimeBucket[] };

/** The most items one step of the picker lists. */
export const TIME_PICK_LIMIT = 1000;
/** Interval widths to narrow down by, coarsest first: an hour, a minute, a second. */
export const TIME_BUCKET_WIDTHS: readonly number[] = [3_600_000, 60_000, 1_000];

/** Entries in time order (entries without a time last, each group in line order). */
export function timedEntries(entries: Iterable<{ line: number; entry: TlsEntry }>): TimedEntry[] {
  const out: TimedEntry[] = [];
  for (const { line, entry } of entries) out.push({ line, timeMs: entryTimeMs(entry), entry });
  return out.sort(byTime);
}

/** The order of {@link timedEntries}. */
function byTime(a: TimedEntry, b: TimedEntry): number {
  if (a.timeMs === undefined || b.timeMs === undefined) return a.timeMs === b.timeMs ? a.line - b.line : a.timeMs === undefined ? 1 : -1;
  return a.timeMs - b.timeMs || a.line - b.line;
}

/** Entries handled per step of the stepped time functions: about a millisecond or less. */
export const TIME_ENTRIES_PER_STEP = 2000;

/**
 * {@link timedEntries} a step at a time: each `next()` takes up to `perStep` entries from `entries` and
 * sorts them, or merges about `perStep` of those sorted so far, and the last one returns what
 * `timedEntries` returns (entries on different lines, as a document's are, have one order). `entries`
 * must not change in between.
 */
export function* timedEntriesInSteps(
  entries: Iterable<{ line: number; entry: TlsEntry }>,
  perStep = TIME_ENTRIES_PER_STEP,
): Generator<void, TimedEntry[], void> {
  const size = Math.max(1, Math.trunc(perStep));
  const runs: TimedEntry[][] = [];
  const it = entries[Symbol.iterator]();
  for (;;) {
    const run: TimedEntry[] = [];
    for (let next; run.length < size && !(next = it.next()).done;)
      run.push({ line: next.value.line, timeMs: entryTimeMs(next.value.entry), entry: next.value.entry });
    // A log is mostly in time order already, which the built-in sort makes short work of; a sorted part
    // that follows on from the one before joins it, so an ordered log needs no merging.
    if (run.length > 0) {
      run.sort(byTime);
      const last = runs[runs.length - 1];
      if (last !== undefined && byTime(last[last.length - 1], run[0]) <= 0) for (const e of run) last.push(e);
      else runs.push(run);
    }
    if (run.length < size) break;
    yield;
  }
  return yield* mergeRunsInSteps(runs, size);
}

/** Merges sorted runs pairwise until one is left, about `perStep` entries per step. */
function* mergeRunsInSteps(runs: TimedEntry[][], perStep: number): Generator<void, TimedEntry[], void> {
  let budget = perStep;
  while (runs.length > 1) {
    const merged: TimedEntry[][] = [];
    for (let i = 0; i + 1 < runs.length; i += 2) {
      const a = runs[i];
      const b = runs[i + 1];
      const out = new Array<TimedEntry>(a.length + b.length);
      let x = 0;
      let y = 0;
      let k = 0;
      while (x < a.length || y < b.length) {
        // Taking from `a` on a tie keeps the sort stable (it never ties: lines differ).
        out[k++] = y >= b.length || (x < a.length && byTime(a[x], b[y]) <= 0) ? a[x++] : b[y++];
        if (--budget === 0) {
          budget = perStep;
          yield;
        }
      }
      merged.push(out);
    }
    if (runs.length % 2 === 1) merged.push(runs[runs.length - 1]);
    runs = merged;
  }
  return runs[0] ?? [];
}

/**
 * One step of the time picker over `entries` (in time order). Up to `limit` entries are listed as they
 * are. More are grouped by the coarsest interval of `widths` that splits them (an hour, else a minute,
 * else a second), so a document of 100 000 entries is an hour or a few minutes, then seconds, then its
 * entries; a single second holding more than `limit` entries lists its first `limit`, and says how many
 * it left out.
 */
export function timePickLevel(
  entries: readonly TimedEntry[],
  limit = TIME_PICK_LIMIT,
  widths: readonly number[] = TIME_BUCKET_WIDTHS,
): TimePickLevel {
  return runToEnd(timePickLevelInSteps(entries, limit, widths, Number.POSITIVE_INFINITY));
}

/** The finer widths to use inside a bucket of `width`. */
export function finerWidths(width: number, widths: readonly number[] = TIME_BUCKET_WIDTHS): number[] {
  return widths.filter((w) => w < width);
}

/**
 * {@link timePickLevel} a step at a time: each `next()` looks at up to `perStep` entries, and the last
 * one returns what `timePickLevel` returns. `entries` must not change in between.
 */
export function* timePickLevelInSteps(
  entries: readonly TimedEntry[],
  limit = TIME_PICK_LIMIT,
  widths: readonly number[] = TIME_BUCKET_WIDTHS,
  perStep = TIME_ENTRIES_PER_STEP,
): Generator<void, TimePickLevel, void> {
  const size = Math.max(1, Math.trunc(perStep));
  if (entries.length > limit) {
    for (const width of widths) {
      // Looks for two intervals first (which stops at the first change), then groups by the width that splits.
      if (yield* splitsInSteps(entries, width, size)) return { kind: 'buckets', buckets: yield* bucketByTimeInSteps(entries, width, size) };
    }
  }
  return { kind: 'entries', entries: entries.slice(0, limit), omitted: Math.max(0, entries.length - limit) };
}

/** Whether {@link bucketByTime} would make more than one bucket of timed entries: two timed entries in a row (entries without a time skipped) fall into different intervals. */
function* splitsInSteps(entries: readonly TimedEntry[], width: number, perStep: number): Generator<void, boolean, void> {
  let first: number | undefined;
  for (let i = 0; i < entries.length; i++) {
    const ms = entries[i].timeMs;
    if (ms !== undefined) {
      const start = Math.floor(ms / width) * width;
      if (first === undefined) first = start;
      else if (start !== first) return true;
    }
    if (i % perStep === perStep - 1) yield;
  }
  return false;
}

/** {@link bucketByTime}, `perStep` entries per step. */
function* bucketByTimeInSteps(entries: readonly TimedEntry[], width: number, perStep: number): Generator<void, TimeBucket[], void> {
  const buckets: TimeBucket[] = [];
  let current: TimeBucket | undefined;
  let untimed: TimeBucket | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.timeMs === undefined) {
      untimed ??= { startMs: undefined, widthMs: width, entries: [] };
      untimed.entries.push(e);
    } else {
      const start = Math.floor(e.timeMs / width) * width;
      if (current === undefined || current.startMs !== start) {
        current = { startMs: start, widthMs: width, entries: [] };
        buckets.push(current);
      }
      current.entries.push(e);
    }
    if (i % perStep === perStep - 1) yield;
  }
  if (untimed) buckets.push(untimed);
  return buckets;
}

/** What the time picker says about its intervals: each one's {@link countByKind}, and which holds a line. */
export interface BucketDetails {
  details: string[];
  /** The index of the first bucket with an entry on the line asked about; -1 when none has. */
  holding: number;
}

/**
 * The {@link countByKind} of every bucket, and the first bucket with an entry on `line` (where the
 * picker starts), a step at a time: each `next()` looks at up to `perStep` entries.
 */
export function* bucketDetailsInSteps(
  buckets: readonly TimeBucket[],
  line: number,
  perStep = TIME_ENTRIES_PER_STEP,
): Generator<void, BucketDetails, void> {
  const size = Math.max(1, Math.trunc(perStep));
  const details: string[] = [];
  let holding = -1;
  let budget = size;
  for (let b = 0; b < buckets.length; b++) {
    const counts: Record<GroupKind, number> = { tlsError: 0, revoked: 0, unknown: 0, other: 0 };
    for (const e of buckets[b].entries) {
      counts[kindOf(e.entry)]++;
      if (holding < 0 && e.line === line) holding = b;
      if (--budget === 0) {
        budget = size;
        yield;
      }
    }
    details.push(describeKindCounts(counts, buckets[b].entries.length));
  }
  return { details, holding };
}

/** `2024-07-02 18:00–19:00`, `2024-07-02 18:03`, `2024-07-02 18:03:27` (UTC), or `(no time)`. */
export function bucketLabel(bucket: TimeBucket): string {
  if (bucket.startMs === undefined) return '(no time)';
  const iso = new Date(bucket.startMs).toISOString();
  const day = iso.slice(0, 10);
  if (bucket.widthMs >= 3_600_000) {
    const end = new Date(bucket.startMs + bucket.widthMs).toISOString().slice(11, 16);
    return `${day} ${iso.slice(11, 16)}–${end}`;
  }
  if (bucket.widthMs >= 60_000) return `${day} ${iso.slice(11, 16)}`;
  return `${day} ${iso.slice(11, 19)}`;
}

const KIND_WORDS: Readonly<Record<GroupKind, [one: string, many: string]>> = {
  tlsError: ['TLS error', 'TLS errors'],
  revoked: ['revoked', 'revoked'],
  unknown: ['unknown', 'unknown'],
  other: ['other status', 'other statuses'],
};

/** `1,204 entries: 310 TLS errors, 12 revoked, 880 unknown, 2 other statuses` */
export function countByKind(entries: Iterable<{ entry: TlsEntry }>): string {
  const counts: Record<GroupKind, number> = { tlsError: 0, revoked: 0, unknown: 0, other: 0 };
  let total = 0;
  for (const { entry } of entries) {
    counts[kindOf(entry)]++;
    total++;
  }
  return describeKindCounts(counts, total);
}

/** {@link countByKind}'s words for counts already taken. */
export function describeKindCounts(counts: Readonly<Record<GroupKind, number>>, total: number): string {
  const parts = (Object.keys(KIND_WORDS) as GroupKind[]).filter((k) => counts[k] > 0).map((k) => plural(counts[k], ...KIND_WORDS[k]));
  return `${plural(total, 'entry', 'entries')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** The first entry at or after `timeMs` (entries in time order), else the last timed entry. */
export function entryAtTime(entries: readonly TimedEntry[], timeMs: number): TimedEntry | undefined {
  let lo = 0;
  let hi = entries.length;
  // Entries without a time sort last; search only the timed ones.
  while (hi > 0 && entries[hi - 1].timeMs === undefined) hi--;
  const timed = hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid].timeMs as number) < timeMs) lo = mid + 1;
    else hi = mid;
  }
  if (timed === 0) return undefined;
  return entries[Math.min(lo, timed - 1)];
}

/**
 * Where to put the cursor on an entry's line: inside the revocation status value (where its hover explains
 * it), else at the start of the JSON.
 */
export function statusColumn(text: string): number {
  const m = /"status"\s*:\s*"/.exec(text);
  if (m) return m.index + m[0].length;
  const start = text.search(/\S/);
  return start < 0 ? 0 : start;
}

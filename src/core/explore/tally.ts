/**
 * What the explorer counts for a set of rows: per facet value, per kind, per time bucket, and the time
 * extent. Rows are added a run at a time (a tight loop per facet over ids read into a scratch array, for
 * whole-source passes) or one at a time, with a sign, so that a filter that only leaves values out can be
 * answered by taking the left-out rows away from the unfiltered counts.
 */
import { K_OTHER, K_REVOKED, K_UNKNOWN, E_MISMATCH, E_NO_SNI } from '../parse/entryKind';
import { errorKindOfCode, kindOfCode } from '../sni/aggregate';
import type { SourceState } from '../sni/columns';
import { FACET_COUNT, facetIdOfRow, facetIdsAt, facetIdsOf } from './rowValues';
import { TIMELINE_KINDS } from './types';

const NK = TIMELINE_KINDS.length;

/** The timeline kind (TIMELINE_KINDS index) of a row code. */
export function timelineKindOfCode(code: number): number {
  const k = kindOfCode(code);
  if (k === K_REVOKED) return 0;
  if (k === K_UNKNOWN) return 1;
  if (k === K_OTHER) return 5;
  const e = errorKindOfCode(code);
  return e === E_NO_SNI ? 2 : e === E_MISMATCH ? 3 : 4;
}

export interface BucketLayout {
  readonly start: number;
  readonly bucketMs: number;
  readonly buckets: number;
}

export class Tally {
  /** counts[f][id]: rows holding value `id` of facet `f`. */
  readonly counts: Float64Array[];
  readonly byKind: Float64Array;
  /** buckets[b * NK + k]. */
  readonly buckets: Float64Array;
  matched = 0;
  undated = 0;
  first = Infinity;
  last = -Infinity;

  constructor(
    sizes: readonly number[],
    readonly layout: BucketLayout,
    from?: Tally,
  ) {
    this.counts = sizes.map((n, f) => (from === undefined ? new Float64Array(n) : from.counts[f].slice()));
    this.byKind = from === undefined ? new Float64Array(NK) : from.byKind.slice();
    this.buckets = from === undefined ? new Float64Array(layout.buckets * NK) : from.buckets.slice();
    if (from !== undefined) {
      this.matched = from.matched;
      this.undated = from.undated;
      this.first = from.first;
      this.last = from.last;
    }
  }

  /** A copy to take rows away from (the extent is not kept: take-aways cannot shrink it; see explorer.ts). */
  copy(): Tally {
    return new Tally(
      this.counts.map((c) => c.length),
      this.layout,
      this,
    );
  }

  /**
   * Adds rows lo..hi-1 of `st` whose keep[i - lo] is 1, or all of them when `keep` is undefined. `ids` is
   * scratch room for hi - lo ids.
   */
  addRun(st: SourceState, lo: number, hi: number, keep: Uint8Array | undefined, ids: Int32Array): void {
    const n = hi - lo;
    for (let f = 0; f < FACET_COUNT; f++) {
      facetIdsOf(st, f, lo, hi, ids);
      const c = this.counts[f];
      if (keep === undefined) for (let i = 0; i < n; i++) c[ids[i]]++;
      else for (let i = 0; i < n; i++) c[ids[i]] += keep[i];
    }
    const { codes, times } = st;
    const { start, bucketMs, buckets } = this.layout;
    const byKind = this.byKind;
    const counts = this.buckets;
    let matched = 0;
    let undated = 0;
    let first = this.first;
    let last = this.last;
    for (let i = 0; i < n; i++) {
      if (keep !== undefined && keep[i] === 0) continue;
      matched++;
      const k = timelineKindOfCode(codes[lo + i]);
      byKind[k]++;
      const t = times[lo + i];
      if (Number.isNaN(t)) {
        undated++;
        continue;
      }
      if (t < first) first = t;
      if (t > last) last = t;
      const b = Math.floor((t - start) / bucketMs);
      if (b >= 0 && b < buckets) counts[b * NK + k]++;
    }
    this.matched += matched;
    this.undated += undated;
    this.first = first;
    this.last = last;
  }

  /** Adds rows[0..n) of `st`; `ids` is scratch room for n ids. */
  addList(st: SourceState, rows: Int32Array, n: number, ids: Int32Array): void {
    for (let f = 0; f < FACET_COUNT; f++) {
      facetIdsAt(st, f, rows, n, ids);
      const c = this.counts[f];
      for (let i = 0; i < n; i++) c[ids[i]]++;
    }
    const { codes, times } = st;
    const { start, bucketMs, buckets } = this.layout;
    let undated = 0;
    let first = this.first;
    let last = this.last;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      const k = timelineKindOfCode(codes[r]);
      this.byKind[k]++;
      const t = times[r];
      if (Number.isNaN(t)) {
        undated++;
        continue;
      }
      if (t < first) first = t;
      if (t > last) last = t;
      const b = Math.floor((t - start) / bucketMs);
      if (b >= 0 && b < buckets) this.buckets[b * NK + k]++;
    }
    this.matched += n;
    this.undated += undated;
    this.first = first;
    this.last = last;
  }

  /** Adds row `r` of `st` (sign 1) or takes it away (sign -1; the extent is then left as it was). */
  addRow(st: SourceState, r: number, sign: 1 | -1): void {
    for (let f = 0; f < FACET_COUNT; f++) this.counts[f][facetIdOfRow(st, f, r)] += sign;
    const k = timelineKindOfCode(st.codes[r]);
    this.byKind[k] += sign;
    this.matched += sign;
    const t = st.times[r];
    if (Number.isNaN(t)) {
      this.undated += sign;
      return;
    }
    if (sign === 1) {
      if (t < this.first) this.first = t;
      if (t > this.last) this.last = t;
    }
    const b = Math.floor((t - this.layout.start) / this.layout.bucketMs);
    if (b >= 0 && b < this.layout.buckets) this.buckets[b * NK + k] += sign;
  }
}

/**
 * keep[i - lo] = 1 for the rows lo..hi-1 of `st` whose time is in [from, to) (when `timed`) and whose value
 * in every filtering facet is allowed (allowed[f][id] === 1; undefined: the facet does not filter).
 */
export function keepRun(
  st: SourceState,
  lo: number,
  hi: number,
  allowed: readonly (Uint8Array | undefined)[],
  timed: boolean,
  from: number,
  to: number,
  keep: Uint8Array,
  ids: Int32Array,
): void {
  const n = hi - lo;
  if (timed) {
    const times = st.times;
    for (let i = 0; i < n; i++) {
      const t = times[lo + i];
      keep[i] = t >= from && t < to ? 1 : 0;
    }
  } else keep.fill(1, 0, n);
  for (let f = 0; f < FACET_COUNT; f++) {
    const a = allowed[f];
    if (a === undefined) continue;
    facetIdsOf(st, f, lo, hi, ids);
    for (let i = 0; i < n; i++) keep[i] &= a[ids[i]];
  }
}

/** Whether row `r` passes the facets' filters (not the time range). */
export function rowAllowed(st: SourceState, r: number, allowed: readonly (Uint8Array | undefined)[]): boolean {
  for (let f = 0; f < FACET_COUNT; f++) {
    const a = allowed[f];
    if (a !== undefined && a[facetIdOfRow(st, f, r)] !== 1) return false;
  }
  return true;
}

/**
 * A facet's rows by value: for value `v`, rows[offsets[v]..offsets[v + 1]) are the global rows that hold
 * it, ascending (so a source's rows come together). Built in one pass from the unfiltered counts, for a
 * filter that keeps a few values: its question then reads those rows only, not every entry.
 * 4 bytes an entry, plus 8 a value.
 */
import type { SourceState } from '../sni/columns';
import { facetIdsOf } from './rowValues';

export interface Postings {
  readonly offsets: Float64Array;
  readonly rows: Uint32Array;
}

/** Builds facet `f`'s postings; `counts` are the rows per value of all entries, `ids` scratch of `step` ids. */
export function* buildPostings(
  sources: readonly SourceState[],
  starts: Int32Array,
  f: number,
  counts: Float64Array,
  ids: Int32Array,
  step: number,
): Generator<void, Postings, void> {
  const offsets = new Float64Array(counts.length + 1);
  for (let v = 0; v < counts.length; v++) offsets[v + 1] = offsets[v] + counts[v];
  const next = offsets.slice(0, counts.length);
  const rows = new Uint32Array(offsets[counts.length]);
  for (let s = 0; s < sources.length; s++) {
    const st = sources[s];
    for (let lo = 0; lo < st.rows; lo += step) {
      const hi = Math.min(st.rows, lo + step);
      facetIdsOf(st, f, lo, hi, ids);
      const g = starts[s] + lo;
      for (let i = 0; i < hi - lo; i++) rows[next[ids[i]]++] = g + i;
      yield;
    }
  }
  return { offsets, rows };
}

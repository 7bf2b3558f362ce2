/**
 * The entries of one (scope, SNI, kind) as a list in line or time order, for paging a kind node. The list
 * holds (source, row) pairs, 8 bytes an entry; only the page asked for is ever turned into objects. Lists are
 * cached on their aggregate until its counts change.
 */
import { C_KIND, kindOfCode, type Agg, type Materialized } from './aggregate';
import type { SourceState } from './columns';
import { compareTimes } from './compare';
import type { EntryOrder } from './types';

/**
 * The (source, row) list of kind index `k` of an aggregate in an order: by (source, line), or by (time,
 * source, line) with undated entries last. `sourcesOf` gives the sources holding the aggregate's rows, in key
 * order; it is only called when the list is not cached.
 */
export function entryList(agg: Agg, k: number, order: EntryOrder, sourcesOf: () => SourceState[]): Materialized {
  const cacheKey = `${order}:${k}`;
  const cached = agg.orderCache?.get(cacheKey);
  if (cached !== undefined && cached.revision === agg.revision) return cached;
  if (agg.orderCache !== undefined && [...agg.orderCache.values()].some((m) => m.revision !== agg.revision)) agg.orderCache = undefined;
  const sources = sourcesOf();
  const total = agg.counts[C_KIND + k];
  let srcOf = new Int32Array(total);
  let rowOf = new Int32Array(total);
  let n = 0;
  let inLineOrder = true;
  for (let si = 0; si < sources.length; si++) {
    const state = sources[si];
    const { codes } = state;
    if (!state.inOrder) inLineOrder = false;
    state.forEachRow(agg.sniId, agg.fwId, (row) => {
      if (kindOfCode(codes[row]) !== k || n >= total) return;
      srcOf[n] = si;
      rowOf[n] = row;
      n++;
    });
  }
  if (order === 'time' || !inLineOrder) {
    const times = new Float64Array(n);
    const lines = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const state = sources[srcOf[i]];
      times[i] = state.times[rowOf[i]];
      lines[i] = state.lines[rowOf[i]];
    }
    const byTime = order === 'time';
    // In line order, a position already encodes (source, line): time order is (time, position).
    let perm = byTime && inLineOrder ? sortByKeys(times) : undefined;
    if (perm === undefined) {
      perm = new Uint32Array(n);
      for (let i = 0; i < n; i++) perm[i] = i;
      perm.sort((a, b) => (byTime ? compareTimes(times[a], times[b]) : 0) || srcOf[a] - srcOf[b] || lines[a] - lines[b]);
    }
    const s2 = new Int32Array(n);
    const r2 = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      s2[i] = srcOf[perm[i]];
      r2[i] = rowOf[perm[i]];
    }
    srcOf = s2;
    rowOf = r2;
  } else if (n < total) {
    srcOf = srcOf.slice(0, n);
    rowOf = rowOf.slice(0, n);
  }
  const m: Materialized = { revision: agg.revision, sources, srcOf, rowOf };
  if (agg.orderCache === undefined) agg.orderCache = new Map();
  agg.orderCache.set(cacheKey, m);
  return m;
}

/**
 * The permutation that sorts positions 0..n-1 by (time, position), undated last, for integer times: each
 * becomes one number, (time - earliest) * n + position, that a typed-array sort orders natively (many times
 * faster than a comparator). Undefined when those numbers would not all be exact doubles.
 */
function sortByKeys(times: Float64Array): Uint32Array | undefined {
  const n = times.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (Number.isNaN(t)) continue;
    if (!Number.isInteger(t)) return undefined;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const undated = min === Infinity ? 0 : max - min + 1;
  if ((undated + 1) * n >= Number.MAX_SAFE_INTEGER) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (Number.isNaN(times[i]) ? undated : times[i] - min) * n + i;
  keys.sort();
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = keys[i] % n;
  return perm;
}

/**
 * The row of SNI `sniId` (of kind index `only`, or any when -1) on the nearest line after (direction 1) or
 * before (-1) `fromLine` in a source, wrapping around at the ends; -1 when there is none.
 */
export function neighbourRow(state: SourceState, sniId: number, only: number, fromLine: number, direction: 1 | -1): number {
  let best = -1;
  let wrap = -1;
  const { lines, snis, codes } = state;
  for (let row = 0; row < state.rows; row++) {
    if (snis[row] !== sniId || (only >= 0 && kindOfCode(codes[row]) !== only)) continue;
    const line = lines[row];
    if (direction === 1) {
      if (line > fromLine && (best < 0 || line < lines[best])) best = row;
      if (wrap < 0 || line < lines[wrap]) wrap = row;
    } else {
      if (line < fromLine && (best < 0 || line > lines[best])) best = row;
      if (wrap < 0 || line > lines[wrap]) wrap = row;
    }
  }
  return best >= 0 ? best : wrap;
}

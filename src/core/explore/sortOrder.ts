/**
 * The explorer's table orders other than time: a column's values ranked once, then a stable counting sort of
 * the time order by rank, so that ties stay in time order; the file order by source and line.
 */
import { actionOfCode } from '../sni/aggregate';
import type { ModelColumns, SourceState } from '../sni/columns';
import { compareNullLast, compareStrings } from '../sni/compare';
import type { FacetTable } from './facets';
import { timelineKindOfCode } from './tally';
import { TIMELINE_KINDS, type FacetName, type SortColumn } from './types';

const NK = TIMELINE_KINDS.length;

/** A column's rank per row: the order of its values, as small integers. */
export function rankTable(
  cols: ModelColumns,
  f: Readonly<Record<FacetName, FacetTable>>,
  column: Exclude<SortColumn, 'time' | 'file'>,
): { size: number; of: (st: SourceState, r: number) => number } {
  const ranksBy = (size: number, compare: (a: number, b: number) => number): Int32Array => {
    const ids = Array.from({ length: size }, (_, i) => i).sort((a, b) => compare(a, b) || a - b);
    const rank = new Int32Array(size);
    ids.forEach((id, i) => (rank[id] = i));
    return rank;
  };
  switch (column) {
    case 'outcome':
      // Kind (worst first), then action.
      return { size: NK * 5, of: (st, r) => timelineKindOfCode(st.codes[r]) * 5 + actionOfCode(st.codes[r]) + 1 };
    case 'sni': {
      const rank = ranksBy(cols.snis.length, (a, b) => compareNullLast(cols.snis[a], cols.snis[b]));
      return { size: rank.length, of: (st, r) => rank[st.snis[r]] };
    }
    case 'firewall': {
      const rank = ranksBy(cols.firewalls.length, (a, b) => compareNullLast(cols.firewalls[a], cols.firewalls[b]));
      return { size: rank.length, of: (st, r) => rank[st.fwOf(r)] };
    }
    case 'source': {
      const rank = ranksBy(f.source.size, (a, b) => compareAddresses(a === 0 ? null : cols.srcs[a - 1], b === 0 ? null : cols.srcs[b - 1]));
      return { size: rank.length, of: (st, r) => rank[st.srcs[r] + 1] };
    }
    case 'destination': {
      // Destination keys order by address code, then port; "none" last.
      const rank = ranksBy(f.destination.size, (a, b) =>
        a === 0 || b === 0 ? (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0) : cols.dests[a - 1] - cols.dests[b - 1],
      );
      return { size: rank.length, of: (st, r) => rank[st.dests[r] + 1] };
    }
  }
}

/** IPv4 addresses by value, then other addresses by text; none last. */
function compareAddresses(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const va = v4(a);
  const vb = v4(b);
  if (va >= 0 && vb >= 0) return va - vb;
  if (va >= 0 || vb >= 0) return va >= 0 ? -1 : 1;
  return compareStrings(a, b);
}

function v4(ip: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (m === null) return -1;
  const parts = m.slice(1).map(Number);
  return parts.some((p) => p > 255) ? -1 : ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

/**
 * Every global row by (source key, line), or the reverse; source `s`'s rows start at global row `starts[s]`,
 * and `starts` ends with the total. A step per source.
 */
export function* fileOrder(sources: readonly SourceState[], starts: Int32Array, desc: boolean): Generator<void, Uint32Array, void> {
  const perm = new Uint32Array(starts[sources.length]);
  let o = 0;
  for (let s = 0; s < sources.length; s++) {
    const st = sources[s];
    const base = starts[s];
    if (st.inOrder) for (let r = 0; r < st.rows; r++) perm[o++] = base + r;
    else {
      const rows = Array.from({ length: st.rows }, (_, i) => i).sort((a, b) => st.lines[a] - st.lines[b]);
      for (const r of rows) perm[o++] = base + r;
    }
    yield;
  }
  if (desc) perm.reverse();
  return perm;
}

/** Stable counting sort of `order` by `rank` (values 0..size-1), in steps of `step` rows. */
export function* countingSort(order: Uint32Array, rank: Int32Array, size: number, step: number): Generator<void, Uint32Array, void> {
  const starts = new Float64Array(size + 1);
  for (let i = 0; i < rank.length; i++) starts[rank[i] + 1]++;
  for (let k = 0; k < size; k++) starts[k + 1] += starts[k];
  yield;
  const out = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const g = order[i];
    out[starts[rank[g]]++] = g;
    if (i % step === step - 1) yield;
  }
  return out;
}

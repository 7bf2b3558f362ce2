/**
 * A row's value id in each facet (facets.ts's ids: 0..size-1, FACETS order), read from a source's columns.
 * Two shapes of the same rule: one row at a time (candidate lists), and a facet's ids for a run of rows
 * into a scratch array (whole-source passes, which then run as tight loops over typed arrays).
 */
import { actionOfCode, errorKindOfCode } from '../sni/aggregate';
import type { SourceState } from '../sni/columns';

export const F_SNI = 0;
export const F_DEST = 1;
export const F_SRC = 2;
export const F_FW = 3;
export const F_ZONE = 4;
export const F_STATUS = 5;
export const F_ACTION = 6;
export const F_ERROR = 7;
export const F_FPR = 8;
export const FACET_COUNT = 9;

/** Facet `f`'s value id of row `r`. */
export function facetIdOfRow(st: SourceState, f: number, r: number): number {
  switch (f) {
    case F_SNI:
      return st.snis[r];
    case F_DEST:
      return st.dests[r] + 1;
    case F_SRC:
      return st.srcs[r] + 1;
    case F_FW:
      return st.fwOf(r);
    case F_ZONE:
      return st.zones[r];
    case F_STATUS:
      return st.statuses[r];
    case F_ACTION:
      return actionOfCode(st.codes[r]) + 1;
    case F_ERROR:
      return errorKindOfCode(st.codes[r]);
    default:
      return st.fprs[r] + 1;
  }
}

/** Facet `f`'s value ids of rows lo..hi-1 into out[0..hi-lo). */
export function facetIdsOf(st: SourceState, f: number, lo: number, hi: number, out: Int32Array): void {
  const n = hi - lo;
  switch (f) {
    case F_SNI:
      out.set(st.snis.subarray(lo, hi));
      return;
    case F_DEST:
      plusOne(st.dests, lo, n, out);
      return;
    case F_SRC:
      plusOne(st.srcs, lo, n, out);
      return;
    case F_FW:
      if (st.fws === undefined) out.fill(st.fwUniform, 0, n);
      else out.set(st.fws.subarray(lo, hi));
      return;
    case F_ZONE:
      out.set(st.zones.subarray(lo, hi));
      return;
    case F_STATUS:
      out.set(st.statuses.subarray(lo, hi));
      return;
    case F_ACTION: {
      const codes = st.codes;
      for (let i = 0; i < n; i++) out[i] = actionOfCode(codes[lo + i]) + 1;
      return;
    }
    case F_ERROR: {
      const codes = st.codes;
      for (let i = 0; i < n; i++) out[i] = errorKindOfCode(codes[lo + i]);
      return;
    }
    default:
      plusOne(st.fprs, lo, n, out);
  }
}

/** Facet `f`'s value ids of rows[0..n) into out[0..n). */
export function facetIdsAt(st: SourceState, f: number, rows: Int32Array, n: number, out: Int32Array): void {
  switch (f) {
    case F_SNI:
      return gather(st.snis, rows, n, 0, out);
    case F_DEST:
      return gather(st.dests, rows, n, 1, out);
    case F_SRC:
      return gather(st.srcs, rows, n, 1, out);
    case F_FW:
      if (st.fws === undefined) out.fill(st.fwUniform, 0, n);
      else gather(st.fws, rows, n, 0, out);
      return;
    case F_ZONE:
      return gather(st.zones, rows, n, 0, out);
    case F_STATUS:
      return gather(st.statuses, rows, n, 0, out);
    case F_ACTION: {
      const codes = st.codes;
      for (let i = 0; i < n; i++) out[i] = actionOfCode(codes[rows[i]]) + 1;
      return;
    }
    case F_ERROR: {
      const codes = st.codes;
      for (let i = 0; i < n; i++) out[i] = errorKindOfCode(codes[rows[i]]);
      return;
    }
    default:
      return gather(st.fprs, rows, n, 1, out);
  }
}

function gather(column: Int32Array | Uint16Array, rows: Int32Array, n: number, plus: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) out[i] = column[rows[i]] + plus;
}

function plusOne(ids: Int32Array, lo: number, n: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) out[i] = ids[lo + i] + 1;
}

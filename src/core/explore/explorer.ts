/**
 * The explorer's aggregation over the SNI model's columns: per filter, the timeline (entries per time bucket
 * by kind), the facets' top values and the matching entries in a sorted order, paged. Nothing is copied per
 * entry beyond a few typed arrays (about 4 bytes an entry for the time order, 1 for the filter's mask, 4 for
 * the sorted matches, and 4 more for one other sort column while it is asked for).
 *
 * Work is done in generators whose steps each touch at most {@link STEP} rows, so the editor runs them in
 * its slice queue (src/core/threads/sliceQueue.ts) and the extension host never waits long; `drain` runs them
 * at once (tests, benchmarks). Results are cached by the model's version, the filter and the sort.
 */
import { actionOfCode } from '../sni/aggregate';
import type { SourceState } from '../sni/columns';
import { compareStrings } from '../sni/compare';
import type { ModelColumns } from '../sni/columns';
import { bucketLayout } from './buckets';
import { facetTables, type FacetTable } from './facets';
import { buildPostings, type Postings } from './postings';
import { F_SNI, facetIdsOf } from './rowValues';
import { keepRun, rowAllowed, Tally, timelineKindOfCode } from './tally';
import { countingSort, fileOrder, rankTable } from './sortOrder';
import { sortedOrder } from './timeOrder';
import {
  FACET_TOP,
  FACETS,
  TIMELINE_KINDS,
  type ExplorerFilter,
  type ExplorerRow,
  type ExplorerSort,
  type ExplorerSummary,
  type FacetSummary,
  type FacetValue,
  type RowPage,
} from './types';

export { timelineKindOfCode } from './tally';

/** Rows per step. */
const STEP = 16384;

/** Facets whose postings are kept (4 bytes an entry each). */
const POSTINGS_KEPT = 3;
const ACTION_NAMES = ['PASS', 'DROP', 'REJECT', 'other'];

/** What a version of the model's columns costs to prepare once: where each source's rows start, the time order. */
interface Index {
  readonly cols: ModelColumns;
  readonly facets: ReturnType<typeof facetTables>;
  /** Global row g of source s is row g - starts[s]; starts has one more item, the total. */
  readonly starts: Int32Array;
  readonly total: number;
  /** Global rows by (time, global row), undated last. */
  readonly byTime: Uint32Array;
  readonly undated: number;
  readonly first: number;
  readonly last: number;
  /** Each source's earliest and latest time (Infinity and -Infinity when none is dated). */
  readonly srcFirst: Float64Array;
  readonly srcLast: Float64Array;
  /** Each facet's number of values (FACETS order). */
  readonly sizes: readonly number[];
}

interface Matched {
  readonly key: string;
  readonly mask: Uint8Array;
  readonly summary: ExplorerSummary;
}

/** The aggregation for one SNI model; `columns` is called for the model's current columns. */
export class Explorer {
  private index: Index | undefined;
  private matched: Matched | undefined;
  private sorted: { key: string; rows: Uint32Array } | undefined;
  private order: { key: string; perm: Uint32Array } | undefined;
  private maskBuffer = new Uint8Array(0);
  private sortedBuffer = new Uint32Array(0);
  private base: Tally | undefined;
  private postings = new Map<number, Postings>();
  /** Scratch for one step's rows. */
  private readonly ids = new Int32Array(STEP);
  private readonly keep = new Uint8Array(STEP);
  private readonly list = new Int32Array(STEP);

  /**
   * @param listShare A filter is answered from a facet's rows by value (postings.ts) when the rows to read
   *   are at most this share of all entries; past it, by a pass over every entry. Tests set 0 and 1.
   */
  constructor(
    private readonly columns: () => ModelColumns,
    private readonly listShare = 1 / 3,
  ) {}

  /** Drops every cache (the model was cleared, or memory is wanted back). */
  reset(): void {
    this.index = undefined;
    this.matched = undefined;
    this.sorted = undefined;
    this.order = undefined;
    this.maskBuffer = new Uint8Array(0);
    this.sortedBuffer = new Uint32Array(0);
    this.base = undefined;
    this.postings = new Map();
  }

  /** The timeline, facets and totals of the entries that pass `filter`. */
  *summarize(filter: ExplorerFilter): Generator<void, ExplorerSummary, void> {
    return (yield* this.match(filter)).summary;
  }

  /**
   * Builds ahead, in steps, what the next question most likely needs: the SNI facet's rows by value, so
   * that a click on an SNI reads only that SNI's entries. The host runs it while the page is idle.
   */
  *warm(): Generator<void, void, void> {
    const index = yield* this.prepare();
    const base = yield* this.baseTally(index);
    yield* this.postingsOf(index, base, F_SNI);
  }

  /** A page of the entries that pass `filter`, in `sort` order. */
  *rows(filter: ExplorerFilter, sort: ExplorerSort, offset: number, limit: number): Generator<void, RowPage, void> {
    const list = yield* this.sortedRows(filter, sort);
    const index = this.index as Index;
    const start = Math.max(0, Math.min(list.length, Math.floor(offset)));
    const end = Math.min(list.length, start + Math.max(0, Math.floor(limit)));
    const rows: ExplorerRow[] = [];
    for (let i = start; i < end; i++) rows.push(this.rowOf(index, list[i], i));
    return { version: index.cols.version, total: list.length, offset: start, rows };
  }

  /** Calls `fn` for each entry that passes `filter`, in `sort` order (exports, copies). */
  *forEachRow(filter: ExplorerFilter, sort: ExplorerSort, fn: (row: ExplorerRow) => void): Generator<void, number, void> {
    // A copy: the buffers are reused by the next question, which may come before this walk ends.
    const list = (yield* this.sortedRows(filter, sort)).slice();
    const index = this.index as Index;
    for (let i = 0; i < list.length; i++) {
      fn(this.rowOf(index, list[i], i));
      if (i % 4096 === 4095) yield;
    }
    return list.length;
  }

  /** The sorted global rows that pass a filter. */
  private *sortedRows(filter: ExplorerFilter, sort: ExplorerSort): Generator<void, Uint32Array, void> {
    const m = yield* this.match(filter);
    const key = `${m.key}|${sort.column}|${sort.descending === true ? 'd' : 'a'}`;
    if (this.sorted?.key === key) return this.sorted.rows;
    const perm = yield* this.permutation(sort);
    this.sorted = undefined;
    if (this.sortedBuffer.length !== m.mask.length) this.sortedBuffer = new Uint32Array(m.mask.length);
    const out = this.sortedBuffer.subarray(0, m.summary.matched);
    let n = 0;
    const mask = m.mask;
    for (let i = 0; i < perm.length; i++) {
      const g = perm[i];
      if (mask[g] === 1) out[n++] = g;
      if (i % STEP === STEP - 1) yield;
    }
    this.sorted = { key, rows: out };
    return out;
  }

  private *prepare(): Generator<void, Index, void> {
    const cols = this.columns();
    if (this.index !== undefined && this.index.cols.version === cols.version) return this.index;
    this.reset();
    const starts = new Int32Array(cols.sources.length + 1);
    let total = 0;
    for (let s = 0; s < cols.sources.length; s++) {
      starts[s] = total;
      total += cols.sources[s].rows;
    }
    starts[cols.sources.length] = total;
    const keys = new Float64Array(total);
    let first = Infinity;
    let last = -Infinity;
    let undated = 0;
    const srcFirst = new Float64Array(cols.sources.length).fill(Infinity);
    const srcLast = new Float64Array(cols.sources.length).fill(-Infinity);
    for (let s = 0; s < cols.sources.length; s++) {
      const { times, rows } = cols.sources[s];
      const base = starts[s];
      let sFirst = Infinity;
      let sLast = -Infinity;
      for (let r = 0; r < rows; r++) {
        const t = times[r];
        if (Number.isNaN(t)) {
          keys[base + r] = Infinity;
          undated++;
        } else {
          keys[base + r] = t;
          if (t < sFirst) sFirst = t;
          if (t > sLast) sLast = t;
        }
      }
      srcFirst[s] = sFirst;
      srcLast[s] = sLast;
      if (sFirst < first) first = sFirst;
      if (sLast > last) last = sLast;
      yield;
    }
    const byTime = yield* sortedOrder(keys);
    const facets = facetTables(cols);
    this.index = {
      cols,
      facets,
      srcFirst,
      srcLast,
      sizes: FACETS.map((name) => facets[name].size),
      starts,
      total,
      byTime,
      undated,
      first: first === Infinity ? NaN : first,
      last: last === -Infinity ? NaN : last,
    };
    return this.index;
  }

  private *match(filter: ExplorerFilter): Generator<void, Matched, void> {
    const index = yield* this.prepare();
    const key = `${index.cols.version}|${filterKey(filter)}`;
    if (this.matched?.key === key) return this.matched;
    const tables = FACETS.map((name) => index.facets[name]);
    // Per facet, 1 where a value passes; undefined when the facet does not filter.
    const allowed = tables.map((t) => allowedValues(t, filter.include?.[t.name], filter.exclude?.[t.name]));
    const timed = filter.from !== undefined || filter.to !== undefined;
    const from = filter.from ?? -Infinity;
    const to = filter.to ?? Infinity;
    const base = yield* this.baseTally(index);
    // Buffers are reused from one question to the next: allocating megabytes per filter change makes the
    // engine collect garbage in the middle of a step.
    this.matched = undefined;
    this.sorted = undefined;
    if (this.maskBuffer.length !== index.total) this.maskBuffer = new Uint8Array(index.total);
    const mask = this.maskBuffer;
    const includes = FACETS.flatMap((name, f) => ((filter.include?.[name]?.length ?? 0) > 0 ? [f] : []));
    let tally: Tally;
    if (!timed && allowed.every((a) => a === undefined)) {
      mask.fill(1);
      tally = base;
    } else if (!timed && includes.length === 0 && leftOutRows(base, allowed) <= index.total * this.listShare) {
      tally = yield* this.takeAway(index, base, allowed, mask);
    } else {
      // The facet whose kept values hold fewest rows drives the pass, when they are few enough that reading
      // them one by one beats a pass over every entry.
      let driver = -1;
      let fewest = Infinity;
      for (const f of includes) {
        const n = keptRows(base.counts[f], allowed[f] as Uint8Array);
        if (n < fewest) {
          fewest = n;
          driver = f;
        }
      }
      const domainFirst = timed ? Math.max(from, Number.isFinite(index.first) ? index.first : from) : index.first;
      const domainLast = timed ? Math.min(to - 1, Number.isFinite(index.last) ? index.last : to - 1) : index.last;
      tally = new Tally(index.sizes, bucketLayout(domainFirst, domainLast));
      mask.fill(0);
      if (driver >= 0 && fewest <= index.total * this.listShare)
        yield* this.passList(index, base, driver, allowed, timed, from, to, tally, mask);
      else yield* this.passAll(index, allowed, timed, from, to, tally, mask);
    }
    // A facet with values shown only also gets its values over the entries the other conditions keep.
    const others: Array<Float64Array | undefined> = [];
    for (const f of includes) others[f] = yield* this.othersCounts(index, base, allowed, f, timed, from, to);
    const pinned = tables.map((t) => (filter.include?.[t.name] ?? []).flatMap((k) => t.idOf(k) ?? []));
    this.matched = { key, mask, summary: summaryOf(index, tables, tally, others, pinned) };
    return this.matched;
  }

  /**
   * Facet `f`'s counts over the entries that pass every condition but `f`'s own: the unfiltered counts when
   * there is no other, else a pass over the entries (sources wholly outside the time range skipped).
   */
  private *othersCounts(
    index: Index,
    base: Tally,
    allowed: readonly (Uint8Array | undefined)[],
    f: number,
    timed: boolean,
    from: number,
    to: number,
  ): Generator<void, Float64Array, void> {
    const rest = allowed.map((a, g) => (g === f ? undefined : a));
    if (!timed && rest.every((a) => a === undefined)) return base.counts[f];
    const counts = new Float64Array(index.sizes[f]);
    const { keep, ids } = this;
    yield* this.keptRuns(index, rest, timed, from, to, (st, _s, lo, hi) => {
      facetIdsOf(st, f, lo, hi, ids);
      for (let i = 0; i < hi - lo; i++) counts[ids[i]] += keep[i];
    });
    return counts;
  }

  /** The counts of every entry, once per version of the model. */
  private *baseTally(index: Index): Generator<void, Tally, void> {
    if (this.base !== undefined) return this.base;
    const tally = new Tally(index.sizes, bucketLayout(index.first, index.last));
    for (const st of index.cols.sources) {
      for (let lo = 0; lo < st.rows; lo += STEP) {
        tally.addRun(st, lo, Math.min(st.rows, lo + STEP), undefined, this.ids);
        yield;
      }
    }
    this.base = tally;
    return tally;
  }

  /** Every entry's row, a run at a time; sources wholly outside the time range are skipped. */
  private *passAll(
    index: Index,
    allowed: readonly (Uint8Array | undefined)[],
    timed: boolean,
    from: number,
    to: number,
    tally: Tally,
    mask: Uint8Array,
  ): Generator<void, void, void> {
    const { keep, ids } = this;
    yield* this.keptRuns(index, allowed, timed, from, to, (st, s, lo, hi) => {
      mask.set(keep.subarray(0, hi - lo), index.starts[s] + lo);
      tally.addRun(st, lo, hi, keep, ids);
    });
  }

  /**
   * Runs of up to {@link STEP} rows of every source that the time range touches, a step each: `this.keep`
   * holds which rows of the run pass (keepRun), when `each` is called with source `s`'s rows lo..hi-1.
   */
  private *keptRuns(
    index: Index,
    allowed: readonly (Uint8Array | undefined)[],
    timed: boolean,
    from: number,
    to: number,
    each: (st: SourceState, s: number, lo: number, hi: number) => void,
  ): Generator<void, void, void> {
    const { keep, ids } = this;
    for (let s = 0; s < index.cols.sources.length; s++) {
      const st = index.cols.sources[s];
      if (timed && !(index.srcLast[s] >= from && index.srcFirst[s] < to)) continue;
      for (let lo = 0; lo < st.rows; lo += STEP) {
        const hi = Math.min(st.rows, lo + STEP);
        keepRun(st, lo, hi, allowed, timed, from, to, keep, ids);
        each(st, s, lo, hi);
        yield;
      }
    }
  }

  /** Only the rows that hold a kept value of facet `f`, read through its postings. */
  private *passList(
    index: Index,
    base: Tally,
    f: number,
    allowed: readonly (Uint8Array | undefined)[],
    timed: boolean,
    from: number,
    to: number,
    tally: Tally,
    mask: Uint8Array,
  ): Generator<void, void, void> {
    const { offsets, rows } = yield* this.postingsOf(index, base, f);
    const kept = allowed[f] as Uint8Array;
    const sources = index.cols.sources;
    // The passing rows of one source gather in `list` and are counted a facet at a time.
    const list = this.list;
    let n = 0;
    let at = -1;
    const flush = (): void => {
      if (n > 0) tally.addList(sources[at], list, n, this.ids);
      n = 0;
    };
    let seen = 0;
    for (let v = 0; v < kept.length; v++) {
      if (kept[v] !== 1 || offsets[v] === offsets[v + 1]) continue;
      // Rows ascend, so the source only moves forward.
      let s = sourceOf(index.starts, rows[offsets[v]]);
      for (let i = offsets[v]; i < offsets[v + 1]; i++) {
        const g = rows[i];
        while (g >= index.starts[s + 1]) s++;
        if (s !== at || n === STEP) {
          flush();
          at = s;
        }
        const st = sources[s];
        const r = g - index.starts[s];
        if ((++seen & (STEP - 1)) === 0) {
          flush();
          yield;
        }
        if (timed) {
          const t = st.times[r];
          if (!(t >= from && t < to)) continue;
        }
        if (!rowAllowed(st, r, allowed)) continue;
        mask[g] = 1;
        list[n++] = r;
      }
    }
    flush();
  }

  /** The unfiltered counts less the rows a filter of exclusions only leaves out, read through postings. */
  private *takeAway(
    index: Index,
    base: Tally,
    allowed: readonly (Uint8Array | undefined)[],
    mask: Uint8Array,
  ): Generator<void, Tally, void> {
    const tally = base.copy();
    mask.fill(1);
    const sources = index.cols.sources;
    let n = 0;
    for (let f = 0; f < allowed.length; f++) {
      const a = allowed[f];
      if (a === undefined) continue;
      const { offsets, rows } = yield* this.postingsOf(index, base, f);
      for (let v = 0; v < a.length; v++) {
        if (a[v] === 1 || offsets[v] === offsets[v + 1]) continue;
        let s = sourceOf(index.starts, rows[offsets[v]]);
        for (let i = offsets[v]; i < offsets[v + 1]; i++) {
          const g = rows[i];
          if ((++n & (STEP - 1)) === 0) yield;
          // A row left out by two facets is taken away once.
          if (mask[g] === 0) continue;
          while (g >= index.starts[s + 1]) s++;
          mask[g] = 0;
          tally.addRow(sources[s], g - index.starts[s], -1);
        }
      }
    }
    // The extent of what is left: the first and last kept rows in time order.
    const dated = index.total - index.undated;
    const timeOf = (g: number): number => {
      const s = sourceOf(index.starts, g);
      return sources[s].times[g - index.starts[s]];
    };
    tally.first = Infinity;
    tally.last = -Infinity;
    for (let i = 0; i < dated; i++) {
      if (mask[index.byTime[i]] === 1) {
        tally.first = timeOf(index.byTime[i]);
        break;
      }
    }
    for (let i = dated - 1; i >= 0; i--) {
      if (mask[index.byTime[i]] === 1) {
        tally.last = timeOf(index.byTime[i]);
        break;
      }
    }
    return tally;
  }

  /** Facet `f`'s postings; the three most recently used facets keep theirs. */
  private *postingsOf(index: Index, base: Tally, f: number): Generator<void, Postings, void> {
    const cached = this.postings.get(f);
    if (cached !== undefined) {
      this.postings.delete(f);
      this.postings.set(f, cached);
      return cached;
    }
    const built = yield* buildPostings(index.cols.sources, index.starts, f, base.counts[f], this.ids, STEP);
    this.postings.set(f, built);
    if (this.postings.size > POSTINGS_KEPT) this.postings.delete(this.postings.keys().next().value as number);
    return built;
  }

  /** All global rows in a sort order: by time from the index; by another column, a stable counting sort of the time order. */
  private *permutation(sort: ExplorerSort): Generator<void, Uint32Array, void> {
    const index = this.index as Index;
    const desc = sort.descending === true;
    if (sort.column === 'time' && !desc) return index.byTime;
    const key = `${index.cols.version}|${sort.column}|${desc ? 'd' : 'a'}`;
    if (this.order?.key === key) return this.order.perm;
    let perm: Uint32Array;
    if (sort.column === 'time') {
      // Latest first: the time order reversed, undated entries still last.
      const dated = index.total - index.undated;
      perm = new Uint32Array(index.total);
      for (let i = 0; i < dated; i++) perm[i] = index.byTime[dated - 1 - i];
      perm.set(index.byTime.subarray(dated), dated);
    } else if (sort.column === 'file') {
      perm = yield* fileOrder(index.cols.sources, index.starts, desc);
    } else {
      const ranks = rankTable(index.cols, index.facets, sort.column);
      const size = ranks.size;
      // Only while the order is built: kept, it would hold 4 bytes an entry for nothing.
      const rank = new Int32Array(index.total);
      for (let s = 0; s < index.cols.sources.length; s++) {
        const st = index.cols.sources[s];
        const base = index.starts[s];
        for (let r = 0; r < st.rows; r++) {
          const v = ranks.of(st, r);
          rank[base + r] = desc ? size - 1 - v : v;
        }
        yield;
      }
      perm = yield* countingSort(index.byTime, rank, size, STEP);
    }
    this.order = { key, perm };
    return perm;
  }
  private rowOf(index: Index, g: number, at: number): ExplorerRow {
    const s = sourceOf(index.starts, g);
    const st = index.cols.sources[s];
    const r = g - index.starts[s];
    const code = st.codes[r];
    const a = actionOfCode(code);
    const f = index.facets;
    return {
      index: at,
      sourceKey: st.key,
      line: st.lines[r],
      timeMs: st.times[r],
      kind: TIMELINE_KINDS[timelineKindOfCode(code)],
      action: a < 0 ? '' : ACTION_NAMES[a],
      sni: index.cols.snis[st.snis[r]],
      source: st.srcs[r] < 0 ? '' : f.source.label(st.srcs[r] + 1),
      destination: st.dests[r] < 0 ? '' : f.destination.label(st.dests[r] + 1),
      firewall: index.cols.firewalls[st.fwOf(r)],
    };
  }
}

/** The source of a global row (binary search over the starts). */
function sourceOf(starts: Int32Array, g: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= g) lo = mid;
    else hi = mid - 1;
  }
  // Empty sources share a start with the next one: step past them.
  while (lo + 1 < starts.length - 1 && starts[lo + 1] <= g) lo++;
  return lo;
}

/** The summary the page gets from a tally. */
function summaryOf(
  index: Index,
  tables: readonly FacetTable[],
  tally: Tally,
  others: readonly (Float64Array | undefined)[],
  pinned: readonly (readonly number[])[],
): ExplorerSummary {
  const { layout } = tally;
  return {
    version: index.cols.version,
    total: index.total,
    matched: tally.matched,
    byKind: Array.from(tally.byKind),
    extent: { first: index.first, last: index.last },
    matchedExtent: { first: tally.first === Infinity ? NaN : tally.first, last: tally.last === -Infinity ? NaN : tally.last },
    timeline: {
      start: layout.start,
      bucketMs: layout.bucketMs,
      buckets: layout.buckets,
      counts: Array.from(tally.buckets),
      undated: tally.undated,
    },
    facets: tables.map((t, f): FacetSummary => {
      const counts = others[f];
      const own = topValues(t, tally.counts[f]);
      if (counts === undefined) return own;
      const wide = topValues(t, counts, pinned[f]);
      return { ...own, others: { values: wide.values, distinct: wide.distinct } };
    }),
  };
}

/** Rows holding a value that `allowed` leaves out, over all facets (an upper bound: a row may count twice). */
function leftOutRows(base: Tally, allowed: readonly (Uint8Array | undefined)[]): number {
  let n = 0;
  allowed.forEach((a, f) => {
    if (a !== undefined) n += base.matched - keptRows(base.counts[f], a);
  });
  return n;
}

/** Rows holding a value that `allowed` keeps. */
function keptRows(counts: Float64Array, allowed: Uint8Array): number {
  let n = 0;
  for (let v = 0; v < counts.length; v++) if (allowed[v] === 1) n += counts[v];
  return n;
}

/** A canonical text of a filter, for caching (value lists sorted, empty lists dropped). */
export function filterKey(filter: ExplorerFilter): string {
  const lists = (m: ExplorerFilter['include']): [string, string[]][] =>
    FACETS.filter((f) => (m?.[f]?.length ?? 0) > 0).map((f) => [f, [...(m?.[f] as readonly string[])].sort(compareStrings)]);
  return JSON.stringify([filter.from ?? null, filter.to ?? null, lists(filter.include), lists(filter.exclude)]);
}

function allowedValues(
  t: FacetTable,
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): Uint8Array | undefined {
  if ((include === undefined || include.length === 0) && (exclude === undefined || exclude.length === 0)) return undefined;
  const a = new Uint8Array(t.size);
  if (include !== undefined && include.length > 0) {
    for (const k of include) {
      const id = t.idOf(k);
      if (id !== undefined) a[id] = 1;
    }
  } else {
    a.fill(1);
  }
  for (const k of exclude ?? []) {
    const id = t.idOf(k);
    if (id !== undefined) a[id] = 0;
  }
  return a;
}

/**
 * The {@link FACET_TOP} values with most entries (ties by key), then the `pinned` values not among them (most
 * entries first), and how many values have any.
 */
function topValues(t: FacetTable, counts: Float64Array, pinned: readonly number[] = []): FacetSummary {
  const top: number[] = [];
  let distinct = 0;
  for (let id = 0; id < counts.length; id++) {
    const c = counts[id];
    if (c === 0) continue;
    distinct++;
    if (top.length === FACET_TOP && c <= counts[top[FACET_TOP - 1]]) continue;
    let i = top.length;
    while (i > 0 && (counts[top[i - 1]] < c || (counts[top[i - 1]] === c && t.key(top[i - 1]) > t.key(id)))) i--;
    top.splice(i, 0, id);
    if (top.length > FACET_TOP) top.pop();
  }
  const rest = [...new Set(pinned)].filter((id) => !top.includes(id));
  rest.sort((a, b) => counts[b] - counts[a] || (t.key(a) < t.key(b) ? -1 : 1));
  const values: FacetValue[] = [...top, ...rest].map((id) => ({ key: t.key(id), label: t.label(id), count: counts[id] }));
  return { name: t.name, values, distinct };
}

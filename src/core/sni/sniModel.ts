/**
 * The SNI grouping model behind the sidebar tree and the CLI's `snis` report.
 *
 * Entries arrive per source (one file or document, named by a string key such as a URI). Replacing or
 * removing one source subtracts only that source's rows from the aggregates they feed; the other sources
 * are never re-read.
 *
 * Memory: no `TlsEntry` is retained. Each entry is a row of its source's typed-array columns (line, SNI id,
 * kind and action, time, destination address id and port: about 25 bytes, plus 4 per line for the
 * line-to-row index; and 16 more for what only the explorer's facets read: source address, destination
 * pair, certificate fingerprint, zone and status), with SNIs, firewalls and addresses interned once for the whole model. Per SNI the
 * model keeps one aggregate for all sources and one per firewall; a source keeps 20 bytes of counts per SNI
 * it holds. Everything else (per-source aggregates, entry lists in line or time order, destinations) is
 * read from the rows when asked for and cached until the data changes, so 2.8 million entries from a
 * thousand files cost about 100 MB however many (file, SNI) pairs they spread over. Paging a kind node builds
 * a (source, row) list of that one group and kind (8 bytes an entry); only `limit` locations are ever turned
 * into objects.
 *
 * This file holds the mutations and the queries. The parts live beside it: columns.ts (per-source storage),
 * aggregate.ts (where the counts are made), entryLists.ts (entries in line or time order), filter.ts and
 * names.ts (which groups a filter keeps and in what order), details.ts (a group's destinations and files),
 * nodeIds.ts, and tree.ts, the tree's shape built on these queries. Editor-free: the tree provider maps the
 * projection's nodes to tree items; the CLI calls {@link SniModel.summary}.
 */
import type { EntryBatch } from '../parse/entryBatch';
import { GROUP_KINDS, KIND_LABELS, kindIndex, kindIndexOf, tlsErrorKindOf, type GroupKind, type SniKey } from '../parse/entryKind';
import type { LineEntry } from '../parse/types';
import { timeFromFields } from '../text';
import { Listeners } from '../listeners';
import { addRow, Agg, C_ENTRIES, C_KIND, kindOfCode, recomputeTimes, removeRow, rowCode, snapshot, sourceAggregates } from './aggregate';
import { checkLines, destKey, facetInterners, Interner, ipCode, MAX_LINE, smallId, SourceState, type ModelColumns } from './columns';
import { compareStrings } from './compare';
import { groupDetails } from './details';
import { firewallContainers, sourceContainers } from './containers';
import { entryList, neighbourRow } from './entryLists';
import { groupComparator, groupMatcher, kindAllowed } from './filter';
import { SniNames } from './names';
import type {
  Container,
  EntryLocation,
  EntryOrder,
  EntryPage,
  GroupFilter,
  GroupPage,
  GroupQuery,
  KindCount,
  KindFilter,
  Scope,
  SniGroup,
  SniGroupDetails,
  SniModelChange,
  SniModelChangeListener,
  SniModelOptions,
  SniSummaryRow,
  SourceMeta,
} from './types';

const DEFAULT_DISTINCT_LIMIT = 1000;
/** The destination key of an entry with neither a usable address nor a usable port. */
const NO_DEST = destKey(-1, -1);
/** Sources whose per-SNI aggregates (actions, times, entry lists) are kept built at once. */
const SOURCE_AGG_CACHE = 16;
const ALL: Scope = { by: 'all' };

/**
 * Entries of many sources grouped by SNI. Mutations bump {@link version} and call the change listeners
 * synchronously; the editor debounces refreshes itself.
 */
export class SniModel {
  private readonly sources = new Map<string, SourceState>();
  private bySni = new Map<number, Agg>();
  private byFirewall = new Map<number, Map<number, Agg>>();
  private sniIds = new Interner<SniKey>();
  private fwIds = new Interner<string | null>();
  private ipIds = new Interner<string>();
  /** What only the explorer's facets read: source addresses, destination pairs, fingerprints, zones, statuses. */
  private facetIds = facetInterners();
  private names = new SniNames(this.sniIds.values);
  private readonly dirtyTimes = new Set<Agg>();
  /** Per-SNI aggregates of the last few sources asked for, built for the source's `revision`; oldest first. */
  private readonly sourceAggCache = new Map<SourceState, { revision: number; map: Map<number, Agg> }>();
  private sortedKeys: string[] | undefined;
  private readonly listeners = new Listeners<SniModelChange>();
  private readonly distinctLimit: number;
  private versionCounter = 0;

  constructor(options: SniModelOptions = {}) {
    this.distinctLimit = Math.max(0, Math.floor(options.distinctLimit ?? DEFAULT_DISTINCT_LIMIT));
  }

  /** Bumped by every mutation. */
  get version(): number {
    return this.versionCounter;
  }

  /** Entries in all sources. */
  get totalEntries(): number {
    let n = 0;
    for (const s of this.sources.values()) n += s.rows;
    return n;
  }

  /** Calls `listener` after every mutation; returns a function that unsubscribes it. */
  onDidChange(listener: SniModelChangeListener): () => void {
    return this.listeners.add(listener);
  }

  // --- mutations -------------------------------------------------------------------------------------

  /**
   * Replaces a source's contribution (the document was opened or edited). `meta` replaces the source's
   * metadata when given. Lines must be integers in [0, 2^31 - 2]; a line already given earlier in `refs`
   * is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  setSourceEntries(sourceKey: string, refs: readonly LineEntry[], meta?: SourceMeta): number {
    checkLines(refs);
    const old = this.sources.get(sourceKey);
    if (old !== undefined) this.detach(old);
    const state = this.createSource(sourceKey, meta ?? old?.meta);
    const added = this.appendRefs(state, refs);
    this.fire([sourceKey]);
    return added;
  }

  /**
   * Appends entries to a source, creating it if needed (a streaming scan delivering batches). A ref whose
   * line the source already holds is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  addEntries(sourceKey: string, refs: readonly LineEntry[], meta?: SourceMeta): number {
    checkLines(refs);
    const state = this.sourceFor(sourceKey, meta);
    const added = this.appendRefs(state, refs);
    this.fire([sourceKey]);
    return added;
  }

  /**
   * {@link addEntries} for a packed batch from a worker: the same result without an object per entry.
   * @throws RangeError for an invalid line, before anything changes.
   */
  addBatch(sourceKey: string, batch: EntryBatch, meta?: SourceMeta): number {
    for (let i = 0; i < batch.count; i++) {
      const line = batch.lines[i];
      if (!(line >= 0 && line <= MAX_LINE)) throw new RangeError(`Invalid line index ${line}: lines are integers from 0 to ${MAX_LINE}.`);
    }
    const state = this.sourceFor(sourceKey, meta);
    const strings = batch.strings;
    // Batch string index -> model id, filled as strings are met (-2 = not yet).
    const sniOf = new Int32Array(strings.length).fill(-2);
    const fwOf = new Int32Array(strings.length).fill(-2);
    const ipOf = new Float64Array(strings.length).fill(-2);
    const srcOf = new Int32Array(strings.length).fill(-2);
    const fprOf = new Int32Array(strings.length).fill(-2);
    const { srcs, fprs, zones, statuses } = this.facetIds;
    const noSni = this.sniIds.id(null);
    const noFw = this.fwIds.id(null);
    let maxLine = -1;
    for (let i = 0; i < batch.count; i++) if (batch.lines[i] > maxLine) maxLine = batch.lines[i];
    this.prepare(state, batch.count, maxLine);
    let added = 0;
    for (let i = 0; i < batch.count; i++) {
      const s = batch.sni[i];
      let sniId = noSni;
      if (s >= 0) {
        sniId = sniOf[s];
        if (sniId === -2) sniId = sniOf[s] = this.sniIds.id(strings[s]);
      }
      const f = batch.firewall[i];
      let fwId = noFw;
      if (f >= 0) {
        fwId = fwOf[f];
        if (fwId === -2) fwId = fwOf[f] = this.fwIds.id(strings[f]);
      }
      const p = batch.destIp[i];
      let ipId = -1;
      if (p >= 0) {
        ipId = ipOf[p];
        if (ipId === -2) ipId = ipOf[p] = ipCode(strings[p], this.ipIds);
      }
      const revocation = batch.kinds[i] === 1;
      const st = batch.status[i];
      const status = st >= 0 ? strings[st] : undefined;
      const a = batch.action[i];
      const code = rowCode(
        kindIndexOf(revocation, status),
        revocation,
        a >= 0 ? strings[a] : undefined,
        batch.errorKind[i] as 0 | 1 | 2 | 3,
      );
      const time = timeFromFields(batch.timeMs[i], batch.eventTimestamp[i]);
      const sp = batch.srcIp[i];
      let srcId = -1;
      if (sp >= 0) {
        srcId = srcOf[sp];
        if (srcId === -2) srcId = srcOf[sp] = srcs.id(strings[sp]);
      }
      const fp = batch.fingerprint[i];
      let fprId = -1;
      if (fp >= 0) {
        fprId = fprOf[fp];
        if (fprId === -2) fprId = fprOf[fp] = fprs.id(strings[fp]);
      }
      const z = batch.zone[i];
      const facets = this.rowFacets;
      facets.src = srcId;
      facets.fpr = fprId;
      facets.zone = smallId(z >= 0 ? strings[z] : undefined, zones);
      facets.status = smallId(status, statuses);
      if (this.appendRow(state, batch.lines[i], sniId, fwId, code, time, ipId, batch.destPort[i])) added++;
    }
    this.finishAppend(state);
    this.fire([sourceKey]);
    return added;
  }

  /** Sets a source's metadata (creating an empty source if needed). */
  setSourceMeta(sourceKey: string, meta: SourceMeta | undefined): void {
    const state = this.sources.get(sourceKey) ?? this.createSource(sourceKey, undefined);
    state.meta = meta;
    this.fire([sourceKey]);
  }

  /** Drops a source and its entries. Returns false when there was no such source. */
  removeSource(sourceKey: string): boolean {
    const state = this.sources.get(sourceKey);
    if (state === undefined) return false;
    this.detach(state);
    this.fire([sourceKey]);
    return true;
  }

  /** Drops everything. */
  clear(): void {
    const keys = [...this.sources.keys()];
    this.sources.clear();
    this.bySni = new Map();
    this.byFirewall = new Map();
    this.sniIds = new Interner();
    this.fwIds = new Interner();
    this.ipIds = new Interner();
    this.facetIds = facetInterners();
    this.names = new SniNames(this.sniIds.values);
    this.dirtyTimes.clear();
    this.sourceAggCache.clear();
    this.appending = undefined;
    this.sortedKeys = undefined;
    this.fire(keys);
  }

  // --- sources ---------------------------------------------------------------------------------------

  /** Source keys in code-unit order. */
  sourceKeys(): readonly string[] {
    if (this.sortedKeys === undefined) this.sortedKeys = [...this.sources.keys()].sort(compareStrings);
    return this.sortedKeys;
  }

  /** A source's metadata, if any. */
  sourceMeta(sourceKey: string): SourceMeta | undefined {
    return this.sources.get(sourceKey)?.meta;
  }

  /** Entries in one source (0 when unknown). */
  sourceEntries(sourceKey: string): number {
    return this.sources.get(sourceKey)?.rows ?? 0;
  }

  // --- queries ---------------------------------------------------------------------------------------

  /** Calls `fn` with the time (epoch ms, NaN when unknown) and SNI id of every entry of a kind (a GROUP_KINDS index), in all sources. */
  forEachOfKind(kind: number, fn: (time: number, sniId: number) => void): void {
    for (const s of this.sources.values()) {
      for (let row = 0; row < s.rows; row++) if (kindOfCode(s.codes[row]) === kind) fn(s.times[row], s.snis[row]);
    }
  }

  /** SNI groups of a scope (default: all sources merged) that pass the filter, sorted. */
  groups(query: GroupQuery = {}): SniGroup[] {
    const scope = query.scope ?? ALL;
    return this.sortedAggs(query).map((agg) => snapshot(agg, scope));
  }

  /** How many groups of a scope pass the filter; cheaper than {@link groups} (nothing is sorted or built). */
  groupCount(query: GroupQuery = {}): number {
    const map = this.aggMap(query.scope ?? ALL);
    if (map === undefined) return 0;
    if ((query.text ?? '') === '' && (query.kind ?? 'all') === 'all') return map.size;
    const matcher = groupMatcher(query, this.names);
    let n = 0;
    for (const agg of map.values()) if (matcher(agg.sniId, agg.counts, C_KIND)) n++;
    return n;
  }

  /** Level-one nodes when grouping by source (by key) or by firewall (by name, no name last), without empty ones. */
  containers(by: 'source' | 'firewall', filter: GroupFilter = {}): Container[] {
    const matcher = groupMatcher(filter, this.names);
    if (by === 'source')
      return sourceContainers(
        this.sourceKeys().map((key) => this.sources.get(key) as SourceState),
        matcher,
      );
    return firewallContainers(this.byFirewall, this.fwIds.values, matcher);
  }

  /**
   * A page of the groups {@link groups} returns, in the same order: only the page's snapshots are built.
   * `total` counts every group that passes the filter.
   */
  groupsPage(query: GroupQuery, offset: number, limit: number): GroupPage {
    const aggs = this.sortedAggs(query);
    const scope = query.scope ?? ALL;
    return { total: aggs.length, offset, items: aggs.slice(offset, offset + limit).map((agg) => snapshot(agg, scope)) };
  }

  /** The place of an SNI's group among the {@link groups} of a query, or -1 when it is not among them. */
  groupRank(sni: SniKey, query: GroupQuery = {}): number {
    return this.sortedAggs(query).findIndex((agg) => agg.sni === sni);
  }

  /** One group, or undefined when the scope has no entry with that SNI or the group does not pass `filter`. */
  group(sni: SniKey, scope: Scope = ALL, filter: GroupFilter = {}): SniGroup | undefined {
    const agg = this.agg(scope, sni);
    if (agg === undefined || !groupMatcher(filter, this.names)(agg.sniId, agg.counts, C_KIND)) return undefined;
    this.refreshTimes();
    return snapshot(agg, scope);
  }

  /** A group with destinations, firewalls and per-source counts, read from its rows. */
  details(sni: SniKey, scope: Scope = ALL): SniGroupDetails | undefined {
    const agg = this.agg(scope, sni);
    if (agg === undefined) return undefined;
    this.refreshTimes();
    return groupDetails(agg, snapshot(agg, scope), this.sourcesOf(agg), this.distinctLimit, this.ipIds, this.fwIds.values);
  }

  /** The kinds a group holds (in {@link GROUP_KINDS} order), limited to those the filter asks for. */
  kindsOf(sni: SniKey, scope: Scope = ALL, filter: KindFilter = 'all'): KindCount[] {
    const agg = this.agg(scope, sni);
    if (agg === undefined) return [];
    const out: KindCount[] = [];
    for (let k = 0; k < GROUP_KINDS.length; k++) {
      const count = agg.counts[C_KIND + k];
      if (count > 0 && kindAllowed(k, filter)) out.push({ kind: GROUP_KINDS[k], label: KIND_LABELS[GROUP_KINDS[k]], count });
    }
    return out;
  }

  /**
   * A page of one group's entries of one kind. Line order is (source key, line); time order is (time,
   * source key, line) with undated entries last. Only `limit` locations are built, whatever the group's size.
   */
  entriesOf(sni: SniKey, kind: GroupKind, offset: number, limit: number, options: { scope?: Scope; order?: EntryOrder } = {}): EntryPage {
    const agg = this.agg(options.scope ?? ALL, sni);
    const k = GROUP_KINDS.indexOf(kind);
    const start = Math.max(0, Math.floor(offset));
    if (agg === undefined || k < 0) return { total: 0, offset: start, items: [] };
    const m = entryList(agg, k, options.order ?? 'line', () => this.sourcesOf(agg));
    const total = m.rowOf.length;
    const end = Math.min(total, start + Math.max(0, Math.floor(limit)));
    const items: EntryLocation[] = [];
    for (let i = start; i < end; i++) items.push(this.locationOf(m.sources[m.srcOf[i]], m.rowOf[i]));
    return { total, offset: start, items };
  }

  /**
   * The entry of `sni` after (direction 1) or before (-1) `fromLine` in the same source, wrapping around
   * at the ends; optionally only entries of one kind. `fromLine` need not hold an entry. Undefined when the
   * source has no such entry.
   */
  navigate(sni: SniKey, fromSource: string, fromLine: number, direction: 1 | -1, kind?: GroupKind): EntryLocation | undefined {
    const state = this.sources.get(fromSource);
    const sniId = this.sniIds.find(sni);
    if (state === undefined || sniId === undefined || !state.hasSni(sniId)) return undefined;
    const hit = neighbourRow(state, sniId, kind === undefined ? -1 : GROUP_KINDS.indexOf(kind), fromLine, direction);
    return hit < 0 ? undefined : this.locationOf(state, hit);
  }

  /** The entry on a line of a source, or undefined when that line holds none. O(1). */
  findGroupForLine(sourceKey: string, line: number): EntryLocation | undefined {
    const state = this.sources.get(sourceKey);
    if (state === undefined || !Number.isInteger(line) || line < 0) return undefined;
    const row = state.rowOfLine(line);
    return row < 0 ? undefined : this.locationOf(state, row);
  }

  /** Rows of the CLI's `snis` report, most entries first. */
  summary(): SniSummaryRow[] {
    return this.groups({ sort: 'count' }).map(summaryRow);
  }

  /** SNIs with any TLS error, revoked or unknown entry, most entries first. */
  failingSnis(): SniKey[] {
    return this.groups({ sort: 'count', kind: 'failing' }).map((g) => g.sni);
  }

  /**
   * The sources' columns and the tables their ids refer to, for the explorer's aggregation
   * (src/core/explore). Read-only by contract: valid until the next mutation ({@link version}).
   */
  columns(): ModelColumns {
    const sources = this.sourceKeys().map((key) => this.sources.get(key) as SourceState);
    return {
      version: this.versionCounter,
      sources,
      snis: this.sniIds.values,
      firewalls: this.fwIds.values,
      ips: this.ipIds,
      srcs: this.facetIds.srcs.values,
      dests: this.facetIds.dests.values,
      fprs: this.facetIds.fprs.values,
      zones: this.facetIds.zones.values,
      statuses: this.facetIds.statuses.values,
    };
  }

  // --- internals -------------------------------------------------------------------------------------

  /** The aggregates of a scope that pass the filter, sorted; the last list is reused until the model changes. */
  private sortedAggs(query: GroupQuery): readonly Agg[] {
    const scope = query.scope ?? ALL;
    const sort = query.sort ?? 'count';
    const key = JSON.stringify([scope, sort, query.text ?? '', query.kind ?? 'all']);
    if (this.sortedCache !== undefined && this.sortedCache.version === this.versionCounter && this.sortedCache.key === key)
      return this.sortedCache.aggs;
    const map = this.aggMap(scope);
    if (map === undefined) return [];
    const matcher = groupMatcher(query, this.names);
    const aggs: Agg[] = [];
    for (const agg of map.values()) if (matcher(agg.sniId, agg.counts, C_KIND)) aggs.push(agg);
    this.refreshTimes();
    this.names.update();
    aggs.sort(groupComparator(sort, this.names));
    this.sortedCache = { version: this.versionCounter, key, aggs };
    return aggs;
  }

  private sortedCache: { version: number; key: string; aggs: readonly Agg[] } | undefined;

  private aggMap(scope: Scope): Map<number, Agg> | undefined {
    if (scope.by === 'source') {
      const state = this.sources.get(scope.source);
      return state === undefined ? undefined : this.sourceAggs(state);
    }
    if (scope.by === 'firewall') {
      const fwId = this.fwIds.find(scope.firewall);
      return fwId === undefined ? undefined : this.byFirewall.get(fwId);
    }
    return this.bySni;
  }

  private agg(scope: Scope, sni: SniKey): Agg | undefined {
    const sniId = this.sniIds.find(sni);
    return sniId === undefined ? undefined : this.aggMap(scope)?.get(sniId);
  }

  /** A source's per-SNI aggregates, read from its rows; the last few sources' are kept until they change. */
  private sourceAggs(state: SourceState): Map<number, Agg> {
    const cached = this.sourceAggCache.get(state);
    if (cached !== undefined && cached.revision === state.revision) return cached.map;
    const map = sourceAggregates(state, this.sniIds.values);
    // Map order is insertion order: re-inserting makes this source the newest.
    this.sourceAggCache.delete(state);
    this.sourceAggCache.set(state, { revision: state.revision, map });
    if (this.sourceAggCache.size > SOURCE_AGG_CACHE) this.sourceAggCache.delete(this.sourceAggCache.keys().next().value as SourceState);
    return map;
  }

  private sourceFor(key: string, meta: SourceMeta | undefined): SourceState {
    const state = this.sources.get(key);
    if (state === undefined) return this.createSource(key, meta);
    if (meta !== undefined) state.meta = meta;
    return state;
  }

  private createSource(key: string, meta: SourceMeta | undefined): SourceState {
    const state = new SourceState(key, meta);
    this.sources.set(key, state);
    this.sortedKeys = undefined;
    return state;
  }

  /** Removes a source and subtracts its rows from the aggregates they feed. */
  private detach(state: SourceState): void {
    const touched = new Set<Agg>();
    // Aggregates whose earliest or latest time was on a removed row: only those need their times recomputed.
    const extremes = new Set<Agg>();
    let g: Agg | undefined;
    let f: Agg | undefined;
    for (let row = 0; row < state.rows; row++) {
      const sniId = state.snis[row];
      const fwId = state.fwOf(row);
      if (g === undefined || g.sniId !== sniId || (f as Agg).fwId !== fwId) {
        g = this.bySni.get(sniId) as Agg;
        f = this.byFirewall.get(fwId)?.get(sniId) as Agg;
        touched.add(g);
        touched.add(f);
      }
      removeRow(g, state.codes[row]);
      removeRow(f as Agg, state.codes[row]);
      const time = state.times[row];
      if (time === g.first || time === g.last) extremes.add(g);
      if (time === (f as Agg).first || time === (f as Agg).last) extremes.add(f as Agg);
    }
    for (const agg of touched) {
      agg.revision++;
      agg.orderCache = undefined;
      if (agg.counts[C_ENTRIES] > 0) {
        if (extremes.has(agg)) {
          agg.timesDirty = true;
          this.dirtyTimes.add(agg);
        }
        continue;
      }
      this.dirtyTimes.delete(agg);
      if (agg.fwId < 0) {
        this.bySni.delete(agg.sniId);
      } else {
        const map = this.byFirewall.get(agg.fwId);
        map?.delete(agg.sniId);
        if (map?.size === 0) this.byFirewall.delete(agg.fwId);
      }
    }
    this.sources.delete(state.key);
    if (this.appending === state) this.appending = undefined;
    this.sourceAggCache.delete(state);
    this.sortedKeys = undefined;
    this.cursor = undefined;
  }

  private appendRefs(state: SourceState, refs: readonly LineEntry[]): number {
    let maxLine = -1;
    for (const ref of refs) if (ref.line > maxLine) maxLine = ref.line;
    this.prepare(state, refs.length, maxLine);
    let added = 0;
    // Consecutive entries mostly share SNI and firewall; skip the look-ups then.
    let lastSni: SniKey | undefined;
    let sniId = -1;
    let lastFw: string | null | undefined;
    let fwId = -1;
    for (const ref of refs) {
      const e = ref.entry;
      const sni = e.sni ?? null;
      if (sni !== lastSni || sniId < 0) {
        sniId = this.sniIds.id(sni);
        lastSni = sni;
      }
      const fw = e.firewallName ?? null;
      if (fw !== lastFw || fwId < 0) {
        fwId = this.fwIds.id(fw);
        lastFw = fw;
      }
      const ipId = e.destIp === undefined ? -1 : ipCode(e.destIp, this.ipIds);
      const port =
        e.destPort !== undefined && Number.isInteger(e.destPort) && e.destPort >= 0 && e.destPort <= 0x7fffffff ? e.destPort : -1;
      const code = rowCode(kindIndex(e), e.kind === 'revocation', e.action, tlsErrorKindOf(e.kind === 'revocation', e.errorMessage));
      const facets = this.rowFacets;
      facets.src = e.srcIp === undefined ? -1 : this.facetIds.srcs.id(e.srcIp);
      facets.fpr = e.leafCertFpr === undefined ? -1 : this.facetIds.fprs.id(e.leafCertFpr);
      facets.zone = smallId(e.availabilityZone, this.facetIds.zones);
      facets.status = smallId(e.status, this.facetIds.statuses);
      if (this.appendRow(state, ref.line, sniId, fwId, code, timeFromFields(e.timeMs, e.eventTimestamp), ipId, port)) added++;
    }
    this.finishAppend(state);
    return added;
  }

  /** Room for `count` rows and lines up to `maxLine`; starts an append. */
  private prepare(state: SourceState, count: number, maxLine: number): void {
    state.reserve(count);
    if (state.lineIndex !== undefined && maxLine >= state.lineIndex.length) {
      const grown = new Int32Array(Math.max(maxLine + 1, Math.min(MAX_LINE + 1, Math.ceil(state.lineIndex.length * 1.5))));
      grown.set(state.lineIndex);
      state.lineIndex = grown;
    }
    this.maxLine = maxLine;
    // Only the source being appended to keeps its per-SNI counts in a map.
    if (this.appending !== state) {
      this.appending?.compact();
      state.expand();
      this.appending = state;
    }
    this.cursor = undefined;
  }

  /** The source appended to last, and the highest line of the append under way. */
  private appending: SourceState | undefined;
  private maxLine = -1;
  /** The aggregates the last appended row fed, for the next row with the same SNI and firewall. */
  private cursor: { g: Agg; f: Agg } | undefined;

  /** The explorer's columns of the row being appended (set by the caller just before {@link appendRow}). */
  private readonly rowFacets = { src: -1, fpr: -1, zone: 0, status: 0 };

  /** Appends one row unless the source already holds its line. */
  private appendRow(
    state: SourceState,
    line: number,
    sniId: number,
    fwId: number,
    code: number,
    time: number,
    ipId: number,
    port: number,
  ): boolean {
    if (state.lineIndex === undefined && state.rows > 0 && line <= state.lines[state.rows - 1]) state.indexLines(this.maxLine);
    if (state.lineIndex !== undefined && state.lineIndex[line] !== 0) return false;
    const row = state.rows++;
    state.lines[row] = line;
    state.snis[row] = sniId;
    state.codes[row] = code;
    state.times[row] = time;
    state.ips[row] = ipId;
    state.ports[row] = port;
    const facets = this.rowFacets;
    state.srcs[row] = facets.src;
    const dest = destKey(ipId, port);
    state.dests[row] = dest === NO_DEST ? -1 : this.facetIds.dests.id(dest);
    state.fprs[row] = facets.fpr;
    state.zones[row] = facets.zone;
    state.statuses[row] = facets.status;
    if (state.fwUniform === -2) {
      state.fwUniform = fwId;
    } else if (state.fws === undefined && fwId !== state.fwUniform) {
      state.fws = new Int32Array(state.lines.length).fill(state.fwUniform, 0, row);
    }
    if (state.fws !== undefined) state.fws[row] = fwId;
    if (row > 0 && line < state.lines[row - 1]) state.inOrder = false;
    if (state.lineIndex !== undefined) state.lineIndex[line] = row + 1;
    const at = state.statsOf(sniId);
    state.stats[at]++;
    state.stats[at + 1 + kindOfCode(code)]++;
    let c = this.cursor;
    if (c === undefined || c.g.sniId !== sniId || c.f.fwId !== fwId) {
      let g = this.bySni.get(sniId);
      if (g === undefined) this.bySni.set(sniId, (g = new Agg(this.sniIds.values[sniId], sniId, -1, undefined)));
      let fwMap = this.byFirewall.get(fwId);
      if (fwMap === undefined) this.byFirewall.set(fwId, (fwMap = new Map()));
      let f = fwMap.get(sniId);
      if (f === undefined) fwMap.set(sniId, (f = new Agg(g.sni, sniId, fwId, undefined)));
      c = this.cursor = { g, f };
    }
    addRow(c.g, code, time);
    addRow(c.f, code, time);
    return true;
  }

  private finishAppend(state: SourceState): void {
    state.revision++;
    this.cursor = undefined;
  }

  /** Recomputes first/last of aggregates that lost rows. */
  private refreshTimes(): void {
    if (this.dirtyTimes.size === 0) return;
    recomputeTimes(this.dirtyTimes, this.sources.values(), this.sniIds.values.length, this.bySni, this.byFirewall);
    this.dirtyTimes.clear();
  }

  /** The sources holding rows of an aggregate, in key order. */
  private sourcesOf(agg: Agg): SourceState[] {
    if (agg.source !== undefined) return [agg.source];
    const out: SourceState[] = [];
    for (const key of this.sourceKeys()) {
      const state = this.sources.get(key) as SourceState;
      if (state.hasSni(agg.sniId)) out.push(state);
    }
    return out;
  }

  private locationOf(state: SourceState, row: number): EntryLocation {
    const time = state.times[row];
    const loc = {
      sourceKey: state.key,
      line: state.lines[row],
      sni: this.sniIds.values[state.snis[row]],
      kind: GROUP_KINDS[kindOfCode(state.codes[row])],
      firewall: this.fwIds.values[state.fwOf(row)],
    };
    return Number.isNaN(time) ? loc : { ...loc, timeMs: time };
  }

  private fire(sources: readonly string[]): void {
    // Every listener runs and the model is consistent; the first failure reaches the caller.
    this.listeners.fire({ version: ++this.versionCounter, sources });
  }
}

function summaryRow(g: SniGroup): SniSummaryRow {
  return { sni: g.sni, entries: g.entries, tlsErrors: g.tlsErrors, revoked: g.revoked, unknown: g.unknown };
}

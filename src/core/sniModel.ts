/**
 * The SNI grouping model behind the sidebar tree and the CLI's `snis` report.
 *
 * Entries arrive per source (one file or document, named by a string key such as a URI). Each source's
 * contribution is kept apart, in cells keyed by (firewall, SNI), so replacing or removing one source
 * touches only that source's cells and the aggregates they feed; the other sources are never re-read.
 *
 * Memory: no `TlsEntry` is retained. A cell keeps, per kind, a growable `Int32Array` of line numbers and a
 * parallel `Float64Array` of timestamps (12 bytes an entry); a source keeps a dense `Int32Array` from line
 * to cell and kind (4 bytes a line) so the entry under the cursor is found in O(1). With growth slack that
 * is roughly 16–32 bytes an entry: 4 million entries (about 1 GB of logs) cost 65–130 MB. Paging a kind
 * node builds a (cell, position) list of that one group and kind (8 bytes an entry), cached until the group
 * changes; only `limit` locations are ever turned into objects. Distinct destination addresses and ports
 * are tracked per cell only up to {@link SniModelOptions.distinctLimit} values, so a no-SNI group reached
 * by thousands of scripts that connect by IP cannot grow without bound; totals are then reported as lower
 * bounds (`complete: false`).
 *
 * Editor-free: the tree provider maps {@link TreeNode}s to tree items and asks {@link SniModel.parentOf}
 * for `getParent`; the CLI calls {@link SniModel.summary}.
 */
import type { LineResult, TlsEntry } from './types';

// ---------------------------------------------------------------------------------------------------------
// Public types

/** An SNI as logged (`"-"` = the client hello had none), or `null` when the entry had no usable `sni` field. */
export type SniKey = string | null;

/**
 * What an entry is, for grouping. `other` holds revocation-check entries whose status is missing or not one
 * of the documented `REVOKED`/`UNKNOWN` (FORMAT.md); statuses are matched exactly, as logged.
 */
export type GroupKind = 'revoked' | 'tlsError' | 'unknown' | 'other';

/**
 * Kinds from worst to least bad; a group's `worst` is the first kind it has, and kind nodes are listed in
 * this order.
 * - `revoked`: the CA has positively said the server's certificate must not be trusted. It is a security
 *   finding, and with action `PASS` traffic still reached that server.
 * - `tlsError`: the firewall reset the connection, so something certainly broke, but the cause is usually a
 *   client or configuration problem (no SNI, a name the certificate does not cover), not a compromised peer.
 * - `unknown`: the firewall could not learn the status (responder unreachable or silent); often transient.
 * - `other`: a status no documentation describes; it cannot be ranked, so it comes last but is still shown.
 */
export const GROUP_KINDS: readonly GroupKind[] = ['revoked', 'tlsError', 'unknown', 'other'];

/** Labels of the kind nodes under an SNI group. */
export const KIND_LABELS: Readonly<Record<GroupKind, string>> = {
  revoked: 'Revoked',
  tlsError: 'TLS errors',
  unknown: 'Unknown',
  other: 'Other status',
};

/** Which groups to show: `errors` = groups with TLS errors; `failing` = groups with any revoked, TLS error or unknown entry. */
export type KindFilter = 'all' | 'revoked' | 'unknown' | 'errors' | 'failing';
/** `count`: most entries first, then by name; `name`: case-insensitive A–Z; `latest`: most recent `lastSeen` first. */
export type SortOrder = 'count' | 'name' | 'latest';
/** First level of the tree: SNIs of all sources merged, or sources / firewalls each holding their SNIs. */
export type GroupBy = 'sni' | 'source' | 'firewall';
/** Order of entries under a kind node: by (source key, line) or by time (then source key, line). */
export type EntryOrder = 'line' | 'time';

/** Free-form facts about a source (path, firewall, region, account, time from an AWS file name, ...). */
export type SourceMeta = Readonly<Record<string, string>>;

/** One entry handed to the model: its 0-based line in the source and the parsed entry (not retained). */
export interface EntryRef {
  readonly line: number;
  readonly entry: TlsEntry;
}

/** Which part of the model a query looks at: everything, one source, or one firewall (`null` = entries without a firewall name). */
export type Scope =
  | { readonly by: 'all' }
  | { readonly by: 'source'; readonly source: string }
  | { readonly by: 'firewall'; readonly firewall: string | null };

/** Where one entry lives. This is all the model keeps of an entry; read the line for the rest. */
export interface EntryLocation {
  readonly sourceKey: string;
  readonly line: number;
  readonly sni: SniKey;
  readonly kind: GroupKind;
  readonly firewall: string | null;
  /** Epoch ms from `event.timestamp`, else from `event_timestamp`; undefined when neither was usable. */
  readonly timeMs?: number;
}

/** Revocation-check entries by action; `other` counts missing or undocumented actions. TLS error entries carry no action. */
export interface ActionCounts {
  readonly PASS: number;
  readonly DROP: number;
  readonly REJECT: number;
  readonly other: number;
}

/** A snapshot of one SNI group within a scope. Cheap to build; see {@link SniModel.details} for the costlier parts. */
export interface SniGroup {
  /** Tree node id of this group ({@link nodeId}). */
  readonly id: string;
  readonly sni: SniKey;
  readonly scope: Scope;
  readonly entries: number;
  readonly tlsErrors: number;
  /** Revocation entries with status `REVOKED`. */
  readonly revoked: number;
  /** Revocation entries with status `UNKNOWN`. */
  readonly unknown: number;
  /** Revocation entries with any other or no status. */
  readonly otherStatus: number;
  readonly actions: ActionCounts;
  readonly worst: GroupKind;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
}

/** Up to a few distinct values (sorted), how many distinct values were seen, and whether that total is exact. */
export interface DistinctValues<T> {
  readonly values: readonly T[];
  readonly total: number;
  /** False when some source saw more distinct values than the model tracks: `total` is then a lower bound. */
  readonly complete: boolean;
}

/** A group with its destinations, firewalls and per-source counts (for tooltips and detail views). */
export interface SniGroupDetails extends SniGroup {
  readonly destIps: DistinctValues<string>;
  readonly destPorts: DistinctValues<number>;
  /** Every firewall seen, sorted, `null` (no firewall name) last. */
  readonly firewalls: readonly (string | null)[];
  /** Entries per source, by source key. */
  readonly sources: readonly { readonly sourceKey: string; readonly entries: number }[];
}

/** One row of the CLI's `snis` report. */
export interface SniSummaryRow {
  readonly sni: SniKey;
  readonly entries: number;
  readonly tlsErrors: number;
  readonly revoked: number;
  readonly unknown: number;
}

/** Which groups to return and in what order. */
export interface GroupFilter {
  readonly sort?: SortOrder;
  /** Case-insensitive substring of the raw SNI. Groups without an `sni` field never match a non-empty text. */
  readonly text?: string;
  readonly kind?: KindFilter;
}

/** {@link GroupFilter} plus the part of the model to look at (default: everything). */
export interface GroupQuery extends GroupFilter {
  readonly scope?: Scope;
}

/** How the tree is shown; the tree provider keeps one of these and hands it to every call. */
export interface ViewOptions extends GroupFilter {
  readonly groupBy?: GroupBy;
  readonly order?: EntryOrder;
  /** Entries per page under a kind node (default 200). */
  readonly pageSize?: number;
}

/** One level-one node when grouping by source or firewall. */
export interface Container {
  readonly id: string;
  readonly scope: Scope & { readonly by: 'source' | 'firewall' };
  /** Entries in the groups that pass the filter. */
  readonly entries: number;
  /** Groups that pass the filter. */
  readonly groups: number;
  readonly meta?: SourceMeta;
}

/** A kind node under an SNI group. */
export interface KindCount {
  readonly kind: GroupKind;
  readonly label: string;
  readonly count: number;
}

/** A page of entries. */
export interface EntryPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly EntryLocation[];
}

/** A node of the tree, ready to be mapped to a tree item. */
export type TreeNode =
  | ({ readonly type: 'source' | 'firewall' } & Container)
  | { readonly type: 'sni'; readonly id: string; readonly group: SniGroup }
  | {
      readonly type: 'kind';
      readonly id: string;
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      readonly label: string;
      readonly count: number;
    }
  | { readonly type: 'entry'; readonly id: string; readonly entry: EntryLocation }
  | {
      readonly type: 'page';
      readonly id: string;
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      /** Index of the first entry this node holds. */
      readonly offset: number;
      /** Entries from `offset` to the end. */
      readonly remaining: number;
    };

/** The parsed form of a node id. */
export type NodeRef =
  | { readonly type: 'source'; readonly source: string }
  | { readonly type: 'firewall'; readonly firewall: string | null }
  | { readonly type: 'sni'; readonly scope: Scope; readonly sni: SniKey }
  | { readonly type: 'kind'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind }
  | { readonly type: 'page'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind; readonly offset: number }
  | {
      readonly type: 'entry';
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      readonly source: string;
      readonly line: number;
    };

/** What changed: the new version and the sources whose contribution changed. */
export interface ModelChange {
  readonly version: number;
  readonly sources: readonly string[];
}

export type ChangeListener = (change: ModelChange) => void;

export interface SniModelOptions {
  /** Distinct destination addresses (and, separately, ports) tracked per source and SNI. Default 100. */
  readonly distinctLimit?: number;
}

/** Default entries per page under a kind node. */
export const DEFAULT_PAGE_SIZE = 200;
/** How many distinct values {@link SniGroupDetails} lists. */
export const DISTINCT_SAMPLE = 20;
const DEFAULT_DISTINCT_LIMIT = 100;
/** Lines are stored in Int32Arrays. */
const MAX_LINE = 0x7ffffffe;

// ---------------------------------------------------------------------------------------------------------
// Labels and entry helpers

/** The label to show for an SNI: raw value, except `"-"`, `""` and a missing field, which get a description. */
export function sniLabel(sni: SniKey): string {
  if (sni === null) return '(no SNI field)';
  if (sni === '-') return '(no SNI in client hello)';
  if (sni === '') return '(empty SNI)';
  return sni;
}

/** The group kind of an entry. */
export function kindOf(entry: TlsEntry): GroupKind {
  return GROUP_KINDS[kindIndex(entry)];
}

/** Turns per-line parse results (index = line - firstLine) into refs for the model, skipping lines without an entry. */
export function refsFromLineResults(results: readonly LineResult[], firstLine = 0): EntryRef[] {
  const refs: EntryRef[] = [];
  for (let i = 0; i < results.length; i++) {
    const entry = results[i].entry;
    if (entry !== undefined) refs.push({ line: firstLine + i, entry });
  }
  return refs;
}

function kindIndex(entry: TlsEntry): number {
  if (entry.kind === 'tlsError') return K_TLS;
  if (entry.status === 'REVOKED') return K_REVOKED;
  if (entry.status === 'UNKNOWN') return K_UNKNOWN;
  return K_OTHER;
}

function timeOf(entry: TlsEntry): number {
  if (entry.timeMs !== undefined && Number.isFinite(entry.timeMs)) return entry.timeMs;
  if (entry.eventTimestamp !== undefined && Number.isFinite(entry.eventTimestamp)) return entry.eventTimestamp * 1000;
  return NaN;
}

// Indices into GROUP_KINDS, and slots of a counts vector.
const K_REVOKED = 0;
const K_TLS = 1;
const K_UNKNOWN = 2;
const K_OTHER = 3;
const C_ENTRIES = 0;
const C_KIND = 1; // + kind index
const C_ACTION = 5; // + action index: PASS, DROP, REJECT, other
const C_SLOTS = 9;
const ACTIONS = ['PASS', 'DROP', 'REJECT'] as const;

function actionIndex(action: string | undefined): number {
  const i = action === undefined ? -1 : (ACTIONS as readonly string[]).indexOf(action);
  return i < 0 ? 3 : i;
}

// ---------------------------------------------------------------------------------------------------------
// Node ids
//
// Scheme (each <...> is encoded with encodeIdPart, so it never holds '/', ':', '#'):
//   src:<source>                         a source (group by source)
//   fw:<firewall>                        a firewall (group by firewall)
//   [src:<source>/|fw:<firewall>/]sni:<sni>
//   <sni node>/kind:<kind>               kind is one of GROUP_KINDS
//   <kind node>/page:<offset>            "show more": entries from offset on
//   <kind node>/entry:<source>#<line>    one entry; its id does not depend on paging

/**
 * Encodes a value for a node id: `[A-Za-z0-9._~-]` stay as they are, every other UTF-16 code unit becomes
 * `%` and four upper-case hex digits (so lone surrogates round-trip too), and `null` becomes `!`.
 */
export function encodeIdPart(value: string | null): string {
  if (value === null) return '!';
  let out = '';
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isSafeIdChar(c)) continue;
    out += value.slice(run, i) + '%' + c.toString(16).toUpperCase().padStart(4, '0');
    run = i + 1;
  }
  return run === 0 ? value : out + value.slice(run);
}

/** Reverses {@link encodeIdPart}; undefined when `text` is not something it produces. */
export function decodeIdPart(text: string): string | null | undefined {
  if (text === '!') return null;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSafeIdChar(c)) {
      out += text[i];
    } else if (c === 0x25 && /^[0-9A-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      const unit = parseInt(text.slice(i + 1, i + 5), 16);
      if (isSafeIdChar(unit)) return undefined; // not canonical: ids must be unique
      out += String.fromCharCode(unit);
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

function isSafeIdChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
  );
}

function scopePrefix(scope: Scope): string {
  if (scope.by === 'source') return `src:${encodeIdPart(scope.source)}/`;
  if (scope.by === 'firewall') return `fw:${encodeIdPart(scope.firewall)}/`;
  return '';
}

/** The id of a node. Ids are unique across node kinds and scopes, and {@link parseNodeId} reverses them. */
export function nodeId(ref: NodeRef): string {
  switch (ref.type) {
    case 'source':
      return `src:${encodeIdPart(ref.source)}`;
    case 'firewall':
      return `fw:${encodeIdPart(ref.firewall)}`;
    case 'sni':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}`;
    case 'kind':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}`;
    case 'page':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/page:${ref.offset}`;
    case 'entry':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/entry:${encodeIdPart(ref.source)}#${ref.line}`;
  }
}

/** Parses an id made by {@link nodeId}; undefined for anything else. */
export function parseNodeId(id: string): NodeRef | undefined {
  const parts = id.split('/');
  let i = 0;
  let scope: Scope = { by: 'all' };
  const first = splitSegment(parts[0]);
  if (first === undefined) return undefined;
  if (first.name === 'src' || first.name === 'fw') {
    const value = decodeIdPart(first.value);
    if (value === undefined) return undefined;
    if (first.name === 'src') {
      if (value === null) return undefined;
      if (parts.length === 1) return { type: 'source', source: value };
      scope = { by: 'source', source: value };
    } else {
      if (parts.length === 1) return { type: 'firewall', firewall: value };
      scope = { by: 'firewall', firewall: value };
    }
    i = 1;
  }
  const sniSeg = splitSegment(parts[i]);
  if (sniSeg === undefined || sniSeg.name !== 'sni') return undefined;
  const sni = decodeIdPart(sniSeg.value);
  if (sni === undefined) return undefined;
  if (parts.length === i + 1) return { type: 'sni', scope, sni };
  const kindSeg = splitSegment(parts[i + 1]);
  if (kindSeg === undefined || kindSeg.name !== 'kind') return undefined;
  const kind = GROUP_KINDS.find((k) => k === kindSeg.value);
  if (kind === undefined) return undefined;
  if (parts.length === i + 2) return { type: 'kind', scope, sni, kind };
  if (parts.length !== i + 3) return undefined;
  const last = splitSegment(parts[i + 2]);
  if (last === undefined) return undefined;
  if (last.name === 'page') {
    const offset = parseIndex(last.value);
    return offset === undefined ? undefined : { type: 'page', scope, sni, kind, offset };
  }
  if (last.name === 'entry') {
    const hash = last.value.indexOf('#');
    if (hash < 0) return undefined;
    const source = decodeIdPart(last.value.slice(0, hash));
    const line = parseIndex(last.value.slice(hash + 1));
    if (source === undefined || source === null || line === undefined) return undefined;
    return { type: 'entry', scope, sni, kind, source, line };
  }
  return undefined;
}

function splitSegment(segment: string | undefined): { name: string; value: string } | undefined {
  if (segment === undefined) return undefined;
  const colon = segment.indexOf(':');
  return colon < 0 ? undefined : { name: segment.slice(0, colon), value: segment.slice(colon + 1) };
}

function parseIndex(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_LINE ? n : undefined;
}

function scopeFor(groupBy: GroupBy, sourceKey: string, firewall: string | null): Scope {
  if (groupBy === 'source') return { by: 'source', source: sourceKey };
  if (groupBy === 'firewall') return { by: 'firewall', firewall };
  return { by: 'all' };
}

// ---------------------------------------------------------------------------------------------------------
// Storage

/** Below this many entries a bucket keeps plain arrays: typed arrays cost a few hundred bytes each even when nearly empty. */
const SMALL_BUCKET = 64;

/** Lines and times of one kind within one cell, appended in arrival order and sorted by line on demand. */
class Bucket {
  lines: number[] | Int32Array = [];
  times: number[] | Float64Array = [];
  length = 0;
  private sorted = true;

  push(line: number, time: number): void {
    if (Array.isArray(this.lines)) {
      if (this.length < SMALL_BUCKET) {
        if (this.length === 0) {
          // An array literal is allocated at its size; the first push would reserve room for 17.
          this.lines = [line];
          this.times = [time];
        } else {
          if (line < this.lines[this.length - 1]) this.sorted = false;
          this.lines.push(line);
          (this.times as number[]).push(time);
        }
        this.length++;
        return;
      }
      this.lines = Int32Array.from(this.lines);
      this.times = Float64Array.from(this.times as number[]);
    }
    if (this.length === this.lines.length) {
      const size = this.length < 1 << 20 ? this.length * 2 : Math.ceil(this.length * 1.5);
      const lines = new Int32Array(size);
      lines.set(this.lines);
      this.lines = lines;
      const times = new Float64Array(size);
      times.set(this.times);
      this.times = times;
    }
    if (this.length > 0 && line < this.lines[this.length - 1]) this.sorted = false;
    this.lines[this.length] = line;
    this.times[this.length] = time;
    this.length++;
  }

  ensureSorted(): void {
    if (this.sorted) return;
    const n = this.length;
    const lines = this.lines;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => lines[a] - lines[b]);
    const small = Array.isArray(lines);
    const newLines = small ? new Array<number>(n) : new Int32Array(lines.length);
    const newTimes = small ? new Array<number>(n) : new Float64Array(this.times.length);
    for (let i = 0; i < n; i++) {
      newLines[i] = lines[order[i]];
      newTimes[i] = this.times[order[i]];
    }
    this.lines = newLines;
    this.times = newTimes;
    this.sorted = true;
  }

  /** Index of the first line > `line` (after {@link ensureSorted}). */
  upperBound(line: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lines[mid] <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of `line`, or -1 (after {@link ensureSorted}). */
  indexOf(line: number): number {
    const i = this.upperBound(line) - 1;
    return i >= 0 && this.lines[i] === line ? i : -1;
  }
}

/** One source's entries of one (firewall, SNI). */
class Cell {
  readonly counts: number[] = new Array<number>(C_SLOTS).fill(0);
  readonly buckets: (Bucket | undefined)[] = [undefined, undefined, undefined, undefined];
  // Plain arrays, not Sets: most cells hold one or two entries, and a Set costs several times the memory.
  ips: string[] = [];
  ipsOverflow = false;
  ports: number[] = [];
  portsOverflow = false;
  /** Earliest and latest entry time; NaN while no entry had one. */
  first = NaN;
  last = NaN;
  /** The aggregates this cell feeds: all sources, its firewall, its source. */
  aggs: Agg[] = [];

  constructor(
    readonly source: SourceState,
    readonly index: number,
    readonly firewall: string | null,
    readonly sni: SniKey,
  ) {}

  bucket(kind: number): Bucket | undefined {
    const b = this.buckets[kind];
    b?.ensureSorted();
    return b;
  }
}

/** Counts of one SNI within a scope, kept up to date entry by entry; times and details are derived lazily. */
class Agg {
  // Plain arrays: a per-source aggregate usually has one cell, and there is one per (source, SNI).
  readonly counts: number[] = new Array<number>(C_SLOTS).fill(0);
  cells: Cell[] = [];
  first = NaN;
  last = NaN;
  /** A cell was removed: first/last must be recomputed from the cells. */
  timesDirty = false;
  revision = 0;
  lower: string | undefined;
  orderCache: Map<string, Materialized> | undefined;

  constructor(
    readonly sni: SniKey,
    readonly owner: Map<SniKey, Agg>,
  ) {}

  lowerSni(): string | undefined {
    if (this.sni === null) return undefined;
    if (this.lower === undefined) this.lower = this.sni.toLowerCase();
    return this.lower;
  }

  /** Recomputes first/last from the cells' own (append-only, hence exact) first/last after a removal. */
  times(): void {
    if (!this.timesDirty) return;
    let first = Infinity;
    let last = -Infinity;
    for (const cell of this.cells) {
      if (cell.first < first) first = cell.first;
      if (cell.last > last) last = cell.last;
    }
    this.first = first === Infinity ? NaN : first;
    this.last = last === -Infinity ? NaN : last;
    this.timesDirty = false;
  }
}

/** Entries of one (scope, SNI, kind) in one order, as (cell, position) pairs. */
interface Materialized {
  readonly revision: number;
  readonly cells: readonly Cell[];
  readonly cellOf: Int32Array;
  readonly posOf: Int32Array;
}

interface SourceState {
  readonly key: string;
  meta: SourceMeta | undefined;
  readonly cells: Cell[];
  readonly cellMap: Map<string | null, Map<SniKey, Cell>>;
  readonly bySni: Map<SniKey, Agg>;
  /** line -> cell index * 4 + kind + 1; 0 = no entry on that line. */
  lineIndex: Int32Array;
  entries: number;
}

// ---------------------------------------------------------------------------------------------------------
// The model

/**
 * Entries of many sources grouped by SNI. Mutations bump {@link version} and call the change listeners
 * synchronously; the editor debounces refreshes itself.
 */
export class SniModel {
  private readonly sources = new Map<string, SourceState>();
  private readonly bySni = new Map<SniKey, Agg>();
  private readonly byFirewall = new Map<string | null, Map<SniKey, Agg>>();
  private sortedKeys: string[] | undefined;
  private readonly listeners: ChangeListener[] = [];
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
    for (const s of this.sources.values()) n += s.entries;
    return n;
  }

  /** Calls `listener` after every mutation; returns a function that unsubscribes it. */
  onDidChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // --- mutations -------------------------------------------------------------------------------------

  /**
   * Replaces a source's contribution (the document was opened or edited). `meta` replaces the source's
   * metadata when given. Lines must be integers in [0, 2^31 - 2]; a line already given earlier in `refs`
   * is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  setSourceEntries(sourceKey: string, refs: readonly EntryRef[], meta?: SourceMeta): number {
    validateLines(refs);
    const old = this.sources.get(sourceKey);
    if (old !== undefined) this.detach(old);
    const state = this.createSource(sourceKey, meta ?? old?.meta);
    const added = this.append(state, refs);
    this.fire([sourceKey]);
    return added;
  }

  /**
   * Appends entries to a source, creating it if needed (a streaming scan delivering batches). A ref whose
   * line the source already holds is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  addEntries(sourceKey: string, refs: readonly EntryRef[], meta?: SourceMeta): number {
    validateLines(refs);
    let state = this.sources.get(sourceKey);
    if (state === undefined) state = this.createSource(sourceKey, meta);
    else if (meta !== undefined) state.meta = meta;
    const added = this.append(state, refs);
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
    this.bySni.clear();
    this.byFirewall.clear();
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
    return this.sources.get(sourceKey)?.entries ?? 0;
  }

  // --- queries ---------------------------------------------------------------------------------------

  /** SNI groups of a scope (default: all sources merged) that pass the filter, sorted. */
  groups(query: GroupQuery = {}): SniGroup[] {
    const scope = query.scope ?? ALL;
    const map = this.aggMap(scope);
    if (map === undefined) return [];
    const matcher = makeMatcher(query);
    const aggs: Agg[] = [];
    for (const agg of map.values()) if (matcher(agg)) aggs.push(agg);
    const sort = query.sort ?? 'count';
    if (sort === 'latest') for (const agg of aggs) agg.times();
    aggs.sort(COMPARATORS[sort]);
    return aggs.map((agg) => snapshot(agg, scope));
  }

  /** Level-one nodes when grouping by source (by key) or by firewall (by name, no name last), without empty ones. */
  containers(by: 'source' | 'firewall', filter: GroupFilter = {}): Container[] {
    const matcher = makeMatcher(filter);
    const out: Container[] = [];
    const add = (scope: Scope & { by: 'source' | 'firewall' }, map: Map<SniKey, Agg>, meta?: SourceMeta): void => {
      let entries = 0;
      let groups = 0;
      for (const agg of map.values()) {
        if (!matcher(agg)) continue;
        entries += agg.counts[C_ENTRIES];
        groups++;
      }
      if (groups === 0) return;
      const id = scope.by === 'source' ? nodeId({ type: 'source', source: scope.source }) : nodeId({ type: 'firewall', firewall: scope.firewall });
      out.push(meta === undefined ? { id, scope, entries, groups } : { id, scope, entries, groups, meta });
    };
    if (by === 'source') {
      for (const key of this.sourceKeys()) {
        const state = this.sources.get(key);
        if (state !== undefined) add({ by: 'source', source: key }, state.bySni, state.meta);
      }
    } else {
      const names = [...this.byFirewall.keys()].sort(compareNullLast);
      for (const name of names) {
        const map = this.byFirewall.get(name);
        if (map !== undefined) add({ by: 'firewall', firewall: name }, map);
      }
    }
    return out;
  }

  /** One group, or undefined when the scope has no entry with that SNI. */
  group(sni: SniKey, scope: Scope = ALL): SniGroup | undefined {
    const agg = this.aggMap(scope)?.get(sni);
    return agg === undefined ? undefined : snapshot(agg, scope);
  }

  /** A group with destinations, firewalls and per-source counts. */
  details(sni: SniKey, scope: Scope = ALL): SniGroupDetails | undefined {
    const agg = this.aggMap(scope)?.get(sni);
    if (agg === undefined) return undefined;
    const ips = new Set<string>();
    const ports = new Set<number>();
    const firewalls = new Set<string | null>();
    const perSource = new Map<string, number>();
    let ipsComplete = true;
    let portsComplete = true;
    for (const cell of agg.cells) {
      for (const ip of cell.ips) ips.add(ip);
      for (const port of cell.ports) ports.add(port);
      ipsComplete &&= !cell.ipsOverflow;
      portsComplete &&= !cell.portsOverflow;
      firewalls.add(cell.firewall);
      perSource.set(cell.source.key, (perSource.get(cell.source.key) ?? 0) + cell.counts[C_ENTRIES]);
    }
    return {
      ...snapshot(agg, scope),
      destIps: distinct([...ips].sort(compareStrings), ipsComplete),
      destPorts: distinct([...ports].sort((a, b) => a - b), portsComplete),
      firewalls: [...firewalls].sort(compareNullLast),
      sources: [...perSource].sort((a, b) => compareStrings(a[0], b[0])).map(([sourceKey, entries]) => ({ sourceKey, entries })),
    };
  }

  /** The kinds a group holds (in {@link GROUP_KINDS} order), limited to those the filter asks for. */
  kindsOf(sni: SniKey, scope: Scope = ALL, filter: KindFilter = 'all'): KindCount[] {
    const agg = this.aggMap(scope)?.get(sni);
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
    const agg = this.aggMap(options.scope ?? ALL)?.get(sni);
    const k = GROUP_KINDS.indexOf(kind);
    const start = Math.max(0, Math.floor(offset));
    if (agg === undefined || k < 0) return { total: 0, offset: start, items: [] };
    const m = this.materialize(agg, k, options.order ?? 'line');
    const total = m.cellOf.length;
    const end = Math.min(total, start + Math.max(0, Math.floor(limit)));
    const items: EntryLocation[] = [];
    for (let i = start; i < end; i++) items.push(locationOf(m.cells[m.cellOf[i]], k, m.posOf[i]));
    return { total, offset: start, items };
  }

  /**
   * The entry of `sni` after (direction 1) or before (-1) `fromLine` in the same source, wrapping around
   * at the ends; optionally only entries of one kind. `fromLine` need not hold an entry. Undefined when the
   * source has no such entry.
   */
  navigate(sni: SniKey, fromSource: string, fromLine: number, direction: 1 | -1, kind?: GroupKind): EntryLocation | undefined {
    const agg = this.sources.get(fromSource)?.bySni.get(sni);
    if (agg === undefined) return undefined;
    const only = kind === undefined ? -1 : GROUP_KINDS.indexOf(kind);
    let best: { cell: Cell; k: number; pos: number; line: number } | undefined;
    let wrap: typeof best;
    for (const cell of agg.cells) {
      for (let k = 0; k < GROUP_KINDS.length; k++) {
        if (only >= 0 && k !== only) continue;
        const b = cell.bucket(k);
        if (b === undefined || b.length === 0) continue;
        if (direction === 1) {
          const pos = b.upperBound(fromLine);
          if (pos < b.length && (best === undefined || b.lines[pos] < best.line)) best = { cell, k, pos, line: b.lines[pos] };
          if (wrap === undefined || b.lines[0] < wrap.line) wrap = { cell, k, pos: 0, line: b.lines[0] };
        } else {
          let pos = b.upperBound(fromLine) - 1;
          if (pos >= 0 && b.lines[pos] === fromLine) pos--;
          if (pos >= 0 && (best === undefined || b.lines[pos] > best.line)) best = { cell, k, pos, line: b.lines[pos] };
          const lastPos = b.length - 1;
          if (wrap === undefined || b.lines[lastPos] > wrap.line) wrap = { cell, k, pos: lastPos, line: b.lines[lastPos] };
        }
      }
    }
    const hit = best ?? wrap;
    return hit === undefined ? undefined : locationOf(hit.cell, hit.k, hit.pos);
  }

  /** The entry on a line of a source, or undefined when that line holds none. O(1) apart from a binary search for its time. */
  findGroupForLine(sourceKey: string, line: number): EntryLocation | undefined {
    const state = this.sources.get(sourceKey);
    if (state === undefined || !Number.isInteger(line) || line < 0 || line >= state.lineIndex.length) return undefined;
    const v = state.lineIndex[line];
    if (v === 0) return undefined;
    const cell = state.cells[(v - 1) >> 2];
    const k = (v - 1) & 3;
    const b = cell.bucket(k);
    const pos = b === undefined ? -1 : b.indexOf(line);
    return pos < 0 ? undefined : locationOf(cell, k, pos);
  }

  /** Rows of the CLI's `snis` report, most entries first. */
  summary(): SniSummaryRow[] {
    return this.groups({ sort: 'count' }).map(summaryRow);
  }

  /** SNIs with any TLS error, revoked or unknown entry, most entries first. */
  failingSnis(): SniKey[] {
    return this.groups({ sort: 'count', kind: 'failing' }).map((g) => g.sni);
  }

  // --- tree projection -------------------------------------------------------------------------------

  /** Children of a node (`undefined` = the roots) as the tree shows them under `view`; [] for unknown ids. */
  children(parentId: string | undefined, view: ViewOptions = {}): TreeNode[] {
    const groupBy = view.groupBy ?? 'sni';
    if (parentId === undefined) {
      if (groupBy === 'sni') return this.groups({ ...view, scope: ALL }).map(sniNode);
      return this.containers(groupBy, view).map((c) => ({ type: c.scope.by, ...c }));
    }
    const ref = parseNodeId(parentId);
    if (ref === undefined) return [];
    switch (ref.type) {
      case 'source':
        return this.groups({ ...view, scope: { by: 'source', source: ref.source } }).map(sniNode);
      case 'firewall':
        return this.groups({ ...view, scope: { by: 'firewall', firewall: ref.firewall } }).map(sniNode);
      case 'sni':
        return this.kindsOf(ref.sni, ref.scope, view.kind ?? 'all').map((k) => ({
          type: 'kind',
          id: nodeId({ type: 'kind', scope: ref.scope, sni: ref.sni, kind: k.kind }),
          scope: ref.scope,
          sni: ref.sni,
          ...k,
        }));
      case 'kind':
        return this.pageNodes(ref.scope, ref.sni, ref.kind, 0, view);
      case 'page':
        return this.pageNodes(ref.scope, ref.sni, ref.kind, ref.offset, view);
      case 'entry':
        return [];
    }
  }

  /** The node with this id as the tree shows it under `view`, or undefined when it is not shown. */
  node(id: string, view: ViewOptions = {}): TreeNode | undefined {
    const ref = parseNodeId(id);
    if (ref === undefined) return undefined;
    if (ref.type === 'source' || ref.type === 'firewall') {
      return this.children(undefined, view).find((n) => n.id === id);
    }
    const agg = this.aggMap(ref.scope)?.get(ref.sni);
    if (agg === undefined || !makeMatcher(view)(agg)) return undefined;
    if (ref.type === 'sni') return sniNode(snapshot(agg, ref.scope));
    const k = GROUP_KINDS.indexOf(ref.kind);
    const count = agg.counts[C_KIND + k];
    if (count === 0 || !kindAllowed(k, view.kind ?? 'all')) return undefined;
    if (ref.type === 'kind') return { type: 'kind', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, label: KIND_LABELS[ref.kind], count };
    if (ref.type === 'page') {
      const size = pageSizeOf(view);
      if (ref.offset === 0 || ref.offset % size !== 0 || ref.offset >= count) return undefined;
      return { type: 'page', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, offset: ref.offset, remaining: count - ref.offset };
    }
    const loc = this.findGroupForLine(ref.source, ref.line);
    if (loc === undefined || loc.sni !== ref.sni || loc.kind !== ref.kind || !inScope(loc, ref.scope)) return undefined;
    return { type: 'entry', id, entry: loc };
  }

  /**
   * The id of a node's parent under `view` (for `getParent`), or undefined for roots and unknown nodes.
   * An entry's parent is its kind node or the page node that holds it, which depends on the order and page size.
   */
  parentOf(id: string, view: ViewOptions = {}): string | undefined {
    const ref = parseNodeId(id);
    if (ref === undefined) return undefined;
    switch (ref.type) {
      case 'source':
      case 'firewall':
        return undefined;
      case 'sni':
        if (ref.scope.by === 'source') return nodeId({ type: 'source', source: ref.scope.source });
        if (ref.scope.by === 'firewall') return nodeId({ type: 'firewall', firewall: ref.scope.firewall });
        return undefined;
      case 'kind':
        return nodeId({ type: 'sni', scope: ref.scope, sni: ref.sni });
      case 'page': {
        const size = pageSizeOf(view);
        const prev = (Math.ceil(ref.offset / size) - 1) * size;
        return prev > 0 ? nodeId({ ...ref, offset: prev }) : nodeId({ type: 'kind', scope: ref.scope, sni: ref.sni, kind: ref.kind });
      }
      case 'entry': {
        const rank = this.rankOf(ref.scope, ref.sni, ref.kind, ref.source, ref.line, view.order ?? 'line');
        if (rank === undefined) return undefined;
        const size = pageSizeOf(view);
        const start = Math.floor(rank / size) * size;
        const kindRef = { scope: ref.scope, sni: ref.sni, kind: ref.kind };
        return start > 0 ? nodeId({ type: 'page', ...kindRef, offset: start }) : nodeId({ type: 'kind', ...kindRef });
      }
    }
  }

  /** The id of the entry node for a source line under `view`, or undefined when the tree does not show it. */
  findNodeForLine(sourceKey: string, line: number, view: ViewOptions = {}): string | undefined {
    const loc = this.findGroupForLine(sourceKey, line);
    if (loc === undefined) return undefined;
    const scope = scopeFor(view.groupBy ?? 'sni', loc.sourceKey, loc.firewall);
    const id = nodeId({ type: 'entry', scope, sni: loc.sni, kind: loc.kind, source: loc.sourceKey, line: loc.line });
    return this.node(id, view) === undefined ? undefined : id;
  }

  /** Position of an entry in its (scope, SNI, kind) list in the given order, or undefined. */
  rankOf(scope: Scope, sni: SniKey, kind: GroupKind, sourceKey: string, line: number, order: EntryOrder = 'line'): number | undefined {
    const loc = this.findGroupForLine(sourceKey, line);
    if (loc === undefined || loc.sni !== sni || loc.kind !== kind || !inScope(loc, scope)) return undefined;
    const agg = this.aggMap(scope)?.get(sni);
    if (agg === undefined) return undefined;
    const k = GROUP_KINDS.indexOf(kind);
    const m = this.materialize(agg, k, order);
    const time = loc.timeMs ?? NaN;
    // Binary search with the comparator the list was sorted with.
    let lo = 0;
    let hi = m.cellOf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cell = m.cells[m.cellOf[mid]];
      const b = cell.buckets[k] as Bucket;
      const pos = m.posOf[mid];
      let c = order === 'time' ? compareTimes(b.times[pos], time) : 0;
      if (c === 0) c = compareStrings(cell.source.key, sourceKey);
      if (c === 0) c = b.lines[pos] - line;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  // --- internals -------------------------------------------------------------------------------------

  private pageNodes(scope: Scope, sni: SniKey, kind: GroupKind, offset: number, view: ViewOptions): TreeNode[] {
    const size = pageSizeOf(view);
    const page = this.entriesOf(sni, kind, offset, size, { scope, order: view.order ?? 'line' });
    const nodes: TreeNode[] = page.items.map((entry) => ({
      type: 'entry',
      id: nodeId({ type: 'entry', scope, sni, kind, source: entry.sourceKey, line: entry.line }),
      entry,
    }));
    const next = page.offset + size;
    if (next < page.total) {
      nodes.push({ type: 'page', id: nodeId({ type: 'page', scope, sni, kind, offset: next }), scope, sni, kind, offset: next, remaining: page.total - next });
    }
    return nodes;
  }

  private aggMap(scope: Scope): Map<SniKey, Agg> | undefined {
    if (scope.by === 'source') return this.sources.get(scope.source)?.bySni;
    if (scope.by === 'firewall') return this.byFirewall.get(scope.firewall);
    return this.bySni;
  }

  private createSource(key: string, meta: SourceMeta | undefined): SourceState {
    const state: SourceState = { key, meta, cells: [], cellMap: new Map(), bySni: new Map(), lineIndex: new Int32Array(0), entries: 0 };
    this.sources.set(key, state);
    this.sortedKeys = undefined;
    return state;
  }

  /** Removes a source and subtracts its cells from the aggregates they feed. */
  private detach(state: SourceState): void {
    for (const cell of state.cells) {
      for (const agg of cell.aggs) {
        for (let i = 0; i < C_SLOTS; i++) agg.counts[i] -= cell.counts[i];
        const at = agg.cells.indexOf(cell);
        if (at >= 0) {
          agg.cells[at] = agg.cells[agg.cells.length - 1];
          agg.cells.pop();
        }
        agg.timesDirty = true;
        agg.revision++;
        if (agg.cells.length === 0) agg.owner.delete(agg.sni);
      }
    }
    for (const [firewall, map] of this.byFirewall) if (map.size === 0) this.byFirewall.delete(firewall);
    this.sources.delete(state.key);
    this.sortedKeys = undefined;
  }

  private append(state: SourceState, refs: readonly EntryRef[]): number {
    let maxLine = -1;
    for (const ref of refs) if (ref.line > maxLine) maxLine = ref.line;
    if (maxLine >= state.lineIndex.length) {
      const grown = new Int32Array(Math.max(maxLine + 1, Math.min(MAX_LINE + 1, state.lineIndex.length * 2)));
      grown.set(state.lineIndex);
      state.lineIndex = grown;
    }
    let added = 0;
    let lastCell: Cell | undefined;
    for (const ref of refs) {
      const line = ref.line;
      if (state.lineIndex[line] !== 0) continue;
      const e = ref.entry;
      const sni = e.sni ?? null;
      const firewall = e.firewallName ?? null;
      // Consecutive entries mostly share a cell; skip the two map look-ups then.
      const cell = lastCell !== undefined && lastCell.sni === sni && lastCell.firewall === firewall ? lastCell : this.cellFor(state, firewall, sni);
      lastCell = cell;
      const k = kindIndex(e);
      const time = timeOf(e);
      let bucket = cell.buckets[k];
      if (bucket === undefined) bucket = cell.buckets[k] = new Bucket();
      bucket.push(line, time);
      state.lineIndex[line] = cell.index * 4 + k + 1;
      const a = e.kind === 'revocation' ? C_ACTION + actionIndex(e.action) : -1;
      if (!Number.isNaN(time)) {
        if (!(time >= cell.first)) cell.first = time;
        if (!(time <= cell.last)) cell.last = time;
      }
      const c = cell.counts;
      c[C_ENTRIES]++;
      c[C_KIND + k]++;
      if (a >= 0) c[a]++;
      for (const agg of cell.aggs) {
        const ac = agg.counts;
        ac[C_ENTRIES]++;
        ac[C_KIND + k]++;
        if (a >= 0) ac[a]++;
        if (!agg.timesDirty && !Number.isNaN(time)) {
          if (!(time >= agg.first)) agg.first = time;
          if (!(time <= agg.last)) agg.last = time;
        }
        agg.revision++;
      }
      if (e.destIp !== undefined && !cell.ipsOverflow && !cell.ips.includes(e.destIp)) {
        if (cell.ips.length === 0) cell.ips = [e.destIp];
        else if (cell.ips.length < this.distinctLimit) cell.ips.push(e.destIp);
        else cell.ipsOverflow = true;
      }
      if (e.destPort !== undefined && !cell.portsOverflow && !cell.ports.includes(e.destPort)) {
        if (cell.ports.length === 0) cell.ports = [e.destPort];
        else if (cell.ports.length < this.distinctLimit) cell.ports.push(e.destPort);
        else cell.portsOverflow = true;
      }
      added++;
    }
    state.entries += added;
    return added;
  }

  private cellFor(state: SourceState, firewall: string | null, sni: SniKey): Cell {
    let byFw = state.cellMap.get(firewall);
    if (byFw === undefined) state.cellMap.set(firewall, (byFw = new Map()));
    let cell = byFw.get(sni);
    if (cell !== undefined) return cell;
    cell = new Cell(state, state.cells.length, firewall, sni);
    state.cells.push(cell);
    byFw.set(sni, cell);
    let fwMap = this.byFirewall.get(firewall);
    if (fwMap === undefined) this.byFirewall.set(firewall, (fwMap = new Map()));
    const aggs: Agg[] = [];
    for (const map of [this.bySni, fwMap, state.bySni]) {
      let agg = map.get(sni);
      if (agg === undefined) map.set(sni, (agg = new Agg(sni, map)));
      if (agg.cells.length === 0) agg.cells = [cell];
      else agg.cells.push(cell);
      aggs.push(agg);
    }
    // An array literal is allocated at its size (three); a pushed-to empty array reserves room for 17.
    cell.aggs = [aggs[0], aggs[1], aggs[2]];
    return cell;
  }

  /** The (cell, position) list of one kind of an aggregate in an order; cached until the aggregate changes. */
  private materialize(agg: Agg, k: number, order: EntryOrder): Materialized {
    const cacheKey = `${order}:${k}`;
    const cached = agg.orderCache?.get(cacheKey);
    if (cached !== undefined && cached.revision === agg.revision) return cached;
    if (agg.orderCache !== undefined && [...agg.orderCache.values()].some((m) => m.revision !== agg.revision)) agg.orderCache = undefined;
    const cells: Cell[] = [];
    for (const cell of agg.cells) {
      const b = cell.bucket(k);
      if (b !== undefined && b.length > 0) cells.push(cell);
    }
    cells.sort((a, b) => compareStrings(a.source.key, b.source.key) || compareNullLast(a.firewall, b.firewall));
    let total = 0;
    for (const cell of cells) total += (cell.buckets[k] as Bucket).length;
    let cellOf = new Int32Array(total);
    let posOf = new Int32Array(total);
    let n = 0;
    for (let ci = 0; ci < cells.length; ci++) {
      const len = (cells[ci].buckets[k] as Bucket).length;
      cellOf.fill(ci, n, n + len);
      for (let p = 0; p < len; p++) posOf[n + p] = p;
      n += len;
    }
    const sameSourceCells = cells.some((c, i) => i > 0 && cells[i - 1].source === c.source);
    if (order === 'time' || sameSourceCells) {
      // Sort a permutation with keys pulled into flat arrays; cells are already in source-key order, so a
      // source's rank is the index of its first cell.
      const times = new Float64Array(total);
      const lines = new Int32Array(total);
      const sourceRank = new Int32Array(total);
      const rankOfCell = new Int32Array(cells.length);
      for (let ci = 0; ci < cells.length; ci++) rankOfCell[ci] = ci > 0 && cells[ci - 1].source === cells[ci].source ? rankOfCell[ci - 1] : ci;
      for (let i = 0; i < total; i++) {
        const b = cells[cellOf[i]].buckets[k] as Bucket;
        times[i] = b.times[posOf[i]];
        lines[i] = b.lines[posOf[i]];
        sourceRank[i] = rankOfCell[cellOf[i]];
      }
      const perm = new Uint32Array(total);
      for (let i = 0; i < total; i++) perm[i] = i;
      const byTime = order === 'time';
      perm.sort((a, b) => (byTime ? compareTimes(times[a], times[b]) : 0) || sourceRank[a] - sourceRank[b] || lines[a] - lines[b]);
      const c2 = new Int32Array(total);
      const p2 = new Int32Array(total);
      for (let i = 0; i < total; i++) {
        c2[i] = cellOf[perm[i]];
        p2[i] = posOf[perm[i]];
      }
      cellOf = c2;
      posOf = p2;
    }
    const m: Materialized = { revision: agg.revision, cells, cellOf, posOf };
    if (agg.orderCache === undefined) agg.orderCache = new Map();
    agg.orderCache.set(cacheKey, m);
    return m;
  }

  private fire(sources: readonly string[]): void {
    const change: ModelChange = { version: ++this.versionCounter, sources };
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    // Every listener has run and the model is consistent; report the first failure to the caller.
    if (failure !== undefined) throw failure.error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const ALL: Scope = { by: 'all' };

function validateLines(refs: readonly EntryRef[]): void {
  for (const ref of refs) {
    if (!Number.isInteger(ref.line) || ref.line < 0 || ref.line > MAX_LINE) {
      throw new RangeError(`Invalid line index ${String(ref.line)}: lines are integers from 0 to ${MAX_LINE}.`);
    }
  }
}

function pageSizeOf(view: ViewOptions): number {
  const size = Math.floor(view.pageSize ?? DEFAULT_PAGE_SIZE);
  return size >= 1 ? size : DEFAULT_PAGE_SIZE;
}

function inScope(loc: EntryLocation, scope: Scope): boolean {
  if (scope.by === 'source') return loc.sourceKey === scope.source;
  if (scope.by === 'firewall') return loc.firewall === scope.firewall;
  return true;
}

function kindAllowed(k: number, filter: KindFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'revoked':
      return k === K_REVOKED;
    case 'unknown':
      return k === K_UNKNOWN;
    case 'errors':
      return k === K_TLS;
    case 'failing':
      return k !== K_OTHER;
  }
}

function makeMatcher(filter: GroupFilter): (agg: Agg) => boolean {
  const text = (filter.text ?? '').toLowerCase();
  const kind = filter.kind ?? 'all';
  return (agg) => {
    if (text !== '') {
      const lower = agg.lowerSni();
      if (lower === undefined || !lower.includes(text)) return false;
    }
    if (kind === 'all') return true;
    for (let k = 0; k < GROUP_KINDS.length; k++) if (agg.counts[C_KIND + k] > 0 && kindAllowed(k, kind)) return true;
    return false;
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNullLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareStrings(a, b);
}

/** Case-insensitive, then by code units so equal-looking names keep a stable order; a missing SNI first. */
function compareNames(a: Agg, b: Agg): number {
  if (a.sni === null || b.sni === null) return a.sni === b.sni ? 0 : a.sni === null ? -1 : 1;
  return compareStrings(a.lowerSni() as string, b.lowerSni() as string) || compareStrings(a.sni, b.sni);
}

/** Ascending, NaN (no time) last. */
function compareTimes(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
  return a - b;
}

const COMPARATORS: Readonly<Record<SortOrder, (a: Agg, b: Agg) => number>> = {
  count: (a, b) => b.counts[C_ENTRIES] - a.counts[C_ENTRIES] || compareNames(a, b),
  name: compareNames,
  latest: (a, b) => compareTimes(-a.last, -b.last) || compareNames(a, b),
};

function snapshot(agg: Agg, scope: Scope): SniGroup {
  agg.times();
  const c = agg.counts;
  let worst: GroupKind = 'other';
  for (let k = 0; k < GROUP_KINDS.length; k++) {
    if (c[C_KIND + k] > 0) {
      worst = GROUP_KINDS[k];
      break;
    }
  }
  const group: SniGroup = {
    id: nodeId({ type: 'sni', scope, sni: agg.sni }),
    sni: agg.sni,
    scope,
    entries: c[C_ENTRIES],
    tlsErrors: c[C_KIND + K_TLS],
    revoked: c[C_KIND + K_REVOKED],
    unknown: c[C_KIND + K_UNKNOWN],
    otherStatus: c[C_KIND + K_OTHER],
    actions: { PASS: c[C_ACTION], DROP: c[C_ACTION + 1], REJECT: c[C_ACTION + 2], other: c[C_ACTION + 3] },
    worst,
  };
  return Number.isNaN(agg.first) ? group : { ...group, firstSeen: agg.first, lastSeen: agg.last };
}

function sniNode(group: SniGroup): TreeNode {
  return { type: 'sni', id: group.id, group };
}

function summaryRow(g: SniGroup): SniSummaryRow {
  return { sni: g.sni, entries: g.entries, tlsErrors: g.tlsErrors, revoked: g.revoked, unknown: g.unknown };
}

function distinct<T>(sorted: T[], complete: boolean): DistinctValues<T> {
  return { values: sorted.slice(0, DISTINCT_SAMPLE), total: sorted.length, complete };
}

function locationOf(cell: Cell, k: number, pos: number): EntryLocation {
  const b = cell.buckets[k] as Bucket;
  const time = b.times[pos];
  const loc = { sourceKey: cell.source.key, line: b.lines[pos], sni: cell.sni, kind: GROUP_KINDS[k], firewall: cell.firewall };
  return Number.isNaN(time) ? loc : { ...loc, timeMs: time };
}

// ---------------------------------------------------------------------------------------------------------
// Export

/**
 * One CSV field (RFC 4180) for an untrusted value. A value that a spreadsheet could read as a formula (it
 * starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, except the exact value `-`: a lone minus
 * sign cannot carry a formula, and it is how the logs spell "no SNI", so it stays as logged and the CSV
 * agrees with the JSON report and the files. Then the field is quoted when it holds `,`, `"`, CR or LF.
 */
export function csvField(value: string): string {
  const safe = value !== '-' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The summary as CSV: a header `sni,entries,tlsErrors,revoked,unknown`, one row per group, CRLF line ends.
 * A missing SNI field is an empty field; an empty SNI is `""`, so the two stay apart for readers that care.
 */
export function toCsv(rows: readonly SniSummaryRow[]): string {
  let out = 'sni,entries,tlsErrors,revoked,unknown\r\n';
  for (const r of rows) {
    const sni = r.sni === null ? '' : r.sni === '' ? '""' : csvField(r.sni);
    out += `${sni},${r.entries},${r.tlsErrors},${r.revoked},${r.unknown}\r\n`;
  }
  return out;
}

/**
 * Untrusted text as literal Markdown inline text, safe in a table cell: every ASCII punctuation character
 * is backslash-escaped (CommonMark allows that for all of them, and GFM tables honour `\|`), line breaks,
 * tabs and other control characters are shown as escapes (`\n`, `\u0000`) instead of breaking the row, and
 * leading or trailing spaces become `&#32;` so the table does not trim them away.
 */
export function escapeMarkdownText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const c = value.charCodeAt(i);
    if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)) {
      out += '\\' + ch;
    } else if (c === 0x0a) {
      out += '\\\\n';
    } else if (c === 0x0d) {
      out += '\\\\r';
    } else if (c === 0x09) {
      out += '\\\\t';
    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) {
      out += '\\\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  const lead = /^ +/.exec(out)?.[0].length ?? 0;
  if (lead === out.length) return '&#32;'.repeat(lead);
  const trail = / +$/.exec(out)?.[0].length ?? 0;
  return '&#32;'.repeat(lead) + out.slice(lead, out.length - trail) + '&#32;'.repeat(trail);
}

/**
 * The summary as a GitHub-flavoured Markdown table. SNIs are escaped with {@link escapeMarkdownText};
 * `-`, an empty SNI and a missing field are followed or replaced by an italic description, which an
 * escaped value can never produce.
 */
export function toMarkdown(rows: readonly SniSummaryRow[]): string {
  let out = '| SNI | Entries | TLS errors | Revoked | Unknown |\n| --- | ---: | ---: | ---: | ---: |\n';
  for (const r of rows) {
    const sni =
      r.sni === null ? '*(no SNI field)*' : r.sni === '' ? '*(empty SNI)*' : r.sni === '-' ? '\\- *(no SNI in client hello)*' : escapeMarkdownText(r.sni);
    out += `| ${sni} | ${r.entries} | ${r.tlsErrors} | ${r.revoked} | ${r.unknown} |\n`;
  }
  return out;
}

/**
 * Just the per-SNI counts of {@link SniModel.summary}, for a reader that needs nothing else (the command
 * line's report): one small record per SNI instead of the model's per-line storage. Same rows, same order.
 */
export class SniCounter {
  private readonly rows = new Map<SniKey, { sni: SniKey; entries: number; tlsErrors: number; revoked: number; unknown: number }>();

  add(entry: TlsEntry): void {
    const sni = entry.sni ?? null;
    let row = this.rows.get(sni);
    if (row === undefined) this.rows.set(sni, (row = { sni, entries: 0, tlsErrors: 0, revoked: 0, unknown: 0 }));
    row.entries++;
    if (entry.kind === 'tlsError') row.tlsErrors++;
    else if (entry.status === 'REVOKED') row.revoked++;
    else if (entry.status === 'UNKNOWN') row.unknown++;
  }

  /** Rows with the most entries first, ties by name as {@link SniModel.summary} orders them. */
  summary(): SniSummaryRow[] {
    const lower = (s: SniKey): string => (s === null ? '' : s.toLowerCase());
    return [...this.rows.values()].sort(
      (a, b) =>
        b.entries - a.entries ||
        (a.sni === null || b.sni === null ? (a.sni === b.sni ? 0 : a.sni === null ? -1 : 1) : compareStrings(lower(a.sni), lower(b.sni)) || compareStrings(a.sni, b.sni)),
    );
  }
}
